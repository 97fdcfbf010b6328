/**
 * The things a room needs from a socket. The websocket adapter (server/ws/) implements it; the
 * room never imports a socket library, and tests can pass plain objects.
 */
export interface SocketLike {
  send(data: Uint8Array): void
  /**
   * Sends a message many sockets get at once. Optional: an adapter that can frame it once for
   * every socket does so (see SharedFrame); others get `send(frame.payload)`.
   */
  sendShared?(frame: SharedFrame): void
  close(code: number, reason: string): void
  /**
   * Sends a ping. The pong shows as `bytesRead` growing, or, for an adapter without a byte
   * count, through `Connection.markAlive`.
   */
  ping(): void
  /** Drops buffer room grown for a burst and now empty (optional; called between messages). */
  trimMemory?(): void
  /** Bytes received from the peer so far, where the transport counts them. */
  readonly bytesRead?: number
  /** Bytes queued but not yet written; used to drop peers that cannot keep up. */
  readonly bufferedAmount: number
}

/**
 * One message for many sockets. A fan-out sends the same bytes to every peer of a doc; the
 * transport frames them once and keeps the result here, instead of building a header, a copy
 * and a two-part write per socket (the largest cost per message in rooms of five).
 */
export class SharedFrame {
  /** The transport's encoding of `payload`, built by the first socket that sends it. */
  wire: Uint8Array | null = null
  constructor(readonly payload: Uint8Array) {}
}
