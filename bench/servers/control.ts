import { appendFileSync } from 'node:fs'
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { getHeapSpaceStatistics } from 'node:v8'

/**
 * The line protocol every bench server speaks on stdio (see bench/lib/proc.ts): `READY {port}`
 * when listening, `mem` → `MEM {…}` (after full GCs, see `settledHeap`; run with --expose-gc), `stop` → exit.
 */
export function announceReady(port: number): void {
  process.stdout.write(`READY ${JSON.stringify({ port })}\n`)
}

/**
 * BENCH_GC_LOG=<file>: every 5 s, one line with the time spent in garbage collection since the
 * last line, by kind (scavenge, mark-compact, …), the longest single collection, and how late
 * the event loop ran (p99 and max of its delay). To tell a run where the server collected or
 * stalled more from one where it did not.
 */
function logGc(file: string): void {
  const kinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak' }
  let totals: Record<string, { ms: number; count: number; maxMs: number }> = {}
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = kinds[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other'
      const total = (totals[kind] ??= { ms: 0, count: 0, maxMs: 0 })
      total.ms += entry.duration
      total.count += 1
      total.maxMs = Math.max(total.maxMs, entry.duration)
    }
  }).observe({ entryTypes: ['gc'] })
  const lag = monitorEventLoopDelay({ resolution: 1 })
  lag.enable()
  const started = performance.now()
  setInterval(() => {
    const loop = { loopP99Ms: lag.percentile(99) / 1e6, loopMaxMs: lag.max / 1e6 }
    appendFileSync(file, JSON.stringify({ s: Math.round((performance.now() - started) / 1000), heapMB: Math.round(process.memoryUsage().heapUsed / 1e6), ...loop, ...totals }) + '\n')
    totals = {}
    lag.reset()
  }, 5000).unref()
}

/**
 * The heap after full GCs, repeated until one frees little. Two in a row were not always enough:
 * what weak callbacks and finalizers release goes only after the event loop has turned, and a
 * sample taken too early read up to ~300 KB high, a swing of ±2 KB in a 300-socket room's heap per
 * connection. So each round lets the loop turn first.
 */
async function settledHeap(gc: (() => void) | undefined): Promise<NodeJS.MemoryUsage> {
  let memory = process.memoryUsage()
  if (!gc) return memory
  for (let round = 0; round < 10; round++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 10))
    const next = process.memoryUsage()
    const freed = memory.heapUsed - next.heapUsed
    memory = next
    if (round >= 1 && freed < 16 * 1024) break
  }
  return memory
}

/** Heap taken by compiled code: it grows as the JIT optimises hot functions, not with data. */
function compiledCode(): number {
  return getHeapSpaceStatistics()
    .filter((space) => space.space_name.startsWith('code'))
    .reduce((sum, space) => sum + space.space_used_size, 0)
}

export function serveControl(stop: () => Promise<void>): void {
  if (process.env.BENCH_GC_LOG) logGc(process.env.BENCH_GC_LOG)
  const gc = (globalThis as { gc?: () => void }).gc
  // `loop` → `LOOP {…}`: how long the event loop was busy (synchronous waits included, such as the
  // PostgreSQL bridge's) and how late timers ran, since the previous `loop`.
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  let elu = performance.eventLoopUtilization()
  let at = performance.now()
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    if (line === 'mem') {
      void settledHeap(gc).then((memory) =>
        process.stdout.write(`MEM ${JSON.stringify({ heapUsed: memory.heapUsed, codeBytes: compiledCode(), rss: memory.rss, external: memory.external, arrayBuffers: memory.arrayBuffers })}\n`),
      )
    } else if (line === 'loop') {
      const now = performance.now()
      const since = performance.eventLoopUtilization(elu)
      const ms = (ns: number) => ns / 1e6
      process.stdout.write(
        `LOOP ${JSON.stringify({ activeMs: since.active, wallMs: now - at, delayP50Ms: ms(delay.percentile(50)), delayP99Ms: ms(delay.percentile(99)), delayMaxMs: ms(delay.max) })}\n`,
      )
      elu = performance.eventLoopUtilization()
      at = now
      delay.reset()
    } else if (line === 'stop') {
      void stop().finally(() => process.exit(0))
    }
  })
  // The bench went away: do not linger.
  lines.on('close', () => void stop().finally(() => process.exit(0)))
}
