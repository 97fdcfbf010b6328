import type { Room } from '../rooms/Room.ts'

/** A state doc found too big for the join response is not encoded again for this long. */
const RECHECK_MS = 60_000

/** State docs last found over the limit, and when. */
const overLimitAt = new WeakMap<object, number>()

/**
 * The workshop's `state` doc for someone who has just joined, as base64 for the join response,
 * or null past `maxBytes` (their state socket then brings it, as for everyone before this).
 *
 * It is exactly what the state socket gives any participant joining empty: the doc is
 * read-only for clients, written only by the server, and served to every actor alike, so
 * nothing in it belongs to one participant. Sending it with the response saves a phone the
 * socket's handshake and sync (two round trips) before the list view can show.
 *
 * Each join changes the doc (the headcount), so each encoded it afresh: ~120 ms for a large
 * workshop, only to throw it away, and joins within their limit held the server (December
 * robustness review). A doc over the limit is not tried again for a minute: it hardly shrinks.
 */
export function stateForJoiner(room: Pick<Room, 'state'>, maxBytes: number, now = Date.now()): string | null {
  const seen = overLimitAt.get(room.state)
  if (seen !== undefined && now - seen < RECHECK_MS) return null
  const update = room.state.encodeState()
  if (update.length <= maxBytes) {
    overLimitAt.delete(room.state)
    return Buffer.from(update).toString('base64')
  }
  overLimitAt.set(room.state, now)
  return null
}
