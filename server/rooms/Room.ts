import type { Db } from '../storage/database.ts'
import { DocName } from '../../shared/docs.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import type { UpdateWriter } from '../storage/UpdateWriter.ts'
import { SharedDoc, type SharedDocOptions } from './SharedDoc.ts'

export interface RoomDeps {
  db: Db
  docs: DocStore
  writer: UpdateWriter
  log: Logger
  messagesPerSecond: number
  compactAfterUpdates: number
  checkBoardContent?: SharedDocOptions['checkContent']
}

/** A workshop's two live documents: `board` (everyone edits) and `state` (server writes only). */
export class Room {
  readonly board: SharedDoc
  readonly state: SharedDoc
  /** Sockets plus in-flight server operations keeping the room loaded. */
  holders = 0
  private readonly storedUpdates: Record<DocName, number> = { board: 0, state: 0 }

  constructor(
    readonly workshopId: string,
    private readonly deps: RoomDeps,
  ) {
    const make = (name: DocName, readOnly: boolean, checkContent?: SharedDocOptions['checkContent']) =>
      new SharedDoc({
        name,
        readOnly,
        log: deps.log.child({ workshopId, doc: name }),
        messagesPerSecond: deps.messagesPerSecond,
        persist: (update) => this.persistClientUpdate(name, update),
        ...(checkContent ? { checkContent } : {}),
      })
    this.board = make(DocName.board, false, deps.checkBoardContent)
    this.state = make(DocName.state, true)
  }

  doc(name: DocName): SharedDoc {
    return name === DocName.board ? this.board : this.state
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
   * Applies a server change to a doc and stores it inside the caller's SQLite transaction, then
   * broadcasts once the transaction has committed. `domainWrite` runs in the same transaction,
   * so a 2xx to the caller means both the domain rows and the doc update are on disk.
   */
  commit<T>(name: DocName, domainWrite: () => T, change: (doc: import('yjs').Doc) => void): T {
    const shared = this.doc(name)
    let update: Uint8Array | null = null
    const result = this.deps.db.transaction(() => {
      const value = domainWrite()
      update = shared.transactHeld(change)
      if (update) this.deps.docs.append(this.workshopId, name, update)
      return value
    })()
    if (update) {
      this.storedUpdates[name] += 1
      shared.publish(update)
    }
    return result
  }

  get connectionCount(): number {
    return this.board.connectionCount + this.state.connectionCount
  }

  /** Writes any queued edits and folds stored updates into one snapshot when there are many. */
  compact(force = false): void {
    for (const name of [DocName.board, DocName.state]) {
      if (!force && this.storedUpdates[name] < this.deps.compactAfterUpdates) continue
      if (this.storedUpdates[name] === 0) continue
      if (!this.deps.writer.flush()) return
      this.deps.docs.compact(this.workshopId, name, this.doc(name).encodeState())
      this.storedUpdates[name] = 0
    }
  }

  closeAll(code: number, reason: string): void {
    this.board.closeAll(code, reason)
    this.state.closeAll(code, reason)
  }

  private persistClientUpdate(name: DocName, update: Uint8Array): void {
    this.deps.writer.enqueue(this.workshopId, name, update)
    this.storedUpdates[name] += 1
  }
}
