import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'

/**
 * The line protocol every bench server speaks on stdio (see bench/lib/proc.ts): `READY {port}`
 * when listening, `mem` → `MEM {…}` (after a full GC; run with --expose-gc), `stop` → exit.
 */
export function announceReady(port: number): void {
  process.stdout.write(`READY ${JSON.stringify({ port })}\n`)
}

export function serveControl(stop: () => Promise<void>): void {
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
      gc?.()
      gc?.()
      const memory = process.memoryUsage()
      process.stdout.write(
        `MEM ${JSON.stringify({ heapUsed: memory.heapUsed, rss: memory.rss, external: memory.external, arrayBuffers: memory.arrayBuffers })}\n`,
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
