/**
 * Inbound bytes per actor (token), as a token bucket: a burst of `burstBytes` (at least one
 * full frame, so any frame the socket accepts can get through), refilled continuously. Decoding a Yjs update costs time in proportion to its size (a 2 MiB update of
 * tiny structs holds the event loop for about half a second), so the frame limit alone lets one
 * token keep the server busy by sending full frames back to back. Shared by the actor's sockets,
 * so opening more of them buys nothing.
 */
export class ByteBudget {
  // Made on first use: most docs (the read-only state doc, most sync answers) never take.
  private buckets: Map<string, { tokens: number; refilledAt: number }> | null = null

  constructor(
    private readonly bytesPerSecond: number,
    private readonly burstBytes: number,
  ) {}

  /** Takes `bytes` from `actorKey`'s budget; false (and nothing taken) when it has too few. */
  take(actorKey: string, bytes: number, now = Date.now()): boolean {
    const capacity = this.burstBytes
    this.buckets ??= new Map()
    const bucket = this.buckets.get(actorKey) ?? { tokens: capacity, refilledAt: now }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.bytesPerSecond)
    bucket.refilledAt = now
    this.buckets.set(actorKey, bucket)
    if (bucket.tokens < bytes) return false
    bucket.tokens -= bytes
    return true
  }
}
