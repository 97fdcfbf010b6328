import type { SocketLike } from './SocketLike.ts'

/** One socket's standing in a shared doc: who it speaks for and how much it may say. */
export class Connection {
  /** Yjs clientID this socket writes under, bound on first use. */
  clientId: number | null = null
  /** Awareness clientID this socket announces; must equal `clientId` once both are known. */
  awarenessId: number | null = null
  /** Cleared on each ping, set by the pong; a socket still unset at the next ping is dead. */
  alive = true
  private closed = false
  private tokens: number
  private refilledAt = Date.now()

  constructor(
    private readonly socket: SocketLike,
    /** `participant:<id>` or `facilitator`; never sent anywhere. */
    readonly actorKey: string,
    private readonly messagesPerSecond: number,
  ) {
    this.tokens = messagesPerSecond * 2
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  get isClosed(): boolean {
    return this.closed
  }

  send(data: Uint8Array): void {
    if (!this.closed) this.socket.send(data)
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.socket.close(code, reason)
  }

  ping(): void {
    this.alive = false
    this.socket.ping()
  }

  markAlive(): void {
    this.alive = true
  }

  /** Token bucket: a burst of two seconds' worth, refilled continuously. */
  takeMessageToken(now = Date.now()): boolean {
    const capacity = this.messagesPerSecond * 2
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.messagesPerSecond)
    this.refilledAt = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
