import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { DOCUMENT_ID, IDEA_CARD_TYPE, isSectionFrameId, isServerShapeId, PAGE_ID, type BoardRecord } from '../../shared/boardRecords.ts'
import type { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { CloseCode } from '../../shared/closeCodes.ts'
import { checkBoardRecord, type RecordLimits } from './boardRecordValidation.ts'
import type { ContentWriter } from './SharedDoc.ts'
import type { UpdateInspection } from './updateInspection.ts'

export interface BoardGuardLimits extends RecordLimits {
  /** Records created by someone else one participant may delete per minute. */
  foreignDeletesPerMinute: number
  /** JSON bytes of the records one participant last wrote that may be on the board at once. */
  boardBytesPerParticipant: number
}

/** A refusal that needs its own close code (the default is 4405, content refused). */
export interface ContentRefusal {
  reason: string
  closeCode: number
}

/** The facilitator's actor key (see server/services/actors.ts); moderators are not limited. */
const FACILITATOR = 'facilitator'
const DELETE_WINDOW_MS = 60_000
const overQuota = (): ContentRefusal => ({ reason: 'board_quota', closeCode: CloseCode.tooLarge })

/**
 * The board's content rules for one room, with the memory they need: who created each record
 * (this room's lifetime only, never stored or sent) and how many records each participant
 * deleted that someone else created. A record that was on the board when the room loaded has
 * no known creator and counts as someone else's for everyone.
 */
export function createBoardGuard(records: () => KeyValueArray<BoardRecord>, limits: BoardGuardLimits, now: () => number = Date.now) {
  const creators = new Map<string, string>()
  // Made at the first foreign delete: most rooms never have one, and every loaded room has a guard.
  let deletes: Map<string, { startedAt: number; count: number }> | null = null
  const quota = new BoardQuota(limits.boardBytesPerParticipant, limits.maxRecordBytes)
  const walking = new WalkBudget(now)
  return (inspection: UpdateInspection, doc: Y.Doc, writer: ContentWriter): string | ContentRefusal | null => {
    // First, and bounded: how far Yjs would walk the board to place the new items.
    const steps = conflictWalk(inspection, doc)
    if (steps === null) return 'new board items must follow the items they were added after'
    // Retryable (4429), never a reset: an honest client far behind keeps its edits and tries again.
    if (steps > MAX_WALK_PER_UPDATE || !walking.take(writer.actorKey, steps)) return { reason: 'board_walk', closeCode: CloseCode.rateLimited }
    // Before tldraw's validators (the costly part): an update bigger than everything this person
    // could free plus their share is refused unread. 3,000 valid shapes cost ~200 ms to validate.
    if (!quota.mightAllow(writer.actorKey, inspection)) return overQuota()
    const check = checkBoardUpdate(inspection, doc, records(), limits)
    if (check.reason) return check.reason
    if (!quota.allows(writer.actorKey, check)) return overQuota()
    const foreign = check.removed.filter((key) => creators.get(key) !== writer.actorKey)
    if (foreign.length > 0 && writer.actorKey !== FACILITATOR) {
      const at = now()
      deletes ??= new Map()
      let window = deletes.get(writer.actorKey)
      if (!window || at - window.startedAt >= DELETE_WINDOW_MS) window = { startedAt: at, count: 0 }
      if (window.count + foreign.length > limits.foreignDeletesPerMinute)
        return `you can remove at most ${limits.foreignDeletesPerMinute} shapes made by others per minute`
      window.count += foreign.length
      deletes.set(writer.actorKey, window)
    }
    for (const key of check.removed) creators.delete(key)
    for (const key of check.created) creators.set(key, writer.actorKey)
    quota.record(writer.actorKey, check)
    return null
  }
}

/**
 * Each participant's share of the board: the JSON bytes of the records they last wrote. Filling
 * the board with invisible shapes used to leave every honest edit refused; now one person runs
 * out of their own share long before the board is full. In memory for the room's lifetime only
 * (never stored: it links people to records). The facilitator has a share too, `FACILITATOR_SHARES`
 * times as big: anyone may create a workshop, and with no share its key filled a board with 1.6
 * million deleted entries that took seconds and hundreds of MB to load (December robustness review).
 */
/**
 * What one struct of deleted history counts against a share. Made and deleted in one go, entries
 * arrive as deleted items holding nothing, so they counted for nothing, yet each one that cannot
 * merge with its neighbours stays in the doc: a chain of them filled the board's size limit.
 * Honest history (a card moved many times while offline) merges into a few structs.
 */
const TOMBSTONE_BYTES = 16
const FACILITATOR_SHARES = 4

class BoardQuota {
  private readonly owners = new Map<string, { actor: string; bytes: number }>()
  private readonly usage = new Map<string, number>()

  constructor(
    private readonly bytesPerParticipant: number,
    /** A bigger record is refused on its own (4405); it counts as this much here. */
    private readonly maxRecordBytes: number,
  ) {}

  private shareOf(actor: string): number {
    return actor === FACILITATOR ? this.bytesPerParticipant * FACILITATOR_SHARES : this.bytesPerParticipant
  }

  /** A cheap upper bound: false only if the update cannot fit however much of their own it replaces. */
  mightAllow(actor: string, inspection: UpdateInspection): boolean {
    let incoming = 0
    for (const item of inspection.newStructs) {
      if (item.content instanceof Y.ContentDeleted) incoming += TOMBSTONE_BYTES
      if (!(item.content instanceof Y.ContentAny)) continue
      for (const entry of item.content.getContent()) {
        const val = (entry as { val?: unknown } | null)?.val
        incoming += val === undefined ? 0 : Math.min(this.maxRecordBytes, JSON.stringify(val)?.length ?? 0)
      }
    }
    return incoming - (this.usage.get(actor) ?? 0) <= this.shareOf(actor)
  }

  /** Whether `actor` stays within its share after `check`, or at least does not grow past it. */
  allows(actor: string, check: BoardCheck): boolean {
    const current = this.usage.get(actor) ?? 0
    let projected = current + check.tombstones * TOMBSTONE_BYTES
    for (const [key, bytes] of check.written) {
      const previous = this.owners.get(key)
      if (previous?.actor === actor) projected -= previous.bytes
      projected += bytes
    }
    for (const key of check.removed) {
      const previous = this.owners.get(key)
      if (previous?.actor === actor && !check.written.has(key)) projected -= previous.bytes
    }
    return projected <= this.shareOf(actor) || projected <= current
  }

  record(actor: string, check: BoardCheck): void {
    const release = (key: string) => {
      const previous = this.owners.get(key)
      if (!previous) return
      this.usage.set(previous.actor, (this.usage.get(previous.actor) ?? 0) - previous.bytes)
      this.owners.delete(key)
    }
    for (const key of check.removed) release(key)
    // Deleted history stays in the doc for good, so its share is never given back.
    if (check.tombstones > 0) this.usage.set(actor, (this.usage.get(actor) ?? 0) + check.tombstones * TOMBSTONE_BYTES)
    for (const [key, bytes] of check.written) {
      release(key)
      this.owners.set(key, { actor, bytes })
      this.usage.set(actor, (this.usage.get(actor) ?? 0) + bytes)
    }
  }
}

export interface BoardCheck {
  reason: string | null
  /** Keys this update brings onto the board. */
  created: string[]
  /** Keys this update removes from the board (not moves or overwrites). */
  removed: string[]
  /** Keys this update writes, with the JSON size of the record written (the last, if several). */
  written: Map<string, number>
  /**
   * Structs of deleted history this update leaves: entries that arrive already deleted, and
   * entries it deletes (each stays in the doc; made and deleted in turn, they were free).
   */
  tombstones: number
}

/** Records only the server may create or remove: section frames, idea cards, the page. */
const isProtected = (key: string) => isServerShapeId(key) || key === PAGE_ID || key === DOCUMENT_ID

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Content rules for participant writes to the board. People may add their own shapes and
 * move idea cards (into another frame too); they may not create, delete or re-point idea
 * cards, change section frames in any way, write outside the records array, put user
 * (attribution) records on the board, or write records tldraw's own validators refuse.
 * Returns a reason to refuse (or null) and which keys the update creates and removes.
 */
export function checkBoardUpdate(inspection: UpdateInspection, doc: Y.Doc, records: KeyValueArray<BoardRecord>, limits: RecordLimits): BoardCheck {
  const refuse = (reason: string): BoardCheck => ({ reason, created: [], removed: [], written: new Map(), tombstones: 0 })
  let tombstones = 0
  const written = new Map<string, number>()
  const yarray = doc.getArray(BoardRoot.records)
  const pending: PendingIndex = new Map()
  for (const item of inspection.newStructs) {
    const list = pending.get(item.id.client) ?? []
    list.push(item)
    pending.set(item.id.client, list)
  }
  const netChange = new Map<string, number>()
  const bump = (key: string, by: number) => netChange.set(key, (netChange.get(key) ?? 0) + by)

  const placed = new Map<Y.Item, boolean>()
  for (const item of inspection.newStructs) {
    if (!isInRecordsArray(item, doc, yarray, pending, inspection.newStructs.length, placed)) return refuse('writes outside the board records are not allowed')
    // An entry made and replaced while offline (every move replaces its record's entry) arrives
    // as deleted history: it takes its place in the array and holds nothing. Refusing it refused
    // the whole reconnect, again on every retry, and the edits were lost.
    if (item.content instanceof Y.ContentDeleted) {
      tombstones++
      continue
    }
    if (!(item.content instanceof Y.ContentAny)) return refuse('board records must be plain values')
    for (const entry of item.content.getContent()) {
      const reason = checkEntry(entry, records, limits)
      if (reason) return refuse(reason)
      const { key, val } = entry as { key: string; val: unknown }
      bump(key, 1)
      written.set(key, JSON.stringify(val).length)
    }
  }

  for (const [client, ranges] of inspection.deleteSet.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs) continue
    for (const range of ranges) {
      if (range.clock >= Y.getState(doc.store, client)) continue
      for (let i = Y.findIndexSS(structs, range.clock); i < structs.length && structs[i]!.id.clock < range.clock + range.len; i++) {
        const struct = structs[i]!
        if (!(struct instanceof Y.Item) || struct.deleted || struct.parent !== yarray || !(struct.content instanceof Y.ContentAny)) continue
        if (!mergesWhenDeleted(struct)) tombstones++
        const entries = struct.content.getContent() as { key?: unknown }[]
        entries.forEach((entry, offset) => {
          const clock = struct.id.clock + offset
          if (clock < range.clock || clock >= range.clock + range.len) return
          if (typeof entry.key === 'string') bump(entry.key, -1)
        })
      }
    }
  }
  const created: string[] = []
  const removed: string[] = []
  for (const [key, change] of netChange) {
    const before = records.liveEntryCount(key)
    const after = before + change
    // Replacing an entry (a move) or dropping a duplicate is fine; removing the last one is not.
    if (isProtected(key) && after < 1) return refuse('only the facilitator can remove idea cards and sections')
    if (before === 0 && after > 0) created.push(key)
    if (before > 0 && after < 1) removed.push(key)
  }
  return { reason: null, created, removed, written, tombstones }
}

