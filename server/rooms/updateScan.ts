import * as decoding from 'lib0/decoding'

/**
 * A cheap walk over a Yjs (v1) update's bytes before Yjs decodes it. `Y.decodeUpdate` builds an
 * object per struct, and applying builds more: a 2 MB frame of a million two-byte GC structs held
 * the event loop for seconds before any content rule could look at it. This walk allocates
 * nothing per struct and stops as soon as the update is over `maxUnits`, so its cost is bounded
 * by the cap, not by the frame.
 *
 * A unit is one client, one struct, one value inside an item, or one deleted range: what later
 * work grows with. Values nested inside a value (a record's fields) are counted apart, against
 * `NESTED_PER_UNIT` times the cap: a card's record is ~35 of them, and a move of 600 cards is
 * honest, while a million empty objects in one record is not.
 */
export type ScanResult = { ok: true; units: number } | { ok: false; code: ScanRefusal }

export type ScanRefusal =
  /** More structs, values or deleted ranges than one honest update carries. */
  | 'too_many_parts'
  /** Skip structs (gaps) never come from a provider; GC structs only in the sync handshake. */
  | 'gc_or_skip'
  /** Content other than plain values or deletions: nothing on our docs is stored that way. */
  | 'unsupported_content'
  /** Deleted ranges repeated, overlapping or out of order, or a writer listed twice: Yjs writes them sorted and merged. */
  | 'unordered_deletes'

const GC = 0
const DELETED = 1
const ANY = 8
const SKIP = 10
const HAS_ORIGIN = 0x80
const HAS_RIGHT_ORIGIN = 0x40
const HAS_PARENT_SUB = 0x20

/**
 * Throws on bytes that are not an update (the caller treats it as a malformed frame).
 * `allowGc`: the sync handshake (step 2) legitimately carries garbage-collected history
 * (a reconnecting client's deleted edits); live updates never do.
 */
export function scanUpdate(update: Uint8Array, maxUnits: number, allowGc: boolean): ScanResult {
  const decoder = decoding.createDecoder(update)
  let units = 0
  let nested = 0
  const over = () => ++units > maxUnits
  const overNested = () => ++nested > maxUnits * NESTED_PER_UNIT
  const clients = decoding.readVarUint(decoder)
  for (let c = 0; c < clients; c++) {
    // A client with no structs still costs Yjs a map entry: counted, so headers alone cannot be free.
    if (over()) return { ok: false, code: 'too_many_parts' }
    const structs = decoding.readVarUint(decoder)
    decoding.readVarUint(decoder) // client
    decoding.readVarUint(decoder) // clock
    for (let s = 0; s < structs; s++) {
      if (over()) return { ok: false, code: 'too_many_parts' }
      const info = decoding.readUint8(decoder)
      const content = info & 0x1f
      if (content === SKIP || (content === GC && !allowGc)) return { ok: false, code: 'gc_or_skip' }
      if (content === GC) {
        decoding.readVarUint(decoder)
        continue
      }
      if (info & HAS_ORIGIN) readId(decoder)
      if (info & HAS_RIGHT_ORIGIN) readId(decoder)
      if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
        if (decoding.readVarUint(decoder) === 1) decoding.readVarString(decoder)
        else readId(decoder)
        if (info & HAS_PARENT_SUB) decoding.readVarString(decoder)
      }
      if (content === DELETED) {
        decoding.readVarUint(decoder)
        continue
      }
      if (content !== ANY) return { ok: false, code: 'unsupported_content' }
      const values = decoding.readVarUint(decoder)
      for (let v = 0; v < values; v++) {
        if (over() || !skipAny(decoder, overNested, 0)) return { ok: false, code: 'too_many_parts' }
      }
    }
  }
  // Every later step (inspection, the board guard, Yjs) walks each range's structs: 20,000 copies
  // of one range over 30,000 deleted entries, in an 80 KB frame, held the event loop for 27 s
  // (December robustness review). Yjs writes a delete set sorted and merged, so an honest one
  // names each struct once.
  const deleteClients = decoding.readVarUint(decoder)
  const deleteWriters = deleteClients > 1 ? new Set<number>() : null
  for (let c = 0; c < deleteClients; c++) {
    if (over()) return { ok: false, code: 'too_many_parts' }
    const client = decoding.readVarUint(decoder)
    if (deleteWriters) {
      if (deleteWriters.has(client)) return { ok: false, code: 'unordered_deletes' }
      deleteWriters.add(client)
    }
    const ranges = decoding.readVarUint(decoder)
    let end = 0
    for (let r = 0; r < ranges; r++) {
      if (over()) return { ok: false, code: 'too_many_parts' }
      const clock = decoding.readVarUint(decoder)
      const length = decoding.readVarUint(decoder)
      if (clock < end) return { ok: false, code: 'unordered_deletes' }
      end = clock + length
    }
  }
  // lib0 does not bounds-check every read (a string cut short comes back shorter): an update
  // that ends early or late is malformed, whatever the reads along the way returned.
  if (decoder.pos !== update.length) throw new Error('update length does not match its contents')
  return { ok: true, units }
}

/** Values nested inside values one update may carry, per unit of the cap (see scanUpdate). */
const NESTED_PER_UNIT = 4

/** Nesting past this is malformed here (the board allows 32 levels; see boardRecordValidation): it keeps the walk's recursion far from the stack's end. */
const MAX_VALUE_DEPTH = 2_000

/**
 * Steps over one lib0 "any" value without building it (lib0's `readAny` makes every nested object
 * and array). Each value nested in it counts (`over`): a 2 MB frame holding one record with a million empty
 * objects in it used to count as one value, and cost the event loop ~1.5 s across scan, decode
 * and the board guard. Returns false past the cap; throws past `MAX_VALUE_DEPTH` or on a tag lib0
 * has not.
 */
function skipAny(decoder: decoding.Decoder, over: () => boolean, depth: number): boolean {
  if (depth > MAX_VALUE_DEPTH) throw new Error('value nested too deeply')
  if (depth > 0 && over()) return false
  const tag = decoding.readUint8(decoder)
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return true
    case 125:
      decoding.readVarInt(decoder)
      return true
    case 124:
      decoder.pos += 4
      return true
    case 123:
    case 122:
      decoder.pos += 8
      return true
    case 119:
      skipBytes(decoder)
      return true
    case 118: {
      const keys = decoding.readVarUint(decoder)
      for (let i = 0; i < keys; i++) {
        skipBytes(decoder)
        if (!skipAny(decoder, over, depth + 1)) return false
      }
      return true
    }
    case 117: {
      const items = decoding.readVarUint(decoder)
      for (let i = 0; i < items; i++) if (!skipAny(decoder, over, depth + 1)) return false
      return true
    }
    case 116:
      skipBytes(decoder)
      return true
    default:
      throw new Error('unknown value type')
  }
}

/** Steps over a length-prefixed string or byte array (lib0 writes both the same way). */
function skipBytes(decoder: decoding.Decoder): void {
  const length = decoding.readVarUint(decoder)
  if (decoder.pos + length > decoder.arr.length) throw new Error('value runs past the update')
  decoder.pos += length
}

function readId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
}
