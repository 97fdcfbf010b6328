import type { Room } from '../rooms/Room.ts'

/**
 * The workshop's `state` doc for someone who has just joined, as base64 for the join response,
 * or null past `maxBytes` (their state socket then brings it, as for everyone before this).
 *
 * It is exactly what the state socket gives any participant joining empty: the doc is
 * read-only for clients, written only by the server, and served to every actor alike, so
 * nothing in it belongs to one participant. Sending it with the response saves a phone the
 * socket's handshake and sync (two round trips) before the list view can show.
 */
export function stateForJoiner(room: Room, maxBytes: number): string | null {
  const update = room.state.encodeState()
  return update.length <= maxBytes ? Buffer.from(update).toString('base64') : null
}