/**
 * Whether a struct, once deleted, joins a deleted neighbour of the same writer (Yjs merges them):
 * a card dragged by one person leaves one struct however long the drag. Charging every delete
 * locked an active dragger out after ~65,000 moves while the doc held 2 structs for them.
 */
function mergesWhenDeleted(struct: Y.Item): boolean {
  const follows = (a: Y.Item | null, b: Y.Item | null) => a !== null && b !== null && a.id.client === b.id.client && a.id.clock + a.length === b.id.clock
  return (struct.left?.deleted === true && follows(struct.left, struct)) || (struct.right?.deleted === true && follows(struct, struct.right))
}

function checkEntry(entry: unknown, records: KeyValueArray<BoardRecord>, limits: RecordLimits): string | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'board entries must be records'
  // The whole entry is checked, not just its record: anything beside `key` and `val` would be
  // stored and sent to everyone with no size or depth limit.
  const fields = Object.keys(entry)
  if (fields.length !== 2 || !fields.includes('key') || !fields.includes('val')) return 'board entries hold a key and a record, nothing else'
  const { key, val } = entry as { key?: unknown; val?: unknown }
  if (typeof key !== 'string' || typeof val !== 'object' || val === null) return 'board entries must be records'
  const record = val as Partial<BoardRecord> & { type?: unknown; props?: Record<string, unknown> }
  if (record.id !== key) return 'a board record must be stored under its own id'
  if (record.typeName === 'user') return 'user records are not shared'
  const invalid = checkBoardRecord(record, limits)
  if (invalid) return invalid
  const existing = records.get(key) as (BoardRecord & { type?: unknown; props?: Record<string, unknown> }) | undefined
  if (!isProtected(key)) return record.type === IDEA_CARD_TYPE ? 'only the server creates idea cards' : null
  if (!existing) return 'only the server creates idea cards and sections'
  if (record.typeName !== existing.typeName || record.type !== existing.type) return 'idea cards and sections keep their type'
  if (existing.type === IDEA_CARD_TYPE) return checkIdeaCardMove(record as unknown as Record<string, unknown>, existing as unknown as Record<string, unknown>)
  // Frames are not locked (tldraw would move no card inside them), so nothing of theirs may change.
  // Clients never write them (client/board/serverShapes.ts): only a hostile one gets here.
  if (existing.type === 'frame' && !sameJson(record, existing)) return 'sections are laid out by the facilitator'
  if (existing.typeName === 'page' || existing.typeName === 'document') return sameJson(record, existing) ? null : 'the page is shared by everyone'
  return null
}

