/**
 * Periodic work over every loaded room, a slice at a time, at a duty cycle: each slice stops
 * after `sliceMs` and the next waits `rest` times as long as the slice took, so a pass takes at
 * most 1 / (1 + rest) of the event loop while it runs. Passes over 500 rooms in one go decided
 * S2's p99 (docs/performance.md): compaction held the loop for up to 1.2 s, pinging 2,500 sockets
 * ~95 ms and re-checking their keys ~15 ms, every few seconds.
 */
export class SlicedPass<T> {
  private timer: NodeJS.Timeout | null = null

  constructor(
    /** Returns true to be called again for this item later in the pass (work done in steps). */
    private readonly work: (item: T) => boolean | void,
    /**
     * An item's failure (storage down, say) is reported and the pass goes on: thrown from a
     * timer, it ended the process, and a five-second PostgreSQL restart took every instance
     * down with it (December cluster review).
     */
    private readonly onError: (item: T, error: unknown) => void,
    private readonly sliceMs = 5,
    private readonly rest = 4,
  ) {}

  get running(): boolean {
    return this.timer !== null
  }

  /** Starts a pass over `items` (a copy is taken); does nothing while a pass is under way. */
  start(items: Iterable<T>): void {
    if (this.timer) return
    const queue = [...items]
    let next = 0
    const slice = () => {
      const started = performance.now()
      while (next < queue.length) {
        const item = queue[next++]!
        try {
          if (this.work(item) === true) queue.push(item)
        } catch (error) {
          this.onError(item, error)
        }
        if (performance.now() - started >= this.sliceMs) break
      }
      this.timer = next < queue.length ? setTimeout(slice, (performance.now() - started) * this.rest) : null
      this.timer?.unref()
    }
    slice()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
