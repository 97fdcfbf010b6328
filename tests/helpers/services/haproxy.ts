import { existsSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { findBinary } from './binaries.ts'
import { acceptsConnections, cleanUpWhenWeDie, makeServiceDir, onFreePort, removeDir, spawnUntilReady, waitUntil, type ServiceProcess } from './lifecycle.ts'

/**
 * HAProxy in front of Parity instances, as a deployment would run it: HTTP and websockets,
 * round robin with no sticky sessions (any instance serves any request, issue 15), health checks
 * on /healthz that take a dead instance out within about a second, and retries that redispatch a
 * refused connection to another instance.
 */

export interface Backend {
  host: string
  port: number
}

export interface HaproxyOptions {
  /** Checked with GET; an instance is in service while this answers 200. Default `/healthz`. */
  healthPath?: string
  /** Time between health checks of each instance. Default 500 ms. */
  checkIntervalMs?: number
}

export interface BackendState {
  /** `s0`, `s1`, … in the order of the backends given. */
  name: string
  /** host:port */
  address: string
  /** HAProxy's status text: `UP`, `DOWN`, `UP 1/2` (one failed check), `MAINT`, … */
  status: string
  /** In service: HAProxy sends it requests. */
  up: boolean
}

export interface HaproxyService {
  /** http://127.0.0.1:PORT (websockets: ws:// on the same port). */
  readonly url: string
  readonly port: number
  readonly backends: readonly Backend[]
  /** The instances as HAProxy sees them now (from its runtime API). */
  serverStates(): Promise<BackendState[]>
  /**
   * Takes an instance (by its index in `backends`) out of rotation or puts it back, as an operator
   * does around a rolling upgrade: `drain` finishes open connections, `maint` sends nothing.
   */
  setServerState(index: number, state: 'ready' | 'drain' | 'maint'): Promise<void>
  /** Rewrites the configuration and reloads (master-worker, seamless); resolves once the new list is live. */
  setBackends(backends: readonly Backend[]): Promise<void>
  /** Stops HAProxy (open connections are cut) and removes its temp folder. */
  stop(): Promise<void>
}

const BACKEND_NAME = 'instances'

function address({ host, port }: Backend): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

function config(port: number, adminSocket: string, backends: readonly Backend[], options: HaproxyOptions): string {
  const healthPath = options.healthPath ?? '/healthz'
  if (!/^\/[\x21-\x7e]*$/.test(healthPath)) throw new Error(`not a usable health check path: ${JSON.stringify(healthPath)}`)
  const inter = options.checkIntervalMs ?? 500
  return `# Written by tests/helpers/services (throwaway test balancer).
global
    stats socket ${adminSocket} mode 600 level admin
    # A reload lets old workers finish their websockets, but not for the tunnel timeout's hour.
    hard-stop-after 10s

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    # Websockets become tunnels after the upgrade; quiet boards must not be cut.
    timeout tunnel 1h
    timeout check 2s
    # A refused connection (an instance just killed) is retried, on another instance each time.
    retries 3
    option redispatch 1
    option forwardfor

frontend parity
    bind 127.0.0.1:${port}
    default_backend ${BACKEND_NAME}

backend ${BACKEND_NAME}
    # No stickiness on purpose: any instance serves any request.
    balance roundrobin
    option httpchk GET ${healthPath}
    http-check expect status 200
    default-server inter ${inter}ms fall 2 rise 1
${backends.map((backend, index) => `    server s${index} ${address(backend)} check`).join('\n')}
`
}

/** One command on HAProxy's runtime API (the admin socket); its whole answer. */
function adminCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath)
    let answer = ''
    socket.once('connect', () => socket.write(`${command}\n`))
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    socket.once('end', () => resolve(answer))
    socket.once('error', reject)
  })
}

/** `show stat` is CSV with a `# `-prefixed header line. */
function parseStates(csv: string): BackendState[] {
  const [header, ...rows] = csv.trim().split('\n')
  const columns = (header ?? '').replace(/^# /, '').split(',')
  const at = (row: string[], column: string): string => row[columns.indexOf(column)] ?? ''
  return rows
    .map((line) => line.split(','))
    .filter((row) => at(row, 'pxname') === BACKEND_NAME && at(row, 'svname') !== 'BACKEND')
    .map((row) => {
      const status = at(row, 'status')
      return { name: at(row, 'svname'), address: at(row, 'addr'), status, up: status.startsWith('UP') }
    })
}

export async function startHaproxy(backends: readonly Backend[], options: HaproxyOptions = {}): Promise<HaproxyService> {
  const haproxy = findBinary('haproxy')
  const dir = makeServiceDir('haproxy')
  const configFile = join(dir, 'haproxy.cfg')
  const adminSocket = join(dir, 'admin.sock')
  const watchdog = cleanUpWhenWeDie(dir, [])
  let current = [...backends]

  const serverStates = async (): Promise<BackendState[]> => parseStates(await adminCommand(adminSocket, 'show stat'))

  const launch = (port: number): Promise<ServiceProcess> => {
    writeFileSync(configFile, config(port, adminSocket, current, options))
    // -W: master-worker, so SIGUSR2 reloads the configuration; -db: stay in the foreground.
    return spawnUntilReady(`haproxy to listen on port ${port}`, haproxy, ['-W', '-db', '-f', configFile], dir, async () => existsSync(adminSocket) && (await acceptsConnections(port)))
  }

  let port = 0
  let proxy: ServiceProcess
  try {
    ;({ port, started: proxy } = await onFreePort(launch))
  } catch (error) {
    watchdog.cancel()
    removeDir(dir)
    throw error
  }

  let stopped = false
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get backends() {
      return current
    },
    serverStates,
    async setServerState(index, state) {
      if (!Number.isInteger(index) || index < 0 || index >= current.length) throw new Error(`no backend ${index}`)
      const answer = (await adminCommand(adminSocket, `set server ${BACKEND_NAME}/s${index} state ${state}`)).trim()
      if (answer !== '') throw new Error(`haproxy refused the state change: ${answer}`)
    },
    async setBackends(next) {
      if (stopped) throw new Error('this HAProxy was stopped')
      current = [...next]
      writeFileSync(configFile, config(port, adminSocket, current, options))
      proxy.child.kill('SIGUSR2')
      const wanted = current.map(address).join(' ')
      await waitUntil('haproxy to reload with the new backends', async () => {
        if (proxy.child.exitCode !== null) throw new Error(`haproxy exited on reload:\n${proxy.output()}`)
        try {
          return (await serverStates()).map((state) => state.address).join(' ') === wanted
        } catch {
          // The new worker is replacing the admin socket.
          return false
        }
      })
    },
    async stop() {
      if (stopped) return
      stopped = true
      await proxy.terminate('SIGTERM')
      watchdog.cancel()
      removeDir(dir)
    },
  }
}
