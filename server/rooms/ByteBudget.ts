/**
 * A token bucket kept as one number, the time it is full again (the generic cell rate algorithm):
 * taking `costMs` of refill is allowed while the bucket would be full again no more than
 * `burstMs` from now. Returns the new "full again" time, or null (nothing taken) when refused.
 * One number per bucket, where tokens and a refill time took an object and two boxed numbers.
 */
export function takeFromBucket(fullAt: number, now: number, costMs: number, burstMs: number): number | null {
  const next = Math.max(fullAt, now) + costMs
  // The margin absorbs rounding in sums of costs like 1000 / 30, which would cost a burst its last one.
  return next - now > burstMs + 1e-6 ? null : next
}

/**
 * The least a message costs from an actor's byte budget, however small it is. Handling a message
 * has a fixed cost (decode, checks, fan-out) that its size does not show: without a floor, one
 * token's sockets (8 × 300 messages a second each) could send ~2,400 tiny valid edits a second
 * and take a large share of the event loop from everyone. With it, an actor gets at most
 * `bytesPerSecond / 1 KiB` messages a second on a doc (512 at the default), far above what a
 * person dragging and pointing at 60 Hz sends (~120).
 */
export const MESSAGE_COST_FLOOR_BYTES = 1024

/**
 * Inbound bytes per actor (token), as a token bucket: a burst of `burstBytes` (at least one
 * full frame, so any frame the socket accepts can get through), refilled continuously. Decoding
 * a Yjs update costs time in proportion to its size (a 2 MiB update of tiny structs holds the
 * event loop for about half a second), so the frame limit alone lets one token keep the server
 * busy by sending full frames back to back. Shared by the actor's sockets, so opening more of
 * them buys nothing.
 */
export class ByteBudget {
  // Made on first use: most docs (the read-only state doc, most sync answers) never take.
  private fullAt: Map<string, number> | null = null

  constructor(
    private readonly bytesPerSecond: number,
    private readonly burstBytes: number,
  ) {}

  /** Takes a message of `bytes` (at least the floor) from `actorKey`'s budget; false (and nothing taken) when it has too few. */
  take(actorKey: string, bytes: number, now = performance.now()): boolean {
    this.fullAt ??= new Map()
    const cost = Math.max(bytes, MESSAGE_COST_FLOOR_BYTES)
    const next = takeFromBucket(this.fullAt.get(actorKey) ?? now, now, (cost * 1000) / this.bytesPerSecond, (this.burstBytes * 1000) / this.bytesPerSecond)
    if (next === null) return false
    this.fullAt.set(actorKey, next)
    return true
  }
}
