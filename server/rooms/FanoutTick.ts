import * as Y from 'yjs'
import { type AwarenessEntry, encodeAwareness, encodeSyncUpdate } from './protocol.ts'
import { SharedFrame } from './SocketLike.ts'

/**
 * Per-document fan-out tick. Sending is the cost of a busy room, not Yjs: one websocket frame
 * costs ~10 µs, and a room of N people turns every inbound message into N frames. So instead of
 * sending each update and each cursor move on its own, a doc collects them for one short tick
 * and then sends each peer at most two frames:
 *
 * - one sync update: every pending document update merged with `Y.mergeUpdates` (nothing is
 *   lost — all structs and deletions of every update are in the merged one);
 * - one awareness update: the latest entry per clientID (a cursor that moved five times in a
 *   tick is sent once, at its last position: that is the presence rate limit).
 *
 * The tick is a leading-edge throttle: after a quiet spell the first message goes out at once,
 * in the handler that read it; while messages keep coming, flushes are at least one tick apart.
 * So a calm room gets the latency of a server that sends every message straight on, and a busy
 * one a bounded frame rate. (Waiting for the end of the I/O turn instead doubled the delay under
 * load with many rooms: every room read in one poll phase then wrote in the check phase after it,
 * S2 in docs/performance.md.)
 * Document updates keep a quiet-spell clock of their own: cursors move all the time in a room of
 * 30, and if their flushes counted, every card edit would wait for the next cursor tick. An edit
 * after a quiet spell of edits goes at once (taking any pending cursors with it); only bursts of
 * edits are coalesced.
 *
 * The frame is encoded (and framed by the transport) once and shared by every peer. When all of
 * a tick came from one peer, as most ticks in small rooms do, that peer is skipped: it already
 * has its own change, so one frame in five is saved in a room of five. A tick mixing senders goes
 * to everyone, the senders included: a client applying its own update or an awareness entry
 * with a clock it already has is a no-op in Yjs and y-protocols. Other messages (sync answers)
 * are a single peer's and go straight to it, not through the tick.
 */

export interface FanoutPeer {
  send(data: Uint8Array): void
  /** Sends a frame shared by every peer; peers without it get `send(frame.payload)`. */
  sendShared?(frame: SharedFrame): void
  /** Bytes queued but not yet written to the peer. */
  readonly bufferedAmount: number
}

/** Runs `flush` after `delayMs` (0: after the current I/O turn); returns a cancel function. */
export type FanoutScheduler = (flush: () => void, delayMs: number) => () => void

export interface SlowPeerSink<P> {
  dropSlow(peer: P): void
}

export interface FanoutTickOptions<P extends FanoutPeer> {
  /** The doc's live peers (read at flush time): the set itself, not a copy. */
  peers: ReadonlySet<P>
  /** Told of a peer whose backlog passed `maxBufferedBytes`; it must stop being a peer. An
   * object (the doc), not a closure: every loaded room has two ticks. */
  slowPeers: SlowPeerSink<P>
  maxBufferedBytes: number
  /** Least time between two flushes for a room of this many peers. Defaults to `defaultFanoutDelay`. */
  delayFor?: (peerCount: number) => number
  /** Pending update bytes that force an immediate flush (bounds memory and frame size). */
  flushAtBytes?: number
  scheduler?: FanoutScheduler
  /** Milliseconds clock, injectable for tests. */
  now?: () => number
}

/**
 * Every room has a tick, so a flood of cursor moves from one peer is coalesced even in a room of
 * two: 4 ms up to 20 peers (people typing or dragging at 60 Hz are 16 ms apart, so each of their
 * messages still goes at once), then growing with the room up to 50 ms, so frames per second stay
 * near peers × 20 × 2 however fast people move. 50 ms of added delay at worst keeps cursors live
 * and leaves room inside the 100 ms document / 150 ms presence targets.
 */
export function defaultFanoutDelay(peerCount: number): number {
  return Math.min(50, 4 * Math.max(1, Math.ceil(peerCount / 20)))
}

export const defaultFanoutScheduler: FanoutScheduler = (flush, delayMs) => {
  if (delayMs <= 0) {
    const handle = setImmediate(flush)
    handle.unref()
    return () => clearImmediate(handle)
  }
  const handle = setTimeout(flush, delayMs)
  handle.unref()
  return () => clearTimeout(handle)
}

const DEFAULT_FLUSH_AT_BYTES = 512 * 1024

const monotonicNow = () => performance.now()

