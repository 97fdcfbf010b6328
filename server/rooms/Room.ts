import type * as Y from 'yjs'
import { BoardRoot, DocName } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import type { BoardRecord } from '../../shared/boardRecords.ts'
import type { Section } from '../../shared/sections.ts'
import { readSection } from '../../shared/stateDoc.ts'
import { describeError, type Logger } from '../logger.ts'
import type { Db } from '../storage/database.ts'
import type { DocStore } from '../storage/DocStore.ts'
import type { UpdateWriter } from '../storage/UpdateWriter.ts'
import { SharedDoc, type DocSink, type SharedDocOptions } from './SharedDoc.ts'
import { RoomDiscarded } from './roomErrors.ts'


/** Stored updates deleted per step of a periodic compaction (each step is one small commit). */
export const COMPACT_TRIM_ROWS = 50

export interface RoomDeps {
  db: Db
  docs: DocStore
  writer: UpdateWriter
  log: Logger
  messagesPerSecond: number
  compactAfterUpdates: number
  /** Builds the board's content rules for a room (the board guard). */
  boardGuard?: (room: Room) => SharedDocOptions['checkContent']
  /** Encoded size the board may reach through client edits. */
  maxBoardBytes?: number
  /** Largest presence state a client may announce. */
  maxPresenceBytes?: number
  /** Bytes one actor may send to one doc: a rate and a burst. */
  inbound?: SharedDocOptions['inbound']
  /** Structs, values and deleted ranges one client update may carry. */
  maxUpdateParts?: number
  /** Resolves once everything committed so far is power-safe (WalSync); absent: already is. */
  durable?: () => Promise<void>
}

export type DocChanges = Partial<Record<DocName, (doc: Y.Doc) => void>>

/** A workshop's two live documents: `board` (everyone edits) and `state` (server writes only). */
export class Room implements DocSink {
  readonly board: SharedDoc
  readonly state: SharedDoc
  /** Sockets plus in-flight server operations keeping the room loaded. */
  holders = 0
  /** Set when memory and disk may disagree; the registry then drops this copy. */
  poisoned = false
  /** Set when the workshop was deleted; the registry never saves or reuses this copy. */
  discarded = false
  private readonly storedUpdates: Record<DocName, number> = { board: 0, state: 0 }
  /** Stored updates a snapshot already holds, still to delete (see `compactStep`); null: none. */
  private covered: { name: DocName; upTo: number }[] | null = null
  private records: KeyValueArray<BoardRecord> | null = null

  constructor(
    readonly workshopId: string,
    private readonly deps: RoomDeps,
  ) {
    const make = (name: DocName, readOnly: boolean, checkContent?: SharedDocOptions['checkContent']) =>
      new SharedDoc(
        {
          name,
          readOnly,
          log: deps.log,
          workshopId,
          messagesPerSecond: deps.messagesPerSecond,
          ...(checkContent ? { checkContent } : {}),
          ...(name === DocName.board && deps.maxBoardBytes !== undefined ? { maxDocBytes: deps.maxBoardBytes } : {}),
          ...(deps.maxPresenceBytes !== undefined ? { maxPresenceBytes: deps.maxPresenceBytes } : {}),
          ...(deps.inbound ? { inbound: deps.inbound } : {}),
          ...(deps.maxUpdateParts !== undefined ? { maxUpdateParts: deps.maxUpdateParts } : {}),
        },
        this,
      )
    this.board = make(DocName.board, false, deps.boardGuard?.(this))
    this.state = make(DocName.state, true)
  }

  doc(name: DocName): SharedDoc {
    return name === DocName.board ? this.board : this.state
  }

  /** tldraw records on the board, keyed by record id. */
  get boardRecords(): KeyValueArray<BoardRecord> {
    this.records ??= new KeyValueArray<BoardRecord>(this.board.doc.getArray(BoardRoot.records))
    return this.records
  }

  section(sectionId: string): Section | undefined {
    return readSection(this.state.doc, sectionId)
  }

  /** Reads both docs from storage; throws if either is unreadable. */
  load(): void {
    for (const name of [DocName.board, DocName.state]) {
      const stored = this.deps.docs.load(this.workshopId, name)
      this.doc(name).load(stored.updates)
      this.storedUpdates[name] = stored.updateCount
    }
  }

