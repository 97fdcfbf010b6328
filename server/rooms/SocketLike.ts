/**
 * The three things a room needs from a socket. The Hono adapter (server/ws/) implements it; the
 * room never imports a socket library, and tests can pass plain objects.
 */
export interface SocketLike {
  send(data: Uint8Array): void
  close(code: number, reason: string): void
  /** Sends a ping; the adapter reports the pong through `Connection.markAlive`. */
  ping(): void
  /** Bytes queued but not yet written; used to drop peers that cannot keep up. */
  readonly bufferedAmount: number
}