export class FanoutTick<P extends FanoutPeer> {
  private updates: Uint8Array[] = []
  private updateBytes = 0
  /** Made on the first presence entry: a doc nobody announces presence on never needs one. */
  private awareness: Map<number, AwarenessEntry> | null = null
  /** Who sent everything pending: a peer, `null` for several or the server, undefined for nothing. */
  private origin: P | null | undefined = undefined
  private cancel: (() => void) | null = null
  private lastFlushAt = -Infinity
  /** When document updates last went out: their own quiet spell decides their wait. */
  private lastUpdateFlushAt = -Infinity
  /** The wait the scheduled flush was set for (a doc update may need it sooner). */
  private scheduledFor = Infinity
  /** Set while sending: a peer dropped mid-flush queues its leaving for the next flush. */
  private flushing = false
  private readonly peers: ReadonlySet<P>
  private readonly slowPeers: SlowPeerSink<P>
  private readonly maxBufferedBytes: number
  private readonly delayFor: (peerCount: number) => number
  private readonly flushAtBytes: number
  private readonly scheduler: FanoutScheduler
  private readonly now: () => number

  // The options object is read here and not kept (it would cost every loaded doc its bytes).
  constructor(options: FanoutTickOptions<P>) {
    this.peers = options.peers
    this.slowPeers = options.slowPeers
    this.maxBufferedBytes = options.maxBufferedBytes
    this.delayFor = options.delayFor ?? defaultFanoutDelay
    this.flushAtBytes = options.flushAtBytes ?? DEFAULT_FLUSH_AT_BYTES
    this.scheduler = options.scheduler ?? defaultFanoutScheduler
    this.now = options.now ?? monotonicNow
  }

  /** True while something waits for the next tick. */
  get pending(): boolean {
    return this.updates.length > 0 || (this.awareness?.size ?? 0) > 0
  }

  /** Queues a document update; `origin` is the peer it came from (null: the server). */
  addUpdate(update: Uint8Array, origin: P | null = null): void {
    this.noteOrigin(origin)
    this.updates.push(update)
    this.updateBytes += update.length
    if (this.updateBytes >= this.flushAtBytes) this.flush()
    else this.schedule()
  }

  /** Queues awareness entries; `origin` is the peer they came from (null: the server). */
  addAwareness(entries: readonly AwarenessEntry[], origin: P | null = null): void {
    if (entries.length === 0) return
    this.noteOrigin(origin)
    const pending = (this.awareness ??= new Map())
    for (const entry of entries) {
      const previous = pending.get(entry.clientId)
      // Latest clock wins; at an equal clock a removal wins (the client left).
      if (previous && (entry.clock < previous.clock || (entry.clock === previous.clock && entry.stateJson !== 'null'))) continue
      pending.set(entry.clientId, entry)
    }
    if (pending.size > 0) this.schedule()
  }

  /** Sends everything pending now. Safe to call when nothing is pending. */
  flush(): void {
    this.cancel?.()
    this.cancel = null
    this.scheduledFor = Infinity
    const updates = this.updates
    // The map is reused (a flush is a hot path); anything added while sending goes to the next tick.
    const awareness = this.awareness && this.awareness.size > 0 ? [...this.awareness.values()] : null
    const skip = this.origin ?? null
    this.origin = undefined
    this.updates = []
    this.updateBytes = 0
    this.awareness?.clear()
    if (updates.length === 0 && !awareness) return
    this.lastFlushAt = this.now()
    if (updates.length > 0) this.lastUpdateFlushAt = this.lastFlushAt
    this.flushing = true
    try {
      if (updates.length > 0) this.sendToAll(encodeSyncUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)), skip)
      if (awareness) this.sendToAll(encodeAwareness(awareness), skip)
    } finally {
      this.flushing = false
    }
  }

  private noteOrigin(origin: P | null): void {
    this.origin = this.origin === undefined || this.origin === origin ? origin : null
  }

  private schedule(): void {
    const now = this.now()
    const delay = this.delayFor(this.peers.size)
    // Pending updates wait only on the last flush that carried updates; cursors alone, on any flush.
    const wait = Math.max(0, (this.updates.length > 0 ? this.lastUpdateFlushAt : this.lastFlushAt) + delay - now)
    if (wait === 0 && !this.flushing) return this.flush()
    const at = now + wait
    if (this.cancel && at >= this.scheduledFor) return
    this.cancel?.()
    this.scheduledFor = at
    this.cancel = this.scheduler(() => {
      this.cancel = null
      this.scheduledFor = Infinity
      this.flush()
    }, wait)
  }

  private sendToAll(payload: Uint8Array, skip: P | null): void {
    const frame = new SharedFrame(payload)
    for (const peer of this.peers) {
      if (peer === skip) continue
      if (peer.bufferedAmount > this.maxBufferedBytes) {
        this.slowPeers.dropSlow(peer)
        continue
      }
      if (peer.sendShared) peer.sendShared(frame)
      else peer.send(payload)
    }
  }
}
