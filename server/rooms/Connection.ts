import { CloseCode } from '../../shared/closeCodes.ts'
import { takeFromBucket } from './ByteBudget.ts'
import type { SharedFrame, SocketLike } from './SocketLike.ts'

/** One socket's standing in a shared doc: who it speaks for and how much it may say. */
export class Connection {
  /** Yjs clientID this socket writes under, bound on first use. */
  clientId: number | null = null
  /** Awareness clientID this socket announces; must equal `clientId` once both are known. */
  awarenessId: number | null = null
  /** The key its presence is filed and sent under (never `clientId`: see PresenceKeyed). */
  presenceKey: number | null = null
  /** Cleared on each ping, set by the pong (markAlive); see `alive`. */
  private answered = true
  /** The socket's `bytesRead` at the last ping. */
  private readAtPing = 0
  /**
   * The hash of the key this socket opened with, folded to 53 bits: a number, where the 64
   * character string was ~100 bytes per socket. Keys are random and their hashes are made here,
   * so a new key folding to the same number is a ~2⁻⁵³ chance; a removed key matches nothing.
   */
  private credentialTag = -1
  private closed = false
  /** Whether anything was sent since the last keep-alive look (see keepAlive). */
  private sentSinceLook = false
  /** The message bucket's "full again" time (see takeFromBucket); 0: full. */
  private messagesFullAt = 0
  /** Sync requests from an empty doc answered on this socket (see SharedDoc.answerSyncStep1). */
  fromScratchAnswers = 0
  /** When this socket's last "who is here" question was answered (see SharedDoc's queryAwareness). */
  presenceAnsweredAt = -Infinity

  constructor(
    private readonly socket: SocketLike,
    /** `participant:<id>` or `facilitator`; never sent anywhere. */
    readonly actorKey: string,
    private readonly messagesPerSecond: number,
    /** A send that finds more than this waiting for the peer closes the socket instead. */
    private readonly maxBufferedBytes = Infinity,
  ) {}

  /** Records the hash (hex) of the key this socket opened with. */
  setCredential(keyHash: string): void {
    this.credentialTag = credentialTag(keyHash)
  }

  /** Whether `keyHash` (the actor's current key hash; undefined: none) is still the one it opened with. */
  holdsCredential(keyHash: string | undefined): boolean {
    return keyHash !== undefined && credentialTag(keyHash) === this.credentialTag
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  get isClosed(): boolean {
    return this.closed
  }

  /**
   * Sends unless the peer is too far behind: a peer that does not read would otherwise make us
   * hold every frame for it (a few tiny requests each answered with the whole board).
   */
  send(data: Uint8Array): void {
    if (!this.canTake(data.length)) return
    this.sentSinceLook = true
    this.socket.send(data)
  }

  /** The same as `send`, for a frame every peer of a fan-out gets. */
  sendShared(frame: SharedFrame): void {
    if (!this.canTake(frame.payload.length)) return
    this.sentSinceLook = true
    if (this.socket.sendShared) this.socket.sendShared(frame)
    else this.socket.send(frame.payload)
  }

  /** Sends `frame` if nothing was sent since the last call (the frame itself counts). */
  keepAlive(frame: Uint8Array): void {
    if (this.sentSinceLook) this.sentSinceLook = false
    else this.send(frame)
  }

  /** Lets the transport drop buffer room it grew for a burst (see SharedDoc.trimMemory). */
  trimMemory(): void {
    if (!this.closed) this.socket.trimMemory?.()
  }

  /** Whether `bytes` more may be queued for the peer; closes the socket when it is too far behind. */
  private canTake(bytes: number): boolean {
    if (this.closed) return false
    if (this.socket.bufferedAmount + bytes <= this.maxBufferedBytes) return true
    this.close(CloseCode.rateLimited, 'too far behind')
    return false
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.closed = true
    this.socket.close(code, reason)
  }

  /**
   * Whether the peer was heard from since the last ping: a pong, or any bytes at all. Counting
   * bytes needs no pong listener on every socket (a listener per socket costs memory).
   */
  get alive(): boolean {
    const read = this.socket.bytesRead
    return this.answered || (read !== undefined && read !== this.readAtPing)
  }

  ping(): void {
    this.answered = false
    this.readAtPing = this.socket.bytesRead ?? 0
    this.socket.ping()
  }

  markAlive(): void {
    this.answered = true
  }

  /** Token bucket: a burst of two seconds' worth, refilled continuously. */
  takeMessageToken(now = performance.now()): boolean {
    const next = takeFromBucket(this.messagesFullAt, now, 1000 / this.messagesPerSecond, 2000)
    if (next === null) return false
    this.messagesFullAt = next
    return true
  }
}

/** 53 bits of the whole hash (two FNV-1a passes with different primes): a number kept, not a string. */
const credentialTag = (keyHash: string): number => {
  let high = 0x811c9dc5
  let low = 0x7ee2f36b
  for (let i = 0; i < keyHash.length; i++) {
    const code = keyHash.charCodeAt(i)
    high = Math.imul(high ^ code, 0x01000193)
    low = Math.imul(low ^ code, 0x5bd1e995)
  }
  return (high >>> 0) * 2 ** 21 + ((low >>> 0) & 0x1fffff)
}
