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

  /** Takes `bytes` from `actorKey`'s budget; false (and nothing taken) when it has too few. */
  take(actorKey: string, bytes: number, now = performance.now()): boolean {
    this.fullAt ??= new Map()
    const next = takeFromBucket(this.fullAt.get(actorKey) ?? now, now, (bytes * 1000) / this.bytesPerSecond, (this.burstBytes * 1000) / this.bytesPerSecond)
    if (next === null) return false
    this.fullAt.set(actorKey, next)
    return true
  }
}
