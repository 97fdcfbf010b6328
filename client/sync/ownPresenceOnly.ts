import type { WebsocketProvider } from 'y-websocket'

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] }

/**
 * y-websocket's provider sends every awareness change it applies, other people's included, so
 * in a room of n people each cursor move came back to the server n − 1 times (the server
 * dropped the echoes, but they cost every client upload and the server a parse each). This
 * swaps the provider's handler for one that forwards only our own entry's changes.
 */
export function sendOwnPresenceOnly(provider: WebsocketProvider): void {
  const { awareness } = provider
  const forward = provider._awarenessUpdateHandler
  const own = (ids: number[]) => ids.filter((id) => id === awareness.clientID)
  const filtered = (changes: AwarenessChanges, origin: unknown) => {
    // Changes the provider applied from the network carry the provider as their origin.
    if (origin === provider) return
    const mine = { added: own(changes.added), updated: own(changes.updated), removed: own(changes.removed) }
    if (mine.added.length + mine.updated.length + mine.removed.length > 0) forward(mine, origin)
  }
  awareness.off('update', forward)
  awareness.on('update', filtered)
  // provider.destroy() unhooks whatever this field holds.
  provider._awarenessUpdateHandler = filtered
}
