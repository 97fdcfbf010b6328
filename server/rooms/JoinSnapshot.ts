import * as Y from 'yjs'

/**
 * What a client joining with an empty doc is sent, without encoding the whole doc per join.
 *
 * `SharedDoc.encodeState()` caches the full encoding but drops it on every update, so in a room
 * where anyone is dragging a shape the cache is always cold, and each join re-encodes the board
 * (~2.7–3 MB and 35–90 ms at 5,000 shapes): a join storm then costs seconds of CPU and stalls
 * everyone. Here the full encoding (the base) is kept, and updates applied since are kept
 * beside it; a joiner gets the updates since as one merged sync update and then the base as
 * sync step 2 (so it is complete when its provider reports `synced`). The base is re-encoded
 * only when those updates grow past `maxDeltaBytes`, and then at most once per `minRefreshMs`.
 *
 * SharedDoc's `syncStep1` branch sends the two frames; its update handler calls `record`.
 */
export interface JoinSnapshotOptions {
  /** Updates since the base above this size make the next join re-encode the base… */
  maxDeltaBytes: number
  /** …unless the base is younger than this. */
  minRefreshMs: number
  now?: () => number
}

export interface JoinState {
  /** The doc as of the base: send as sync step 2. */
  state: Uint8Array
  /** Everything applied since, merged: send as a sync update just before step 2 (null: nothing). */
  since: Uint8Array | null
}

export const defaultJoinSnapshotOptions: JoinSnapshotOptions = { maxDeltaBytes: 256 * 1024, minRefreshMs: 2000 }

export class JoinSnapshot {
  private base: Uint8Array | null = null
  private baseAt = 0
  private deltas: Uint8Array[] = []
  private deltaBytes = 0
  private merged: Uint8Array | null = null
  private readonly now: () => number

  constructor(
    private readonly encodeFull: () => Uint8Array,
    private readonly options: JoinSnapshotOptions = defaultJoinSnapshotOptions,
  ) {
    this.now = options.now ?? (() => performance.now())
  }

  /** Call with every update applied to the doc, in order. */
  record(update: Uint8Array): void {
    if (!this.base) return
    this.deltas.push(update)
    this.deltaBytes += update.length
    this.merged = null
  }

  /** Bytes of updates kept beside the base (for tests and metrics). */
  get pendingBytes(): number {
    return this.deltaBytes
  }

  forEmptyClient(): JoinState {
    const now = this.now()
    if (!this.base || (this.deltaBytes > this.options.maxDeltaBytes && now - this.baseAt >= this.options.minRefreshMs)) {
      this.base = this.encodeFull()
      this.baseAt = now
      this.deltas = []
      this.deltaBytes = 0
      this.merged = null
    }
    if (this.deltas.length === 0) return { state: this.base, since: null }
    this.merged ??= this.deltas.length === 1 ? this.deltas[0]! : Y.mergeUpdates(this.deltas)
    // Keep one merged update instead of many: the next join merges less.
    this.deltas = [this.merged]
    return { state: this.base, since: this.merged }
  }

  /** Forget everything (e.g. after the doc was replaced). */
  reset(): void {
    this.base = null
    this.deltas = []
    this.deltaBytes = 0
    this.merged = null
  }
}
