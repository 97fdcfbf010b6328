import { connect } from 'node:net'
import { findBinary } from './binaries.ts'
import { cleanUpWhenWeDie, makeServiceDir, onFreePort, removeDir, spawnUntilReady, type ServiceProcess } from './lifecycle.ts'

/**
 * A throwaway redis-server on a free port of 127.0.0.1, without persistence: a restart starts
 * empty, as a Redis that lost its memory would.
 */

export interface RedisService {
  /** redis://127.0.0.1:PORT */
  readonly url: string
  readonly port: number
  /** The server's process id while it runs, else null. */
  readonly pid: number | null
  /** SIGTERM, then the temp folder is removed. Final: the service can't be restarted. */
  stop(): Promise<void>
  /** SIGKILL; `restart()` brings it back on the same port. */
  kill(): Promise<void>
  /** Kills it if running, then starts an empty one on the same port. */
  restart(): Promise<void>
}

/** True once the server answers PING with PONG (a bare socket: no client library retries). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' })
    let reply = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2_000, () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
    socket.once('error', () => done(false))
  })
}

export async function startRedis(): Promise<RedisService> {
  const redisServer = findBinary('redis-server')
  const dir = makeServiceDir('redis')
  const watchdog = cleanUpWhenWeDie(dir, [])
  let server: ServiceProcess | null = null

  const launch = (port: number): Promise<ServiceProcess> =>
    spawnUntilReady(`redis-server on port ${port} to answer PING`, redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], dir, () =>
      answersPing(port),
    )

  let port = 0
  try {
    ;({ port, started: server } = await onFreePort(launch))
  } catch (error) {
    watchdog.cancel()
    removeDir(dir)
    throw error
  }

  let stopped = false
  const running = (): ServiceProcess | null => (server !== null && server.child.exitCode === null && server.child.signalCode === null ? server : null)
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return running()?.pid ?? null
    },
    async stop() {
      if (stopped) return
      stopped = true
      await server?.terminate('SIGTERM')
      watchdog.cancel()
      removeDir(dir)
    },
    async kill() {
      if (stopped) throw new Error('this Redis was stopped')
      await server?.terminate('SIGKILL')
    },
    async restart() {
      if (stopped) throw new Error('this Redis was stopped')
      await server?.terminate('SIGKILL')
      server = await launch(port)
    },
  }
}
