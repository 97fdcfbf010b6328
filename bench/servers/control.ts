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
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    if (line === 'mem') {
      gc?.()
      gc?.()
      const memory = process.memoryUsage()
      process.stdout.write(
        `MEM ${JSON.stringify({ heapUsed: memory.heapUsed, rss: memory.rss, external: memory.external, arrayBuffers: memory.arrayBuffers })}\n`,
      )
    } else if (line === 'stop') {
      void stop().finally(() => process.exit(0))
    }
  })
  // The bench went away: do not linger.
  lines.on('close', () => void stop().finally(() => process.exit(0)))
}
