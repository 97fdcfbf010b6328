import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { rng } from './clock.ts'
import { makeShape, moved, typed, type BenchRecord, type ShapeKind } from './records.ts'
import { encodeSync, findMarker, SYNC_UPDATE, type Framing } from './wire.ts'

/**
 * Pre-generated edits for one editing bot. The bot writes through the same binding the client
 * uses (KeyValueArray over `records`), on a doc of its own that holds only its own shapes:
 * every update it produces refers only to its own earlier updates, so sent in order they are
 * always applicable on the server, whatever else is on the board.
 */

export interface EditMix {
  /** Share of updates that create a shape (note, geo or draw). */
  create: number
  /** Share of updates that are a keystroke in a note. */
  typing: number
  /** The rest are drag moves. */
}

export const defaultMix: EditMix = { create: 0.04, typing: 0.16 }
/** For the soak: no creates, so the board does not grow for half an hour. */
export const steadyMix: EditMix = { create: 0, typing: 0.2 }

export interface OutgoingUpdate {
  /** Framed message ready to send; the marker digits are patched in place at send time. */
  frame: Uint8Array
  /** Offset of the marker digits in `frame` (-1 if none). */
  markerAt: number
  /** The bot's Yjs clock once this update is applied. */
  endClock: number
}

const MAX_OWNED = 24

export class EditorScript {
  readonly doc: Y.Doc
  private readonly records: KeyValueArray<BenchRecord>
  private readonly random: () => number
  private readonly owned: string[] = []
  private readonly notes: string[] = []
  private created = 0
  private dragTarget: string | null = null
  private dragLeft = 0
  private dx = 0
  private dy = 0

  constructor(
    readonly clientId: number,
    private readonly mix: EditMix = defaultMix,
  ) {
    this.doc = new Y.Doc({ gc: true })
    this.doc.clientID = clientId
    this.records = new KeyValueArray<BenchRecord>(this.doc.getArray(BoardRoot.records))
    this.random = rng(clientId)
  }

  get clock(): number {
    return Y.getState(this.doc.store, this.clientId)
  }

  /** Generates `count` updates (one transaction each), framed for `framing`. */
  generate(count: number, framing: Framing): OutgoingUpdate[] {
    const out: OutgoingUpdate[] = []
    const captured: Uint8Array[] = []
    const capture = (update: Uint8Array) => captured.push(update)
    this.doc.on('update', capture)
    try {
      for (let i = 0; i < count; i++) {
        captured.length = 0
        this.step()
        if (captured.length === 0) continue
        const update = captured.length === 1 ? captured[0]! : Y.mergeUpdates(captured)
        const frame = framing.wrap(encodeSync(SYNC_UPDATE, update))
        out.push({ frame, markerAt: findMarker(frame), endClock: this.clock })
      }
    } finally {
      this.doc.off('update', capture)
    }
    return out
  }

  private step(): void {
    const r = this.random()
    if (this.owned.length < 3 || (r < this.mix.create && this.owned.length < MAX_OWNED)) return this.create()
    if (r < this.mix.create + this.mix.typing && this.notes.length > 0) return this.type()
    this.drag()
  }

  private create(): void {
    const roll = this.random()
    const kind: ShapeKind = roll < 0.4 ? 'draw' : roll < 0.7 ? 'geo' : 'note'
    const id = `shape:b${this.clientId.toString(36)}-${this.created}`
    this.records.set(id, makeShape(kind, id, this.created++, this.random, true))
    this.owned.push(id)
    if (kind === 'note' || kind === 'geo') this.notes.push(id)
  }

  private type(): void {
    const id = this.notes[Math.floor(this.random() * this.notes.length)]!
    const record = this.records.get(id)!
    this.records.set(id, typed(record, 'abcdefghijklmnopqrstuvwxyz '[Math.floor(this.random() * 27)]!))
  }

  /** A drag is a gesture: ~1.5 s at 30 Hz on one shape, in one direction with some wobble. */
  private drag(): void {
    if (!this.dragTarget || this.dragLeft <= 0) {
      this.dragTarget = this.owned[Math.floor(this.random() * this.owned.length)]!
      this.dragLeft = 20 + Math.floor(this.random() * 50)
      this.dx = Math.round((this.random() - 0.5) * 16)
      this.dy = Math.round((this.random() - 0.5) * 16)
    }
    this.dragLeft -= 1
    const record = this.records.get(this.dragTarget)!
    this.records.set(this.dragTarget, moved(record, this.dx + Math.round((this.random() - 0.5) * 4), this.dy))
  }
}

/**
 * A board of `shapes` shapes written by one seeding client, as updates of at most `perUpdate`
 * shapes (Parity's frame limit is 2 MB; a 5,000-shape board is ~2.7 MB).
 */
export function seedBoard(shapes: number, seedClientId: number, perUpdate = 1000, firstId = 0): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc({ gc: true })
  doc.clientID = seedClientId
  const records = new KeyValueArray<BenchRecord>(doc.getArray(BoardRoot.records))
  const random = rng(seedClientId)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let start = firstId; start < firstId + shapes; start += perUpdate) {
    doc.transact(() => {
      for (let n = start; n < Math.min(firstId + shapes, start + perUpdate); n++) {
        const roll = random()
        const kind: ShapeKind = roll < 0.3 ? 'draw' : roll < 0.65 ? 'geo' : 'note'
        const id = `shape:seed-${n}`
        records.set(id, makeShape(kind, id, n, random, false))
      }
    })
  }
  return { updates, doc }
}
