import { fromBase64 } from 'lib0/buffer'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { shouldReconnectAfter } from '../../shared/closeCodes.ts'
import { DocName } from '../../shared/docs.ts'
import { websocketBase } from '../config.ts'
import { sendOwnPresenceOnly } from './ownPresenceOnly.ts'

export interface DocConnection {
  doc: Y.Doc
  provider: WebsocketProvider
  /**
   * The doc already holds the server's state from the join response (`seedState`): the page can
   * show it before the socket has synced. The socket still syncs, and brings only what changed.
   */
  seeded: boolean
}

/**
 * One of the workshop's docs, with its own provider; `connect: false` waits for `provider.connect()`.
 * No BroadcastChannel between tabs: the server, which checks every change, is the only source
 * of the docs, and the channel cost a joining phone a copy of every update (and four messages
 * per doc on connecting) on the main thread.
 */
export function openDoc(workshopId: string, name: DocName, token: string, connect: boolean, seed?: string): DocConnection {
  // Seeded before the provider exists: it would otherwise take the seed for a local edit to send.
  const seededDoc = seed === undefined ? null : docFromSeed(seed)
  const doc = seededDoc ?? new Y.Doc()
  const provider = new WebsocketProvider(`${websocketBase()}/${workshopId}`, name, doc, { params: { token }, maxBackoffTime: 5000, connect, disableBc: true, shouldReconnect: shouldReconnectAfter })
  sendOwnPresenceOnly(provider)
  // Presence (cursors) lives on the board; the server ignores it on the state doc, so announcing
  // the provider's default empty state there, and renewing it every 15 s, would be wasted frames.
  if (name === DocName.state) provider.awareness.setLocalState(null)
  return { doc, provider, seeded: seededDoc !== null }
}

/**
 * A doc holding the state doc sent with the join response (`JoinedWorkshop.state`), or null if
 * that cannot be read whole: the page then waits for the socket, as without a seed.
 */
function docFromSeed(base64: string): Y.Doc | null {
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, fromBase64(base64))
    // Something it builds on is missing: not the whole doc, so not something to show.
    if (doc.store.pendingStructs === null && doc.store.pendingDs === null) return doc
  } catch {
    // Not a Yjs update: fall through to an empty doc.
  }
  doc.destroy()
  return null
}

/** A state doc nobody claimed (the person went elsewhere) is closed after this long. */
const UNCLAIMED_MS = 15_000

let early: { workshopId: string; token: string; connection: DocConnection; timer: ReturnType<typeof setTimeout> } | null = null

function discard(): void {
  if (!early) return
  clearTimeout(early.timer)
  early.connection.provider.destroy()
  early.connection.doc.destroy()
  early = null
}

/**
 * Opens the state doc as soon as a join succeeds, before the workshop page is drawn. On a slow
 * phone the page's first render takes a few hundred milliseconds, and the socket's handshake
 * and sync (two round trips) can happen during it instead of after; the list view, and so the
 * idea form, needs only this doc. The page claims the connection (`claimEarlyState`).
 * `seed`: the state doc from the join response, so the page need not wait for the socket at all.
 */
export function connectStateEarly(workshopId: string, token: string, seed?: string): void {
  discard()
  early = { workshopId, token, connection: openDoc(workshopId, DocName.state, token, true, seed), timer: setTimeout(discard, UNCLAIMED_MS) }
}

/** The early state doc for this workshop and key, handed over once; null if there is none. */
export function claimEarlyState(workshopId: string, token: string): DocConnection | null {
  if (!early || early.workshopId !== workshopId || early.token !== token) {
    discard()
    return null
  }
  const { connection, timer } = early
  clearTimeout(timer)
  early = null
  return connection
}
