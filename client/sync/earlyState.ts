import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { DocName } from '../../shared/docs.ts'
import { websocketBase } from '../config.ts'
import { sendOwnPresenceOnly } from './ownPresenceOnly.ts'

export interface DocConnection {
  doc: Y.Doc
  provider: WebsocketProvider
}

/**
 * One of the workshop's docs, with its own provider; `connect: false` waits for `provider.connect()`.
 * No BroadcastChannel between tabs: the server, which checks every change, is the only source
 * of the docs, and the channel cost a joining phone a copy of every update (and four messages
 * per doc on connecting) on the main thread.
 */
export function openDoc(workshopId: string, name: DocName, token: string, connect: boolean): DocConnection {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`${websocketBase()}/${workshopId}`, name, doc, { params: { token }, maxBackoffTime: 5000, connect, disableBc: true })
  sendOwnPresenceOnly(provider)
  // Presence (cursors) lives on the board; the server ignores it on the state doc, so announcing
  // the provider's default empty state there, and renewing it every 15 s, would be wasted frames.
  if (name === DocName.state) provider.awareness.setLocalState(null)
  return { doc, provider }
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
 */
export function connectStateEarly(workshopId: string, token: string): void {
  discard()
  early = { workshopId, token, connection: openDoc(workshopId, DocName.state, token, true), timer: setTimeout(discard, UNCLAIMED_MS) }
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