/** What people may change on an idea card: where it sits. Everything else is the server's. */
const CARD_MOVABLE = new Set(['x', 'y', 'parentId', 'index', 'rotation'])
/**
 * How far from the page origin a card may be put (board units). Sections span about 13,000
 * units at most (12 frames); a card moved far beyond is one nobody would find again.
 */
export const CARD_EXTENT = 20_000

/**
 * Moving cards is a feature (into another section too); hiding them is not. A card may move within
 * the board's extent, onto the page or into a section frame (a parent shape would pass on its
 * opacity or lock), and keeps its text, size, opacity, lock and meta exactly as the server wrote them.
 */
function checkIdeaCardMove(record: Record<string, unknown>, existing: Record<string, unknown>): string | null {
  const fields = new Set([...Object.keys(record), ...Object.keys(existing)])
  for (const field of fields) if (!CARD_MOVABLE.has(field) && !sameJson(record[field], existing[field])) return 'idea cards can be moved, not changed'
  const { x, y, parentId } = record
  if (typeof x !== 'number' || typeof y !== 'number' || Math.abs(x) > CARD_EXTENT || Math.abs(y) > CARD_EXTENT) return 'idea cards stay on the board'
  if (parentId !== PAGE_ID && !(typeof parentId === 'string' && isSectionFrameId(parentId))) return 'idea cards sit on the page or in a section'
  return null
}