  /**
   * Runs `domainWrite`, applies the doc changes and stores their updates, all in one SQLite
   * transaction; broadcasts only once that is power-safe (`durable`), so nobody sees a change
   * a power cut could take back. HTTP answers wait for the same sync (see app.ts). If the
   * transaction fails after a doc changed in memory, this copy is poisoned and dropped.
   */
  commit<T>(domainWrite: () => T, changes: DocChanges = {}): T {
    if (this.discarded) throw new RoomDiscarded()
    const updates: [DocName, Uint8Array][] = []
    let docsChanged = false
    const transaction = this.deps.db.transaction(() => {
      const value = domainWrite()
      for (const name of [DocName.state, DocName.board]) {
        const change = changes[name]
        if (!change) continue
        const update = this.doc(name).transactHeld(change)
        if (!update) continue
        // From here memory is ahead of the disk until the transaction commits.
        docsChanged = true
        this.deps.docs.append(this.workshopId, name, update)
        updates.push([name, update])
      }
      // Let go part way through (a nested acquire noticed ownership was lost): roll it all back.
      if (this.discarded) throw new RoomDiscarded()
      return value
    })
    let result: T
    try {
      result = transaction()
    } catch (error) {
      // The docs may hold changes the disk refused: this copy must not be served any more.
      // (Checking `updates` missed the common case: the append itself is what the disk refuses,
      // and a later compaction then saved the refused change after all.)
      if (docsChanged) this.poisoned = true
      throw error
    }
    for (const [name] of updates) this.storedUpdates[name] += 1
    const publish = () => {
      for (const [name, update] of updates) this.doc(name).publish(update)
    }
    if (updates.length === 0 || !this.deps.durable) publish()
    else
      void this.deps.durable().then(publish, (error: unknown) => {
        // SQLite and memory still agree; only power-safety is in doubt, and the request says so.
        this.deps.log.error('storage.sync_failed', describeError(error))
        publish()
      })
    return result
  }

  /** Sockets `actorKey` has open on either doc. */
  socketsOf(actorKey: string): number {
    return this.board.connectionsOf(actorKey) + this.state.connectionsOf(actorKey)
  }

  acceptsWrites(): boolean {
    return !this.deps.writer.full
  }

  get connectionCount(): number {
    return this.board.connectionCount + this.state.connectionCount
  }

  /**
   * Writes any queued edits and folds stored updates into one snapshot, all at once: for
   * unloading and shutting down (and `force`: whatever the count). Periodic compaction of a
   * loaded room uses `compactStep`.
   */
  compact(force = false): void {
    for (const name of [DocName.board, DocName.state]) {
      if (!force && this.storedUpdates[name] < this.deps.compactAfterUpdates) continue
      // A doc part way through `compactStep`'s trim still has rows its snapshot covers: delete them too.
      if (this.storedUpdates[name] === 0 && !this.covered?.some((c) => c.name === name)) continue
      if (!this.deps.writer.flush()) return
      this.deps.docs.compact(this.workshopId, name, this.doc(name).encodeState())
      this.storedUpdates[name] = 0
    }
    if (force) this.covered = null
  }

  /**
   * Folds the state doc's stored history into one snapshot now. Its updates step with each
   * person's action (running totals per ballot, "N have voted", joins), so after a publication or
   * a round close none may stay on disk (diskHygiene.scrubWorkshop). Board edits stay queued:
   * only the state doc, which every commit writes at once, is folded.
   */
  foldStateHistory(): void {
    if (this.poisoned || this.discarded) return
    this.deps.docs.compact(this.workshopId, DocName.state, this.state.encodeState())
    this.storedUpdates.state = 0
    this.covered = this.covered?.filter((c) => c.name !== DocName.state) ?? null
    if (this.covered?.length === 0) this.covered = null
  }

  /**
   * Periodic compaction in small steps: a doc with many stored updates gets a snapshot, then the
   * rows it covers are deleted `COMPACT_TRIM_ROWS` per call. Deleting a room's hundreds of rows in
   * one commit dirtied a page per row (rooms' rows interleave), and that commit held the event
   * loop for 10–110 ms in S2 (docs/performance.md). Queued edits need no flush first: they are
   * stored after the snapshot's rows and are in it too, which Yjs ignores on load.
   * Returns true while rows remain to delete (call again).
   */
  compactStep(): boolean {
    // A copy whose memory may differ from the disk must never be saved (see `commit`).
    if (this.poisoned || this.discarded) return false
    if (!this.covered) {
      for (const name of [DocName.board, DocName.state]) {
        if (this.storedUpdates[name] < this.deps.compactAfterUpdates) continue
        const upTo = this.deps.docs.snapshot(this.workshopId, name, this.doc(name).encodeState())
        this.storedUpdates[name] = 0
        if (upTo !== null) (this.covered ??= []).push({ name, upTo })
      }
      return this.covered !== null
    }
    const next = this.covered[0]!
    if (this.deps.docs.trim(this.workshopId, next.name, next.upTo, COMPACT_TRIM_ROWS) < COMPACT_TRIM_ROWS) this.covered.shift()
    if (this.covered.length === 0) this.covered = null
    return this.covered !== null
  }

  /** See `SharedDoc.trimMemory`. */
  trimMemory(): void {
    this.board.trimMemory()
    this.state.trimMemory()
  }

  closeAll(code: number, reason: string): void {
    this.board.closeAll(code, reason)
    this.state.closeAll(code, reason)
  }

  persistClientUpdate(name: DocName, update: Uint8Array): void {
    this.deps.writer.enqueue(this.workshopId, name, update)
    this.storedUpdates[name] += 1
  }
}
