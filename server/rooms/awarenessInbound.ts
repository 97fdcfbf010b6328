import * as decoding from 'lib0/decoding'
import type { AwarenessEntry } from './protocol.ts'

/**
 * Reads the awareness entries a socket may speak for, skipping the rest without decoding them.
 *
 * y-websocket's provider sends back every awareness change it applies, remote ones included: a
 * client that receives an update for 40 cursors answers with an update naming those 40 cursors
 * (and does so for the snapshot it gets on joining). Those entries belong to other sockets and
 * are dropped anyway, so their JSON is never decoded — only their client id is read and the
 * string skipped. The socket's own entry (or, before it has announced one, the first
 * `maxKept`) is returned in full.
 *
 * Throws on malformed input and on absurd entry counts (the frame size limit bounds the rest).
 */
export const MAX_AWARENESS_ENTRIES_SCANNED = 100_000

export function readOwnAwareness(update: Uint8Array, ownId: number | null, maxKept: number): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > MAX_AWARENESS_ENTRIES_SCANNED) throw new Error(`awareness update has ${count} entries`)
  const kept: AwarenessEntry[] = []
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const keep = kept.length < maxKept && (ownId === null || clientId === ownId)
    if (keep) {
      kept.push({ clientId, clock, stateJson: decoding.readVarString(decoder) })
      continue
    }
    const length = decoding.readVarUint(decoder)
    if (decoder.pos + length > update.length) throw new Error('awareness entry runs past the end of the message')
    decoder.pos += length
  }
  return kept
}