/**
 * Whether a new item lands in the records array, following origins for items without a parent.
 * `known` holds the answer for every item a walk passed, so each item is walked once: a chain of n
 * items inserted one before the other (each the right origin of the next) cost n²/2 steps, about
 * 10 s for one 20,000-item frame, while the cap allows one such frame every quarter second.
 */
function isInRecordsArray(first: Y.Item, doc: Y.Doc, yarray: Y.Array<unknown>, pending: PendingIndex, itemCount: number, known: Map<Y.Item, boolean>): boolean {
  const path: Y.Item[] = []
  let item = first
  let answer = false
  // Each step moves to another item of this update; more steps than items means a cycle.
  for (let steps = 0; steps <= itemCount; steps++) {
    const seen = known.get(item)
    if (seen !== undefined) {
      answer = seen
      break
    }
    path.push(item)
    if (typeof item.parent === 'string') {
      answer = item.parent === BoardRoot.records && item.parentSub === null
      break
    }
    if (item.parent !== null) break
    const neighbour = item.origin ?? item.rightOrigin
    if (!neighbour) break
    const existing = findStruct(doc, neighbour)
    if (existing) {
      answer = existing instanceof Y.Item && existing.parent === yarray && existing.parentSub === null
      break
    }
    const next = findPending(pending, neighbour)
    if (!next) break
    item = next
  }
  for (const passed of path) known.set(passed, answer)
  return answer
}

/** The new item of this update that contains `id` (items may span several clocks). */
function findPending(pending: PendingIndex, id: Y.ID): Y.Item | null {
  const items = pending.get(id.client)
  if (!items) return null
  let low = 0
  let high = items.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const item = items[mid]!
    if (id.clock < item.id.clock) high = mid - 1
    else if (id.clock >= item.id.clock + item.length) low = mid + 1
    else return item
  }
  return null
}

/** New items per client, sorted by clock (as the update lists them). */
type PendingIndex = Map<number, Y.Item[]>

function findStruct(doc: Y.Doc, id: Y.ID): Y.AbstractStruct | null {
  const structs = doc.store.clients.get(id.client)
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return null
  return structs[Y.findIndexSS(structs, id.clock)] ?? null
}

/** Steps Yjs may walk to place one update's new items (well under 1 µs each). */
const MAX_WALK_PER_UPDATE = 200_000
/** New items of one update that may share both neighbours (concurrent appends relayed together). */
const MAX_SIBLINGS = 64

