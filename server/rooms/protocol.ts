import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * y-protocols message framing as y-websocket's provider speaks it. A message does not name its
 * document: the websocket path does (one socket per doc).
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const

export const SyncType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const

export type IncomingMessage =
  | { type: 'syncStep1'; stateVector: Uint8Array }
  | { type: 'syncUpdate'; update: Uint8Array; isStep2: boolean }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' }

/** Parses one frame; throws on anything malformed or unknown (caller closes the socket). */
export function parseMessage(data: Uint8Array): IncomingMessage {
  const decoder = decoding.createDecoder(data)
  const type = decoding.readVarUint(decoder)
  let message: IncomingMessage
  switch (type) {
    case MessageType.sync: {
      const syncType = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (syncType === SyncType.step1) message = { type: 'syncStep1', stateVector: payload }
      else if (syncType === SyncType.step2 || syncType === SyncType.update)
        message = { type: 'syncUpdate', update: payload, isStep2: syncType === SyncType.step2 }
      else throw new Error(`unknown sync message type ${syncType}`)
      break
    }
    case MessageType.awareness:
      message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
      break
    case MessageType.queryAwareness:
      message = { type: 'queryAwareness' }
      break
    default:
      throw new Error(`unknown message type ${type}`)
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after message')
  return message
}

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array => encodeSync(SyncType.step1, stateVector)
export const encodeSyncStep2 = (update: Uint8Array): Uint8Array => encodeSync(SyncType.step2, update)
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array => encodeSync(SyncType.update, update)

function encodeSync(syncType: number, payload: Uint8Array): Uint8Array {
  const header = encoding.createEncoder()
  encoding.writeVarUint(header, MessageType.sync)
  encoding.writeVarUint(header, syncType)
  encoding.writeVarUint(header, payload.length)
  // One allocation and one copy: lib0's encoder copies a large payload twice (grow, then join),
  // which for a 3 MB board sent to each joiner was a quarter of a join storm's CPU.
  const head = encoding.toUint8Array(header)
  const frame = new Uint8Array(head.length + payload.length)
  frame.set(head)
  frame.set(payload, head.length)
  return frame
}

export interface AwarenessEntry {
  clientId: number
  clock: number
  /** JSON text of the state; 'null' means the client left. */
  stateJson: string
}

/** Decodes an awareness update. Throws on malformed input; JSON is checked by the caller. */
export function decodeAwareness(update: Uint8Array, maxEntries: number): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > maxEntries) throw new Error(`awareness update has ${count} entries`)
  const entries: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const stateJson = decoding.readVarString(decoder)
    entries.push({ clientId, clock, stateJson })
  }
  return entries
}

export function encodeAwareness(entries: readonly AwarenessEntry[]): Uint8Array {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId)
    encoding.writeVarUint(inner, entry.clock)
    encoding.writeVarString(inner, entry.stateJson)
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, MessageType.awareness)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return encoding.toUint8Array(outer)
}
