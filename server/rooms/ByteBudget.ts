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
 * Messages an actor may send a doc each second, over all its sockets (a burst of two seconds'
 * worth). Handling a message has a fixed cost (decode, checks, fan-out) that its size does not
 * show: with only the per-socket limit, one token's 8 sockets (300 a second each) could send
 * ~2,400 tiny valid edits a second and take a large share of the event loop from everyone. 512
 * is far above what a person dragging and pointing at 60 Hz sends (~120).
 */
export const MESSAGES_PER_ACTOR_PER_SECOND = 512
/**
 * Inbound bytes and messages per actor (token), as token buckets. Bytes: a burst of `burstBytes` (at least one
 * full frame, so any frame the socket accepts can get through), refilled continuously. Decoding
 * a Yjs update costs time in proportion to its size (a 2 MiB update of tiny structs holds the
 * event loop for about half a second), so the frame limit alone lets one token keep the server
 * busy by sending full frames back to back. Shared by the actor's sockets, so opening more of
 * them buys nothing.
 */
export class ByteBudget {
  // Made on first use: most docs (the read-only state doc, most sync answers) never take.
  // Per actor: when its byte bucket is full again, then when its message bucket is.
  private fullAt: Map<string, [bytes: number, messages: number]> | null = null

  constructor(
    private readonly bytesPerSecond: number,
    private readonly burstBytes: number,
  ) {}

  /** Takes one message of `bytes` from `actorKey`'s budgets; false (and nothing taken) when either has too little. */
  take(actorKey: string, bytes: number, now = performance.now()): boolean {
    this.fullAt ??= new Map()
    const [bytesFullAt, messagesFullAt] = this.fullAt.get(actorKey) ?? [now, now]
    const nextBytes = takeFromBucket(bytesFullAt, now, (bytes * 1000) / this.bytesPerSecond, (this.burstBytes * 1000) / this.bytesPerSecond)
    if (nextBytes === null) return false
    const nextMessages = takeFromBucket(messagesFullAt, now, 1000 / MESSAGES_PER_ACTOR_PER_SECOND, 2000)
    if (nextMessages === null) return false
    this.fullAt.set(actorKey, [nextBytes, nextMessages])
    return true
  }
}
