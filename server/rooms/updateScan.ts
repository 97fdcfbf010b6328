import * as decoding from 'lib0/decoding'

/**
 * A cheap walk over a Yjs (v1) update's bytes before Yjs decodes it. `Y.decodeUpdate` builds an
 * object per struct, and applying builds more: a 2 MB frame of a million two-byte GC structs held
 * the event loop for seconds before any content rule could look at it. This walk allocates
 * nothing per struct and stops as soon as the update is over `maxUnits`, so its cost is bounded
 * by the cap, not by the frame.
 *
 * A unit is one client, one struct, one value inside an item, or one deleted range: what later
 * work grows with.
 */
export type ScanResult = { ok: true; units: number } | { ok: false; code: ScanRefusal }

export type ScanRefusal =
  /** More structs, values or deleted ranges than one honest update carries. */
  | 'too_many_parts'
  /** Skip structs (gaps) never come from a provider; GC structs only in the sync handshake. */
  | 'gc_or_skip'
  /** Content other than plain values or deletions: nothing on our docs is stored that way. */
  | 'unsupported_content'

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
  const over = () => ++units > maxUnits
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
        if (over()) return { ok: false, code: 'too_many_parts' }
        decoding.readAny(decoder)
      }
    }
  }
  const deleteClients = decoding.readVarUint(decoder)
  for (let c = 0; c < deleteClients; c++) {
    if (over()) return { ok: false, code: 'too_many_parts' }
    decoding.readVarUint(decoder) // client
    const ranges = decoding.readVarUint(decoder)
    for (let r = 0; r < ranges; r++) {
      if (over()) return { ok: false, code: 'too_many_parts' }
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
    }
  }
  // lib0 does not bounds-check every read (a string cut short comes back shorter): an update
  // that ends early or late is malformed, whatever the reads along the way returned.
  if (decoder.pos !== update.length) throw new Error('update length does not match its contents')
  return { ok: true, units }
}

function readId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
}
