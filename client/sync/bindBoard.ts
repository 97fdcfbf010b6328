import { isEqual, type TLRecord, type TLShape, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { cancelNextFrame, onNextFrame } from './remoteFrame.ts'

/** Records that must never reach the shared board: attribution would name people. */
const isShareable = (record: TLRecord) => record.typeName !== 'user'

/** Origin of this tab's own edits: already in the store, so not applied back to it. */
const LOCAL_EDIT = Symbol('local board edit')

export const boardRecords = (doc: Y.Doc) => new KeyValueArray<TLRecord>(doc.getArray(BoardRoot.records))

/**
 * Draws other people's moves without the store (client/board/remoteMoves.ts). The binding
 * decides when a drawn move reaches the store; the drawer only draws and undraws.
 */
export interface MoveDrawer {
  /** Draws the shape where `next` puts it, if nobody here is using it; true if drawn. */
  draw(next: TLShape): boolean
  /** Gives the shape back to the canvas: called just before its record goes into the store. */
  release(id: TLRecord['id']): void
  /** Gives every drawn shape back. */
  stop(): void
}

/** The fields of a shape a move changes. */
const MOVE_FIELDS = new Set(['x', 'y', 'rotation'])

/** Whether `next` only moves the shape `current` is: a change that may be drawn before it is stored. */
export function onlyMoves(current: TLRecord, next: TLRecord): next is TLShape {
  if (current.typeName !== 'shape' || next.typeName !== 'shape') return false
  const before = current as unknown as Record<string, unknown>
  const after = next as unknown as Record<string, unknown>
  // A place the store would refuse (a peer on another version, or a hostile one) is not drawn either.
  if (![after.x, after.y, after.rotation].every((value) => typeof value === 'number' && Number.isFinite(value))) return false
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!MOVE_FIELDS.has(key) && !isEqual(before[key], after[key])) return false
  }
  return true
}

/** A drawn move reaches the store once its shape has rested this long… */
const DRAWN_REST_MS = 500
/** …or, while it keeps moving, this long after its first drawn move (with every other drawn move). */
const DRAWN_AT_MOST_MS = 1000

export interface BoardBinding {
  stop(): void
  /**
   * While held (live updates paused, L18), other people's changes wait here instead of moving
   * the canvas; releasing applies them all at once. This person's own edits still go out.
   */
  setHeld(held: boolean): void
  /** Remote changes waiting while held. */
  readonly waiting: number
  /** Draws other people's moves with this (null: every change through the store). */
  setDrawer(drawer: MoveDrawer | null): void
  /** Puts every drawn move into the store now: this person is about to use the canvas. */
  settleMoves(): void
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
  // Other people's moves on screen but not yet in the store, with when they started and last moved.
  const drawnMoves = new Map<string, { record: TLRecord; firstAt: number; lastAt: number }>()
  let drawer: MoveDrawer | null = null
  let restTimer: ReturnType<typeof setTimeout> | null = null

  const undraw = (id: string) => {
    if (drawnMoves.delete(id)) drawer?.release(id as TLRecord['id'])
  }
  /**
   * Moves that have rested go into the store; once any has waited DRAWN_AT_MOST_MS, every drawn
   * move goes with it: a store change costs a pass over the whole canvas however few cards it
   * moves, so five people dragging make one such pass a second, not five. `all`: every one now.
   */
  const putDrawn = (all: boolean) => {
    cancelNextFrame(store, putRested)
    const now = performance.now()
    const overdue = all || [...drawnMoves.values()].some((move) => now - move.firstAt >= DRAWN_AT_MOST_MS)
    const due: TLRecord[] = []
    for (const [id, move] of drawnMoves) {
      if (!overdue && now - move.lastAt < DRAWN_REST_MS) continue
      undraw(id)
      due.push(move.record)
    }
    if (due.length > 0) store.mergeRemoteChanges(() => putValid(store, due))
    if (drawnMoves.size > 0) restTimer ??= setTimeout(whenRested, DRAWN_REST_MS / 2)
  }
  const putRested = () => putDrawn(false)
  // Checked on a timer, put in the next frame with any other remote changes.
  const whenRested = () => {
    restTimer = null
    onNextFrame(store, putRested)
  }

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

  // A change made here to a shape drawn where someone else moved it starts from where it is drawn,
  // not from the store's older place (which would move it back for everyone). Before the change,
  // so the canvas draws the shape from the store again by the time it applies.
  const stopBeforeChange = store.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
    const drawn = drawnMoves.get(next.id)?.record
    if (source !== 'user' || drawn?.typeName !== 'shape') return next
    undraw(next.id)
    const moved = next.x !== prev.x || next.y !== prev.y || next.rotation !== prev.rotation
    return moved ? next : { ...next, x: drawn.x, y: drawn.y, rotation: drawn.rotation }
  })
  const stopBeforeDelete = store.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
    if (source === 'user') undraw(shape.id)
  })

  const flush = () => {
    cancelNextFrame(store, flush)
    if (held || (waitingUpdates.size === 0 && waitingRemovals.size === 0)) return
    const removedIds = [...waitingRemovals]
    const updated: TLRecord[] = []
    const now = performance.now()
    for (const record of waitingUpdates.values()) {
      const current = drawer ? store.get(record.id) : undefined
      if (current && onlyMoves(current, record) && drawer?.draw(record)) {
        drawnMoves.set(record.id, { record, firstAt: drawnMoves.get(record.id)?.firstAt ?? now, lastAt: now })
        continue
      }
      undraw(record.id)
      updated.push(record)
    }
    for (const id of removedIds) undraw(id)
    waitingRemovals.clear()
    waitingUpdates.clear()
    if (drawnMoves.size > 0) restTimer ??= setTimeout(whenRested, DRAWN_REST_MS / 2)
    if (removedIds.length === 0 && updated.length === 0) return
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
      stopBeforeChange()
      stopBeforeDelete()
      cancelNextFrame(store, flush)
      cancelNextFrame(store, putRested)
      if (restTimer) clearTimeout(restTimer)
      drawer?.stop()
      drawnMoves.clear()
    },
    setHeld(next) {
      held = next
      // What is drawn is what this person sees: paused or not, the store shows the same.
      putDrawn(true)
      flush()
    },
    setDrawer(next) {
      putDrawn(true)
      drawer?.stop()
      drawer = next
    },
    settleMoves() {
      putDrawn(true)
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
