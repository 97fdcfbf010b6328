import { isCallToAction, summarise, type ActivityEvent } from './activity.ts'

/** L7: never more than one routine summary in this long. */
export const SUMMARY_INTERVAL_MS = 10_000
/** A short wait first, so changes that arrive together are said together. */
export const SETTLE_MS = 1000

/**
 * Holds others' activity and says it as summaries. News waits for the interval since the last
 * summary; a call to action (a vote opening, a draft to answer) cannot wait, so it is said after
 * the short settle, with whatever news was waiting, and the interval starts again from it.
 */
export class SummaryQueue {
  private pending: ActivityEvent[] = []
  private lastSaidAt = -Infinity
  private timer: ReturnType<typeof setTimeout> | null = null
  private dueAt = Infinity

  constructor(
    private readonly say: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  add(events: readonly ActivityEvent[]): void {
    if (events.length === 0) return
    this.pending.push(...events)
    const wait = events.some(isCallToAction) ? SETTLE_MS : Math.max(SETTLE_MS, this.lastSaidAt + SUMMARY_INTERVAL_MS - this.now())
    // An earlier timer stands: a call to action only ever brings the summary forward.
    if (this.timer && this.dueAt <= this.now() + wait) return
    this.schedule(wait)
  }

  /** Drops what was waiting: it would be stale by the time it was said. */
  clear(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.dueAt = Infinity
    this.pending = []
  }

  private schedule(wait: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.dueAt = this.now() + wait
    this.timer = setTimeout(() => {
      this.timer = null
      this.dueAt = Infinity
      const message = summarise(this.pending)
      this.pending = []
      if (!message) return
      this.lastSaidAt = this.now()
      this.say(message)
    }, wait)
  }
}
