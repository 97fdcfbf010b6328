import * as Y from 'yjs'

/**
 * What a client joining with an empty doc is sent, without encoding the whole doc per join.
 *
 * A full encoding of a 5,000-shape board is ~3 MB and 20–90 ms; in a room where anyone is
 * dragging a shape a plain cache of it is always stale, so a join storm re-encoded the board for
 * every joiner and stalled everyone (S3 in docs/performance.md). Here the full encoding (the
 * base) is kept with its state vector, and a joiner also gets the difference between the doc
 * now and the base: `encodeStateAsUpdate(doc, baseStateVector)`. That difference is small and
 * cheap (0.2 ms and ~11 KB after 3,000 drags on a 5,000-shape board) because a moved record's
 * old versions are garbage-collected in the live doc; merging the raw updates instead cost
 * 16–195 ms per join and grew with every drag. The base is re-encoded only when the difference
 * passes `maxDeltaBytes` (new content, not moves), and then at most once per `minRefreshMs`.
 *
 * The difference goes first, then the base as sync step 2: Yjs holds the difference as pending
 * until the base brings what it builds on, so a provider is complete when it reports `synced`.
 */
export interface JoinSnapshotOptions {
  /** A difference above this size makes the next join re-encode the base… */
  maxDeltaBytes: number
  /** …unless the base is younger than this. */
  minRefreshMs: number
  now?: () => number
}

export interface JoinState {
  /** The doc as of the base: send as sync step 2. */
  state: Uint8Array
  /** What changed since the base: send as a sync update just before step 2 (null: nothing). */
  since: Uint8Array | null
}

/** Whoever caches the doc's full encoding (the shared doc); an object, not a closure per doc. */
export interface FullEncoder {
  encodeState(): Uint8Array
}

export const defaultJoinSnapshotOptions: JoinSnapshotOptions = { maxDeltaBytes: 256 * 1024, minRefreshMs: 2000 }

const monotonicNow = () => performance.now()

export class JoinSnapshot {
  private base: Uint8Array | null = null
  private baseVector: Uint8Array | null = null
  private baseAt = 0
  private changed = false
  /** The difference as of the last join; null once the doc changed again. */
  private since: Uint8Array | null = null
  /** Size of the last difference computed. Kept across changes: they clear `since`, and a room
   * where someone edits between every two joins must still get a fresh base. */
  private lastSinceBytes = 0
  private readonly now: () => number

  constructor(
    private readonly doc: Y.Doc,
    private readonly options: JoinSnapshotOptions = defaultJoinSnapshotOptions,
    /** The full encoding, if the caller caches one. */
    private readonly full: FullEncoder = { encodeState: () => Y.encodeStateAsUpdate(doc) },
  ) {
    this.now = options.now ?? monotonicNow
  }

  /** Call whenever the doc changed. */
  record(): void {
    if (!this.base) return
    this.changed = true
    this.since = null
  }

  /** Size of the last difference sent (for tests and metrics). */
  get pendingBytes(): number {
    return this.lastSinceBytes
  }

  forEmptyClient(): JoinState {
    const now = this.now()
    const stale = this.lastSinceBytes > this.options.maxDeltaBytes && now - this.baseAt >= this.options.minRefreshMs
    if (!this.base || !this.baseVector || stale) {
      this.base = this.full.encodeState()
      this.baseVector = Y.encodeStateVector(this.doc)
      this.baseAt = now
      this.changed = false
      this.since = null
      this.lastSinceBytes = 0
    }
    if (!this.changed) return { state: this.base, since: null }
    if (!this.since) {
      this.since = Y.encodeStateAsUpdate(this.doc, this.baseVector)
      this.lastSinceBytes = this.since.length
    }
    return { state: this.base, since: this.since }
  }

  /** Forget everything (e.g. after the doc was replaced). */
  reset(): void {
    this.base = null
    this.baseVector = null
    this.changed = false
    this.since = null
    this.lastSinceBytes = 0
  }
}
