import type { TLRecord, TLStore } from 'tldraw'
import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'

/** Records that must never reach the shared board: attribution would name people. */
const isShareable = (record: TLRecord) => record.typeName !== 'user'

/** Origin of this tab's own edits: already in the store, so not applied back to it. */
const LOCAL_EDIT = Symbol('local board edit')

export const boardRecords = (doc: Y.Doc) => new KeyValueArray<TLRecord>(doc.getArray(BoardRoot.records))

export interface BoardBinding {
  stop(): void
  /**
   * While held (live updates paused, L18), other people's changes wait here instead of moving
   * the canvas; releasing applies them all at once. This person's own edits still go out.
   */
  setHeld(held: boolean): void
  /** Remote changes waiting while held. */
  readonly waiting: number
}

/**
 * Binds a tldraw store to the board doc both ways. Local user edits go to Yjs; remote Yjs
 * changes come back through `mergeRemoteChanges`, which tldraw marks as remote so they do not
 * echo. The store must already hold the board's records (the server seeds every board).
 */
export function bindBoard(store: TLStore, doc: Y.Doc, records: KeyValueArray<TLRecord>): BoardBinding {
  let held = false
  const waitingUpdates = new Map<string, TLRecord>()
  const waitingRemovals = new Set<string>()

  const stopLocal = store.listen(
    ({ changes }) => {
      doc.transact(() => {
        for (const record of Object.values(changes.added)) if (isShareable(record)) records.set(record.id, record)
        for (const [, record] of Object.values(changes.updated)) if (isShareable(record)) records.set(record.id, record)
        for (const record of Object.values(changes.removed)) records.delete(record.id)
      }, LOCAL_EDIT)
    },
    { source: 'user', scope: 'document' },
  )

  const apply = (removedIds: Iterable<string>, updated: Iterable<TLRecord>) => {
    store.mergeRemoteChanges(() => {
      const removed = [...removedIds].filter((id) => store.has(id as TLRecord['id'])) as TLRecord['id'][]
      if (removed.length > 0) store.remove(removed)
      putValid(store, [...updated])
    })
  }

  const stopRemote = records.observe((change, transaction) => {
    // Duplicate cleanup by KeyValueArray is local too, but not in the store yet: only skip our edits.
    if (transaction.origin === LOCAL_EDIT) return
    if (!held) return apply(change.removed, change.updated.values())
    for (const id of change.removed) {
      waitingUpdates.delete(id)
      waitingRemovals.add(id)
    }
    for (const [id, record] of change.updated) {
      waitingRemovals.delete(id)
      waitingUpdates.set(id, record)
    }
  })

  return {
    stop() {
      stopLocal()
      stopRemote()
    },
    setHeld(next) {
      held = next
      if (held || (waitingUpdates.size === 0 && waitingRemovals.size === 0)) return
      apply([...waitingRemovals], [...waitingUpdates.values()])
      waitingRemovals.clear()
      waitingUpdates.clear()
    },
    get waiting() {
      return waitingUpdates.size + waitingRemovals.size
    },
  }
}

/**
 * Puts records one batch at a time, falling back to one by one: a single record that fails
 * tldraw's validators (a peer on another version, or a hostile one) must not block the rest.
 */
function putValid(store: TLStore, incoming: TLRecord[]): void {
  const shareable = incoming.filter(isShareable)
  if (shareable.length === 0) return
  try {
    store.put(shareable)
  } catch {
    for (const record of shareable) {
      try {
        store.put([record])
      } catch (error) {
        console.warn('Skipped a board record that failed validation', record.typeName, error)
      }
    }
  }
}
