import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

/**
 * A server under test, run as a child process pinned to core 0 (`taskset -c 0`). It speaks a
 * tiny line protocol on stdio: it prints `READY {"port":…}` once listening, answers `mem` with
 * `MEM {…}` (heap after a full GC) and exits on `stop`. CPU comes from /proc/<pid>/stat.
 */

export const SERVER_CORE = '0'
export const LOADGEN_CORE = '1'

export interface MemorySample {
  heapUsed: number
  /** Part of heapUsed that is compiled code (code spaces), not data. */
  codeBytes: number
  rss: number
  external: number
  arrayBuffers: number
}

const CLOCK_TICKS_PER_SECOND = 100

/** User + system CPU time of a process in µs (10 ms resolution). */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return ((utime + stime) * 1e6) / CLOCK_TICKS_PER_SECOND
}

export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  return match ? Number(match[1]) * 1024 : NaN
}

/** Pins this process (all its threads) to a core. */
export function pinSelf(core: string): void {
  execFileSync('taskset', ['-a', '-c', '-p', core, String(process.pid)], { stdio: 'ignore' })
}

/**
 * Scheduling priority for the bench's own processes (this one and every server it starts), for
 * a shared machine: `--nice=-5` keeps other people's work from starving a measurement. 0: as is.
 */
export function setBenchNice(nice: number): void {
  // Servers are started later, as children: they inherit it.
  if (nice !== 0) execFileSync('renice', ['-n', String(nice), '-p', String(process.pid)], { stdio: 'ignore' })
}

/**
 * What a scenario needs of "the server": one process (ServerProcess) or several seen as one (the
 * two-instance cluster in bench/cluster.ts, whose CPU is the sum of all its processes).
 */
export interface ServerHandle {
  readonly pid: number
  readonly alive: boolean
  readonly url: string
  readonly wsUrl: string
  recentErrors(): string[]
  cpuUs(): number
  memory(): Promise<MemorySample>
  /** Event-loop figures since the previous call, where the server answers `loop`. */
  loop?(): Promise<LoopSample>
}

/** Event-loop figures since the last `loop` request (bench/servers/control.ts). */
export interface LoopSample {
  /** Milliseconds the loop was busy (not waiting for I/O), including synchronous waits. */
  activeMs: number
  wallMs: number
  delayP50Ms: number
  delayP99Ms: number
  delayMaxMs: number
}

export interface ServerSpec {
  label: string
  /** Executable and arguments (run under taskset). */
  command: string
  args: string[]
  env?: Record<string, string>
}

export class ServerProcess {
  port = 0
  private readonly child: ChildProcess
  private readonly waiters: ((line: string) => boolean)[] = []
  private readonly stderr: string[] = []
  private exited = false

  private constructor(readonly spec: ServerSpec) {
    // Children inherit this process's niceness (see setBenchNice): no `nice` wrapper needed.
    this.child = spawn('taskset', ['-c', SERVER_CORE, spec.command, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const index = this.waiters.findIndex((waiter) => waiter(line))
      if (index >= 0) this.waiters.splice(index, 1)
    })
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      this.stderr.push(line)
      if (this.stderr.length > 200) this.stderr.shift()
    })
    this.child.on('exit', () => {
      this.exited = true
    })
  }

  static async start(spec: ServerSpec, timeoutMs = 30_000): Promise<ServerProcess> {
    const server = new ServerProcess(spec)
    const ready = await server.expect('READY ', timeoutMs)
    server.port = (JSON.parse(ready) as { port: number }).port
    return server
  }

  get pid(): number {
    return this.child.pid!
  }

  get alive(): boolean {
    return !this.exited
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`
  }

  recentErrors(): string[] {
    return [...this.stderr]
  }

  cpuUs(): number {
    return this.exited ? NaN : processCpuUs(this.pid)
  }

  rss(): number {
    return this.exited ? NaN : processRssBytes(this.pid)
  }

  /**
   * Heap after full GCs in the server process: the median of three samples, so one sample that
   * catches a server's short-lived objects (its timers' work) does not decide a figure. It does
   * not remove every swing: the reference server's heap per connection still moves by ±1 KB
   * between runs (docs/performance.md, 6 December midday).
   */
  async memory(): Promise<MemorySample> {
    const samples: MemorySample[] = []
    for (let i = 0; i < 3; i++) samples.push(await this.sampleMemory())
    return samples.sort((a, b) => a.heapUsed - b.heapUsed)[1]!
  }

  private async sampleMemory(): Promise<MemorySample> {
    const line = this.expect('MEM ', 30_000)
    this.child.stdin!.write('mem\n')
    return JSON.parse(await line) as MemorySample
  }

  /** Event-loop busy time and delay since the previous call (servers that answer `loop`). */
  async loop(): Promise<LoopSample> {
    const line = this.expect('LOOP ', 30_000)
    this.child.stdin!.write('loop\n')
    return JSON.parse(await line) as LoopSample
  }

  /** Graceful stop (the server drains and writes), then SIGKILL if it takes too long. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.stdin!.write('stop\n')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    await exited
    clearTimeout(timer)
  }

  /** Crash: no drain, no final write. */
  async kill(): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGKILL')
    await exited
  }

  private expect(prefix: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.spec.label}: no "${prefix.trim()}" within ${timeoutMs} ms. stderr:\n${this.stderr.slice(-20).join('\n')}`)), timeoutMs)
      const onExit = () => {
        clearTimeout(timer)
        reject(new Error(`${this.spec.label} exited. stderr:\n${this.stderr.slice(-20).join('\n')}`))
      }
      this.child.once('exit', onExit)
      this.waiters.push((line) => {
        if (!line.startsWith(prefix)) return false
        clearTimeout(timer)
        this.child.off('exit', onExit)
        resolve(line.slice(prefix.length))
        return true
      })
    })
  }
}

export const fileExists = existsSync

/** CPU time (µs) all cores spent busy since boot, from /proc/stat: to see other load on the box. */
export function systemBusyUs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number)
  return ((user! + nice! + system! + irq! + softirq! + steal!) * 1e6) / CLOCK_TICKS_PER_SECOND
}

/**
 * Nanoseconds the process's main thread has spent runnable but waiting for a CPU, from
 * /proc/<pid>/schedstat: how much other work on its core held it back.
 */
export function runQueueWaitNs(pid: number | 'self'): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1])
  } catch {
    return NaN
  }
}
