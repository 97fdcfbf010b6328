import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * Just enough of the y-protocols wire format for bots that never hold a Y.Doc: builders for the
 * few messages they send, a framing adapter for Hocuspocus (which prefixes every message with
 * the document name), and the timestamp markers that ride inside document updates.
 */

export const MSG_SYNC = 0
export const MSG_AWARENESS = 1
/** Hocuspocus: same layout as a sync message, sent in reply to our step 1. */
export const MSG_SYNC_REPLY = 4
export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

export interface Framing {
  /** Frames to send as soon as the socket opens (Hocuspocus wants an auth message first). */
  hello: Uint8Array[]
  wrap(message: Uint8Array): Uint8Array
  /** Where the y-protocols message starts in a received frame; -1 if it is not one of ours. */
  unwrap(frame: Uint8Array): number
}

/** y-websocket and Parity: one doc per socket, the message is the whole frame. */
export const plainFraming: Framing = {
  hello: [],
  wrap: (message) => message,
  unwrap: () => 0,
}

/** Hocuspocus: `varString(documentName)` before every message, and an auth message first. */
export function hocuspocusFraming(documentName: string, token = 'bench'): Framing {
  const prefixEncoder = encoding.createEncoder()
  encoding.writeVarString(prefixEncoder, documentName)
  const prefix = encoding.toUint8Array(prefixEncoder)
  const auth = encoding.createEncoder()
  encoding.writeVarString(auth, documentName)
  encoding.writeVarUint(auth, 2) // MessageType.Auth
  encoding.writeVarUint(auth, 0) // AuthMessageType.Token
  encoding.writeVarString(auth, token)
  return {
    hello: [encoding.toUint8Array(auth)],
    wrap: (message) => {
      const frame = new Uint8Array(prefix.length + message.length)
      frame.set(prefix, 0)
      frame.set(message, prefix.length)
      return frame
    },
    unwrap: (frame) => {
      if (frame.length <= prefix.length) return -1
      for (let i = 0; i < prefix.length; i++) if (frame[i] !== prefix[i]) return -1
      return prefix.length
    },
  }
}

export function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MSG_SYNC)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

/** Sync step 1 with an empty state vector: "send me everything". */
export const emptyStep1 = (): Uint8Array => encodeSync(SYNC_STEP1, new Uint8Array([0]))

export function encodeAwarenessEntry(clientId: number, clock: number, stateJson: string): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientId)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, stateJson)
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, MSG_AWARENESS)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}

export interface AwarenessSeen {
  clientId: number
  clock: number
  stateJson: string
}

/** Decodes the entries of an awareness message that starts at `offset` (at its type byte). */
export function readAwarenessEntries(frame: Uint8Array, offset: number): AwarenessSeen[] {
  const decoder = decoding.createDecoder(frame)
  decoder.pos = offset
  decoding.readVarUint(decoder)
  const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder))
  const count = decoding.readVarUint(inner)
  const entries: AwarenessSeen[] = []
  for (let i = 0; i < count; i++) {
    entries.push({ clientId: decoding.readVarUint(inner), clock: decoding.readVarUint(inner), stateJson: decoding.readVarString(inner) })
  }
  return entries
}

/**
 * Presence timestamps: the server keeps only `{name, color, cursor, hidden}` and rounds the
 * cursor to integers, so the send time rides in the cursor — x = whole ms, y = the µs remainder.
 */
export const cursorFor = (us: number): [number, number] => [Math.floor(us / 1000), us % 1000]
export const usFromCursor = (cursor: readonly number[]): number => cursor[0]! * 1000 + cursor[1]!

/**
 * Document timestamps: every generated record carries `meta.bench = "§" + 12 digits of µs +
 * 8 digits of sequence number`, written as placeholder zeros when the update is generated and
 * patched in place just before the frame is sent. Fixed width, so the encoding stays valid.
 */
export const MARKER_PREFIX = '§'
const MARKER_BYTES = Buffer.from(MARKER_PREFIX, 'utf8')
export const MARKER_TIME_DIGITS = 12
export const MARKER_SEQ_DIGITS = 8
export const MARKER_PLACEHOLDER = MARKER_PREFIX + '0'.repeat(MARKER_TIME_DIGITS + MARKER_SEQ_DIGITS)

const MARKER_DIGITS = MARKER_TIME_DIGITS + MARKER_SEQ_DIGITS

const digitsFollow = (bytes: Uint8Array, at: number) => {
  if (at + MARKER_DIGITS > bytes.length) return false
  for (let i = at; i < at + MARKER_DIGITS; i++) if (bytes[i]! < 48 || bytes[i]! > 57) return false
  return true
}

/**
 * Offset of the first marker's digits in `bytes`, or -1. The prefix's two bytes (C2 A7) also
 * occur inside Yjs varints (a clock of 21,442 encodes as C2 A7 01): patching there
 * corrupted every editor's updates after ~11 minutes of the soak. A marker is the prefix
 * followed by its 20 ASCII digits.
 */
export function findMarker(bytes: Uint8Array, from = 0): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = buffer.indexOf(MARKER_BYTES, from)
  while (at >= 0 && !digitsFollow(bytes, at + MARKER_BYTES.length)) at = buffer.indexOf(MARKER_BYTES, at + 1)
  return at < 0 ? -1 : at + MARKER_BYTES.length
}

function writeDigits(bytes: Uint8Array, offset: number, value: number, width: number): void {
  let rest = Math.floor(value)
  for (let i = width - 1; i >= 0; i--) {
    bytes[offset + i] = 48 + (rest % 10)
    rest = Math.floor(rest / 10)
  }
}

function readDigits(bytes: Uint8Array, offset: number, width: number): number {
  let value = 0
  for (let i = 0; i < width; i++) {
    const digit = bytes[offset + i]! - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

export function patchMarker(bytes: Uint8Array, digitsAt: number, us: number, seq: number): void {
  writeDigits(bytes, digitsAt, us, MARKER_TIME_DIGITS)
  writeDigits(bytes, digitsAt + MARKER_TIME_DIGITS, seq, MARKER_SEQ_DIGITS)
}

/** Calls `visit` for every marker in `bytes` from `from` on (a merged update carries many). */
export function scanMarkers(bytes: Uint8Array, from: number, visit: (us: number, seq: number) => void): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = buffer.indexOf(MARKER_BYTES, from)
  while (at >= 0) {
    const digits = at + MARKER_BYTES.length
    if (digits + MARKER_DIGITS > bytes.length) return
    const us = readDigits(bytes, digits, MARKER_TIME_DIGITS)
    const seq = readDigits(bytes, digits + MARKER_TIME_DIGITS, MARKER_SEQ_DIGITS)
    if (us >= 0 && seq >= 0) {
      visit(us, seq)
      at = buffer.indexOf(MARKER_BYTES, digits + MARKER_DIGITS)
    } else at = buffer.indexOf(MARKER_BYTES, at + 1)
  }
}
