import { performance } from 'node:perf_hooks'

/**
 * One clock for the whole load generator. Senders and receivers live in this process, so a
 * timestamp written into a message and read back on arrival needs no clock sync.
 */
let epoch = performance.now()

/** Microseconds since the current epoch. */
export const nowUs = (): number => Math.round((performance.now() - epoch) * 1000)

export const nowMs = (): number => performance.now() - epoch

/** Restart the epoch (per scenario) so embedded timestamps stay small. */
export function resetEpoch(): void {
  epoch = performance.now()
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Deterministic PRNG (mulberry32), so runs replay the same edits. */
export function rng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Waits until `check` is true or `timeoutMs` passes; resolves with whether it became true. */
export async function waitFor(check: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!check()) {
    if (performance.now() > deadline) return false
    await sleep(intervalMs)
  }
  return true
}
