/**
 * Progressive slow-down per key: `freeFailures` failures cost nothing; from then on the key waits
 * before its next try, twice as long after each further failure (1 s, 2 s, 4 s …, at most `maxWaitMs`). A key
 * with no failure for `maxWaitMs` starts afresh. Slows a guesser to a crawl without shutting
 * anyone else out. Bounded memory, like RateLimiter.
 */
export class Backoff {
  private readonly entries = new Map<string, { failures: number; lastAt: number }>()

  constructor(
    private readonly freeFailures: number,
    private readonly maxWaitMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds `key` must still wait before its next try (0: go ahead). */
  waitMs(key: string, now = Date.now()): number {
    const entry = this.live(key, now)
    if (!entry || entry.failures < this.freeFailures) return 0
    const wait = Math.min(this.maxWaitMs, 1000 * 2 ** (entry.failures - this.freeFailures))
    return Math.max(0, entry.lastAt + wait - now)
  }

  fail(key: string, now = Date.now()): void {
    const entry = this.live(key, now) ?? { failures: 0, lastAt: now }
    entry.failures += 1
    entry.lastAt = now
    if (!this.entries.has(key) && this.entries.size >= this.maxKeys) this.sweep(now)
    this.entries.set(key, entry)
  }

  private live(key: string, now: number) {
    const entry = this.entries.get(key)
    if (entry && now - entry.lastAt >= this.maxWaitMs) {
      this.entries.delete(key)
      return undefined
    }
    return entry
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.lastAt >= this.maxWaitMs) this.entries.delete(key)
    // Still full: drop the keys with the fewest failures, never everyone. Clearing the whole map
    // let someone with enough keys (device cookies gathered over hours) wipe every lockout.
    if (this.entries.size >= this.maxKeys) {
      const mildest = [...this.entries].sort((a, b) => a[1].failures - b[1].failures).slice(0, Math.ceil(this.maxKeys / 10))
      for (const [key] of mildest) this.entries.delete(key)
    }
  }
}
