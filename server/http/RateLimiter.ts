/**
 * Fixed-window counter per key. Bounded memory: windows are dropped when they expire and the
 * key count is capped, so a flood of distinct keys cannot grow it without limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>()

  constructor(
    private readonly maxPerWindow: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts one event for `key`; false when the key is over its limit for this window. */
  take(key: string, now = Date.now()): boolean {
    let window = this.windows.get(key)
    if (!window || now - window.startedAt >= this.windowMs) {
      if (this.windows.size >= this.maxKeys) this.sweep(now)
      window = { startedAt: now, count: 0 }
      this.windows.set(key, window)
    }
    window.count += 1
    return window.count <= this.maxPerWindow
  }

  /** True when `key` has used up its window, without counting an event. */
  blocked(key: string, now = Date.now()): boolean {
    const window = this.windows.get(key)
    return window !== undefined && now - window.startedAt < this.windowMs && window.count >= this.maxPerWindow
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(key)
    // Still full: drop the least used tenth rather than grow, keeping the keys over their limit.
    // Clearing everything let a flood of new keys wipe every limit already reached.
    if (this.windows.size >= this.maxKeys) {
      const least = [...this.windows].sort((a, b) => a[1].count - b[1].count).slice(0, Math.ceil(this.maxKeys / 10))
      for (const [key] of least) this.windows.delete(key)
    }
  }
}
