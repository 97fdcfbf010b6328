import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../serverProcess.ts'

/**
 * What the service helpers share: temp folders, waiting, process checks, and the watchdog that
 * cleans up after a test process that died without stopping its services.
 */

export function makeServiceDir(kind: string): string {
  return mkdtempSync(join(tmpdir(), `parity-${kind}-`))
}

/** Polls `check` until it holds; the error names what we were waiting for. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(50)
  }
}

/** Whether something accepts TCP connections on host:port right now. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Alive and not a zombie: an exited process nobody reaped (this machine's init may not) still
 * answers `kill(pid, 0)`.
 */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state !== 'Z' && state !== 'X'
  } catch {
    // No /proc entry (gone), or no /proc at all (not Linux): ask the kernel.
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
}

/** Processes whose working directory is `dir` (PostgreSQL's processes all chdir into PGDATA). Linux only. */
export function processesIn(dir: string): number[] {
  let entries: string[]
  let target: string
  try {
    entries = readdirSync('/proc')
    target = realpathSync(dir)
  } catch {
    return []
  }
  const pids: number[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === target) pids.push(Number(entry))
    } catch {
      // Gone meanwhile, a zombie, or not ours to inspect.
    }
  }
  return pids
}

export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // Already gone.
  }
}

// Runs detached, so neither Ctrl-C on the test run nor a SIGKILL of the test process reaches it.
// Checks the parent once a second; a zombie parent counts as gone.
const WATCHDOG_SCRIPT = `
parent=$1; dir=$2; shift 2
alive() {
  if [ -r "/proc/$1/stat" ] && read -r line < "/proc/$1/stat"; then
    state=\${line##*) }; state=\${state%% *}
    [ "$state" != Z ] && [ "$state" != X ]
  else
    kill -0 "$1" 2>/dev/null
  fi
}
while alive "$parent"; do sleep 1; done
[ $# -gt 0 ] && "$@" >/dev/null 2>&1
[ -n "$dir" ] && rm -rf "$dir"
`

export interface Watchdog {
  /** The service was stopped properly: the watchdog is no longer needed. */
  cancel(): void
}

/**
 * Once this process is gone, however it went (crash, SIGKILL, a killed vitest worker), runs
 * `cleanup` (an argv; empty for none) and then removes `dir` (null: none). Services outlive their parent
 * otherwise: pg_ctl detaches the postmaster into its own session on purpose.
 */
export function cleanUpWhenWeDie(dir: string | null, cleanup: readonly string[]): Watchdog {
  const watchdog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'parity-service-watchdog', String(process.pid), dir ?? '', ...cleanup], {
    detached: true,
    stdio: 'ignore',
  })
  // Without /bin/sh there is no watchdog; stop() still cleans up, so don't crash the run over it.
  watchdog.once('error', () => {})
  watchdog.unref()
  return {
    cancel() {
      if (watchdog.pid !== undefined && watchdog.exitCode === null) killQuietly(watchdog.pid, 'SIGKILL')
    },
  }
}

export interface ServiceProcess {
  child: ChildProcess
  pid: number
  exited: Promise<void>
  /** Last lines of stdout and stderr, for error messages. */
  output(): string
  /** Sends `signal` (escalating to SIGKILL after a while) and waits until the process has exited. */
  terminate(signal: NodeJS.Signals): Promise<void>
  watchdog: Watchdog
}

const OUTPUT_LINES_KEPT = 60

/**
 * A foreground service as our child (cwd `dir`), with a watchdog that kills it if we die first.
 * The caller owns `dir` and its own watchdog for it: the service may be restarted in it.
 */
export function spawnService(command: string, args: readonly string[], dir: string): ServiceProcess {
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  // A failed spawn also emits 'error'; the throw below reports it.
  child.once('error', () => {})
  if (child.pid === undefined) throw new Error(`could not start ${command}`)
  const pid = child.pid
  const lines: string[] = []
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString().split('\n').filter((line) => line.trim() !== ''))
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const watchdog = cleanUpWhenWeDie(null, ['kill', '-9', String(pid)])
  void exited.then(() => watchdog.cancel())
  return {
    child,
    pid,
    exited,
    output: () => lines.join('\n'),
    async terminate(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill(signal)
      const escalate = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(escalate)
    },
    watchdog,
  }
}

/** A bind race: the free port we were given was taken before the service bound it. */
export function isPortInUse(output: string): boolean {
  return /address already in use|could not bind|cannot bind/i.test(output)
}

const START_ATTEMPTS = 3

/**
 * Starts a service on a free port; when another process took the port before the service bound
 * it (`failureText` says so), tries another port, up to three times.
 */
export async function onFreePort<T>(start: (port: number) => Promise<T>, failureText: (error: Error) => string = (error) => error.message): Promise<{ port: number; started: T }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      return { port, started: await start(port) }
    } catch (error) {
      if (attempt < START_ATTEMPTS && isPortInUse(failureText(error as Error))) continue
      throw error
    }
  }
}

/** Spawns a foreground service and waits until `ready()`; kills it if it exits or never gets there. */
export async function spawnUntilReady(what: string, command: string, args: readonly string[], dir: string, ready: () => Promise<boolean>): Promise<ServiceProcess> {
  const child = spawnService(command, args, dir)
  let exited = false
  void child.exited.then(() => (exited = true))
  try {
    await waitUntil(what, async () => {
      if (exited) throw new Error(`${command} exited:\n${child.output()}`)
      return ready()
    })
  } catch (error) {
    await child.terminate('SIGKILL')
    throw error
  }
  return child
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
