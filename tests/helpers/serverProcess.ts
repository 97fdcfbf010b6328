import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/**
 * The real server as its own process (`server/main.ts`, as `npm start` runs it), for tests that
 * kill it: crash durability and the SIGTERM drain. Logs are JSON lines on stdout; the
 * `server.listening` line carries the URL.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ServerProcess {
  url: string
  port: number
  child: ChildProcess
  /** Every stdout line so far (JSON log lines). */
  lines: string[]
  stderr: string[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export interface SpawnOptions {
  dataDir: string
  /** A fixed port lets clients reconnect to the restarted server; 0 picks one. */
  port?: number
  env?: Record<string, string>
  startTimeoutMs?: number
}

export function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  // `node --import` rather than `npm start`: one process, so kill -9 hits the server itself.
  const child = spawn(process.execPath, ['--import', './scripts/registerTs.mjs', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: options.dataDir, PORT: String(options.port ?? 0), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const stderr: string[] = []
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let buffered = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start in time:\n${stderr.join('')}`))
    }, options.startTimeoutMs ?? 20_000)
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const parts = buffered.split('\n')
      buffered = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        const event = parseLine(line)
        if (event?.event !== 'server.listening' || typeof event.url !== 'string') continue
        clearTimeout(timer)
        resolve({ url: event.url, port: Number(new URL(event.url).port), child, lines, stderr, exited })
      }
    })
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`server exited before listening (code ${code}, signal ${signal}):\n${stderr.join('')}`))
    })
  })
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    // Not a log line (a stray print): not ours to interpret.
    return null
  }
}

/** A port that was free a moment ago, so a restarted server can listen where clients expect it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** kill -9, and wait until the process is gone. */
export async function killHard(server: ServerProcess): Promise<void> {
  server.child.kill('SIGKILL')
  await server.exited
}
