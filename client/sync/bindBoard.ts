import { isEqual, type TLRecord, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { cancelNextFrame, onNextFrame } from './remoteFrame.ts'

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
  // Remote changes not yet in the store: while held, and otherwise until the next frame.
  const waitingUpdates = new Map<string, TLRecord>()
  const waitingRemovals = new Set<string>()

  const stopLocal = store.listen(
    ({ changes }) => {
      doc.transact(() => {
        for (const record of Object.values(changes.added)) if (isShareable(record)) records.set(record.id, record)
        for (const [, record] of Object.values(changes.updated)) if (isShareable(record)) records.set(record.id, record)
        for (const record of Object.values(changes.removed)) records.delete(record.id)
      }, LOCAL_EDIT)
      // Our write now wins in the doc, so an older remote value still waiting must not undo it here.
      for (const id of [...Object.keys(changes.added), ...Object.keys(changes.updated), ...Object.keys(changes.removed)]) {
        waitingUpdates.delete(id)
        waitingRemovals.delete(id)
      }
    },
    { source: 'user', scope: 'document' },
  )

  const flush = () => {
    cancelNextFrame(store, flush)
    if (held || (waitingUpdates.size === 0 && waitingRemovals.size === 0)) return
    const removedIds = [...waitingRemovals]
    const updated = [...waitingUpdates.values()]
    waitingRemovals.clear()
    waitingUpdates.clear()
    store.mergeRemoteChanges(() => {
      const removed = removedIds.filter((id) => store.has(id as TLRecord['id'])) as TLRecord['id'][]
      if (removed.length > 0) store.remove(removed)
      putValid(store, updated)
    })
  }

  const stopRemote = records.observe((change, transaction) => {
    // Duplicate cleanup by KeyValueArray is local too, but not in the store yet: only skip our edits.
    if (transaction.origin === LOCAL_EDIT) return
    for (const id of change.removed) {
      waitingUpdates.delete(id)
      waitingRemovals.add(id)
    }
    for (const [id, record] of change.updated) {
      waitingRemovals.delete(id)
      waitingUpdates.set(id, record)
    }
    // Five people dragging send ~100 changes a second; each store change re-renders the canvas,
    // so they are applied together, once per frame (a card dragged twice moves once).
    if (!held) onNextFrame(store, flush)
  })

  return {
    stop() {
      stopLocal()
      stopRemote()
      cancelNextFrame(store, flush)
    },
    setHeld(next) {
      held = next
      flush()
    },
    get waiting() {
      return held ? waitingUpdates.size + waitingRemovals.size : 0
    },
  }
}

/**
 * Puts records one batch at a time, falling back to one by one: a single record that fails
 * tldraw's validators (a peer on another version, or a hostile one) must not block the rest.
 */
function putValid(store: TLStore, incoming: TLRecord[]): void {
  const shareable = incoming.filter(isShareable).map((record) => keepUnchangedParts(store, record))
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

/**
 * A record from the doc is a fresh object, even when a peer only moved a shape. tldraw redraws a
 * shape and recomputes its geometry whenever its `props` or `meta` object is new (it compares
 * them by identity), so unchanged ones are swapped for the objects the store already holds.
 */
function keepUnchangedParts(store: TLStore, record: TLRecord): TLRecord {
  const current = store.get(record.id)
  if (!current || !('props' in current) || !('props' in record)) return record
  const props = isEqual(current.props, record.props) ? current.props : record.props
  const meta = isEqual(current.meta, record.meta) ? current.meta : record.meta
  return props === record.props && meta === record.meta ? record : ({ ...record, props, meta } as TLRecord)
}
