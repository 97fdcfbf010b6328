import { afterEach, beforeEach } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { shouldReconnectAfter } from '../../shared/closeCodes.ts'
import { BoardRoot, type DocName } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { startTestServer, type TestServer, type TestServerOptions } from './testServer.ts'

export interface ProviderClient {
  doc: Y.Doc
  provider: WebsocketProvider
  destroy(): void
}

/**
 * A real y-websocket client. `disableBc` matters: Node 20 has BroadcastChannel, and two
 * providers in one process would otherwise sync through it without the server.
 */
export function connectClient(server: { url: string }, workshopId: string, docName: DocName, token: string, doc = new Y.Doc()): ProviderClient {
  const provider = new WebsocketProvider(server.url.replace(/^http/, 'ws') + `/ws/${workshopId}`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    disableBc: true,
    resyncInterval: -1,
    maxBackoffTime: 300,
    // As the app's client does (client/sync/earlyState.ts).
    shouldReconnect: shouldReconnectAfter,
  })
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

export function whenSynced(client: ProviderClient, timeoutMs = 5000): Promise<void> {
  if (client.provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('client did not sync in time')), timeoutMs)
    client.provider.once('sync', (synced: boolean) => {
      if (!synced) return
      clearTimeout(timer)
      resolve()
    })
  })
}

/** Retries an assertion until it passes or time runs out (then throws its last error). */
export async function eventually<T>(assertion: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await assertion()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  }
}

/** Opens a raw socket and resolves with the HTTP status if the upgrade is refused. */
/**
 * Someone else's presence as `client` holds it, found by the name shown (the server files
 * presence under a key the page picks, never its clientID).
 */
export function presenceNamed(client: ProviderClient, name: string): Record<string, unknown> | undefined {
  for (const [key, state] of client.provider.awareness.getStates()) {
    if (key !== client.doc.clientID && (state as { name?: unknown }).name === name) return state as Record<string, unknown>
  }
  return undefined
}

export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers })
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      ws.terminate()
    })
    ws.on('open', () => {
      resolve(101)
      ws.close()
    })
    ws.on('error', (error) => reject(error))
  })
}

/** Resolves with the close code the server sends to a raw socket after it sends `frames`. */
export function closeCodeAfter(url: string, frames: (Buffer | string)[], timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const timer = setTimeout(() => {
      ws.terminate()
      reject(new Error('socket was not closed in time'))
    }, timeoutMs)
    ws.on('open', () => {
      for (const frame of frames) ws.send(frame)
    })
    ws.on('close', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
    ws.on('error', () => undefined)
  })
}

/** The board's records map on a client doc, as the tldraw binding uses it. */
export function boardRecordsOf(doc: Y.Doc): KeyValueArray<Record<string, unknown>> {
  return new KeyValueArray<Record<string, unknown>>(doc.getArray(BoardRoot.records))
}

/** A tldraw geo shape that passes tldraw's own validators (the server runs them). */
export const shapeRecord = (id: string, extra: Record<string, unknown> = {}) => ({
  id: `shape:${id}`,
  typeName: 'shape',
  type: 'geo',
  x: 0,
  y: 0,
  rotation: 0,
  index: 'a1',
  parentId: 'page:page',
  isLocked: false,
  opacity: 1,
  meta: {},
  props: {
    geo: 'rectangle',
    dash: 'draw',
    url: '',
    w: 160,
    h: 100,
    growY: 0,
    scale: 1,
    labelColor: 'black',
    color: 'black',
    fill: 'none',
    size: 'm',
    font: 'draw',
    align: 'middle',
    verticalAlign: 'middle',
    richText: { type: 'doc', content: [{ type: 'paragraph', content: [] }] },
    flipX: false,
    flipY: false,
  },
  ...extra,
})

/**
 * A fresh server for every test in the calling `describe`, and `connect` for real providers on
 * it; the providers and the server are closed after each test.
 */
export function serverPerTest(options?: TestServerOptions) {
  let current: TestServer | null = null
  const clients: ProviderClient[] = []
  const closeClients = () => {
    for (const client of clients.splice(0)) client.destroy()
  }
  beforeEach(async () => {
    current = await startTestServer(options)
  })
  afterEach(async () => {
    closeClients()
    await current?.dispose()
    current = null
  })
  const server = (): TestServer => {
    if (!current) throw new Error('the test server exists only inside a test')
    return current
  }
  return {
    get server(): TestServer {
      return server()
    },
    connect(workshopId: string, docName: DocName, token: string, doc?: Y.Doc): ProviderClient {
      const client = connectClient(server(), workshopId, docName, token, doc)
      clients.push(client)
      return client
    },
    /** Closes the providers, then restarts the server on the same data directory. */
    async restart(): Promise<TestServer> {
      closeClients()
      current = await server().restart()
      return current
    },
  }
}