const idKey = (id: Y.ID | null) => (id ? `${id.client}:${id.clock}` : '-')
const sameId = (a: Y.ID | null, b: Y.ID | null) => a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock)

/**
 * The steps Yjs's conflict resolution (`Item.integrate`) takes to place an update's new items in
 * the records array, counted by running its loop over the items the doc already has, without
 * changing anything, and stopping past the limit. Returns null for an update no client makes:
 * an item placed against the inside of another new item, or too many new items at one place.
 *
 * Why (December robustness review): 40,000 entries inserted at the front and deleted, then 1,000
 * records placed before them by a second socket, held the event loop for 30 s in one
 * `Y.applyUpdate`. Bytes and parts counted nothing of that walk. Clients only append to this
 * array (KeyValueArray pushes), so a new item's left neighbour is an item the doc has, or the
 * end of a run of new items; placing items inside a run of the same update made Yjs walk each
 * run again for every item (37 s for a 40 KB update, found by the review of the first version).
 */
export function conflictWalk(inspection: UpdateInspection, doc: Y.Doc): number | null {
  const items = inspection.newStructs
  const yarray = doc.getArray(BoardRoot.records)
  // Built only when needed: most updates are one append after the last item (no walk at all).
  let ends: Set<string> | null = null
  const siblings = items.length > MAX_SIBLINGS ? new Map<string, number>() : null
  let steps = 0
  for (const item of items) {
    if (siblings) {
      const place = `${idKey(item.origin)}/${idKey(item.rightOrigin)}`
      const shared = (siblings.get(place) ?? 0) + 1
      if (shared > MAX_SIBLINGS) return null
      siblings.set(place, shared)
    }
    const origin = item.origin ? findStruct(doc, item.origin) : null
    if (item.origin && !origin) {
      // Placed after a new item: only after the end of a run of this update.
      ends ??= new Set(items.map((run) => idKey(Y.createID(run.id.client, run.id.clock + run.length - 1))))
      if (!ends.has(idKey(item.origin))) return null
      continue
    }
    if (origin && (!(origin instanceof Y.Item) || origin.parent !== yarray)) continue
    steps += walkOf(item, origin as Y.Item | null, yarray, doc, MAX_WALK_PER_UPDATE - steps)
    if (steps > MAX_WALK_PER_UPDATE) return steps
  }
  return steps
}

/** Yjs's integrate loop for `item` after `left`, read-only, counting its steps (stops past `budget`). */
function walkOf(item: Y.Item, left: Y.Item | null, yarray: Y.Array<unknown>, doc: Y.Doc, budget: number): number {
  let o = left ? left.right : yarray._start
  if (o === null) return 0
  const right = item.rightOrigin ? findStruct(doc, item.rightOrigin) : null
  if (o === right) return 0
  const before = new Set<Y.Item>()
  const conflicting = new Set<Y.Item>()
  let steps = 0
  while (o !== null && o !== right) {
    if (++steps > budget) return steps
    before.add(o)
    conflicting.add(o)
    if (sameId(item.origin, o.origin)) {
      if (o.id.client < item.id.client) conflicting.clear()
      else if (sameId(item.rightOrigin, o.rightOrigin)) break
    } else {
      const oOrigin = o.origin ? findStruct(doc, o.origin) : null
      if (!(oOrigin instanceof Y.Item) || !before.has(oOrigin)) break
      if (!conflicting.has(oOrigin)) conflicting.clear()
    }
    o = o.right
  }
  return steps
}

/**
 * Walk steps one person may cause, as a bucket: `BURST` at once (a reconnect after a long time
 * away), refilled at `PER_SECOND`. Updates just under the per-update limit, sent in a loop, held
 * the event loop as surely as one big one.
 */
class WalkBudget {
  private static readonly BURST = 400_000
  private static readonly PER_SECOND = 40_000
  private readonly buckets = new Map<string, { level: number; at: number }>()

  constructor(private readonly now: () => number) {}

  take(actor: string, steps: number): boolean {
    if (steps === 0) return true
    const at = this.now()
    const bucket = this.buckets.get(actor) ?? { level: WalkBudget.BURST, at }
    const level = Math.min(WalkBudget.BURST, bucket.level + ((at - bucket.at) / 1000) * WalkBudget.PER_SECOND)
    if (steps > level) return false
    this.buckets.set(actor, { level: level - steps, at })
    return true
  }
}
