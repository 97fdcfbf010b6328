import * as encoding from 'lib0/encoding'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { connect, type Socket } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import WebSocket from 'ws'
import * as Y from 'yjs'
import type { Room } from '../../server/rooms/Room.ts'
import type { RunningServer } from '../../server/startServer.ts'

/**
 * Tools for a hostile client: raw y-protocols frames, raw sockets and raw HTTP, and a watch on
 * the server's event loop (the server runs in the test process, so its loop is ours).
 */

const syncFrame = (syncType: number, payload: Uint8Array): Buffer => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, syncType)
  encoding.writeVarUint8Array(encoder, payload)
  return Buffer.from(encoding.toUint8Array(encoder))
}

export const syncStep1Frame = (stateVector: Uint8Array = new Uint8Array([0])) => syncFrame(0, stateVector)
export const syncStep2Frame = (update: Uint8Array) => syncFrame(1, update)
export const syncUpdateFrame = (update: Uint8Array) => syncFrame(2, update)

/** An awareness message naming `[clientId, clock, stateJson]` entries, as a provider sends it. */
export function awarenessFrame(entries: readonly (readonly [number, number, string])[]): Buffer {
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, entries.length)
  for (const [clientId, clock, json] of entries) {
    encoding.writeVarUint(inner, clientId)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, json)
  }
  const outer = encoding.createEncoder()
  encoding.writeVarUint(outer, 1)
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner))
  return Buffer.from(encoding.toUint8Array(outer))
}

export const wsUrl = (server: { url: string }, workshopId: string, doc: string, token?: string) =>
  `${server.url.replace(/^http/, 'ws')}/ws/${workshopId}/${doc}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`

/** A raw websocket that records what it receives and how it closed. */
export class RawClient {
  readonly ws: WebSocket
  readonly received: Buffer[] = []
  readonly opened: Promise<void>
  readonly closed: Promise<number>
  closeCode: number | null = null

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers })
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve())
      this.ws.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)))
      this.ws.once('error', reject)
    })
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)))
    this.closed.then((code) => (this.closeCode = code))
    // Refusals and resets are what these tests provoke; the promises above report them.
    this.ws.on('error', () => undefined)
    this.ws.on('message', (data: Buffer) => this.received.push(Buffer.from(data)))
  }

  send(frame: Buffer | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame)
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  close(): void {
    this.ws.terminate()
  }
}

/**
 * What became of the frames a client sent: its close code, or 'open' once the server has
 * handled them all. Frames are handled in order, so the answer to a request sent after them
 * proves the earlier ones were accepted. No guessing with timeouts on a slow machine. The request
 * is a sync step 1 for the whole doc, answered by a step 2 (0, 1) and by nothing else: an
 * awareness query's answer could not be told from the presence the server sends on connecting.
 */
export async function outcomeOf(client: RawClient, timeoutMs = 15_000): Promise<number | 'open'> {
  const answered = new Promise<'open'>((resolve) => {
    const onMessage = (data: Buffer) => {
      if (data[0] !== 0 || data[1] !== 1) return
      client.ws.off('message', onMessage)
      resolve('open')
    }
    client.ws.on('message', onMessage)
  })
  client.send(syncStep1Frame())
  const outcome = await within(Promise.race([client.closed, answered]), timeoutMs, 'no answer' as const)
  if (outcome === 'no answer') throw new Error('the server neither answered nor closed the socket')
  return outcome
}

/** Opens a raw client and waits for the upgrade. */
export async function openRaw(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const client = new RawClient(url, headers)
  await client.opened
  return client
}

/** Resolves with `promise`, or with `fallback` after `ms` (for "was it closed within N s"). */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms)
    promise.then((value) => {
      clearTimeout(timer)
      resolve(value)
    })
  })
}

/** A raw TCP connection to the server, for requests no HTTP client would send. */
export function rawTcp(server: { port: number }): Promise<{ socket: Socket; data: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    // The server may reset these connections; 'close' below is what the tests look at.
    socket.on('error', () => undefined)
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    socket.once('connect', () => resolve({ socket, data: () => Buffer.concat(chunks).toString('latin1'), closed }))
    socket.once('error', reject)
  })
}

/** The request head of a websocket upgrade, as a browser would send it. */
export const upgradeRequest = (path: string, extraHeaders = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`

/** Watches event-loop delay; `stop()` returns p99 and max in milliseconds. */
export function watchEventLoop(): { stop(): { p99Ms: number; maxMs: number } } {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 })
  histogram.enable()
  return {
    stop() {
      histogram.disable()
      return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 }
    },
  }
}

/** The loaded room of a workshop (loading it if needed), without keeping it held. */
export function roomOf(server: RunningServer, workshopId: string): Room {
  return server.rooms.withRoom(workshopId, (room) => room)
}

/** A copy of `source` that writes under `clientId`, for crafting updates on top of its state. */
export function forkDoc(source: Y.Doc, clientId?: number): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source))
  // Set after applying: Yjs would otherwise notice a clash and pick a new id itself.
  if (clientId !== undefined) doc.clientID = clientId
  return doc
}

/** The update `change` makes to a fork of `source`. */
export function craftUpdate(source: Y.Doc, change: (doc: Y.Doc) => void, clientId?: number): Uint8Array {
  const doc = forkDoc(source, clientId)
  const before = Y.encodeStateVector(doc)
  change(doc)
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  return update
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * A full garbage collection, without starting the worker with --expose-gc: the flag can be set
 * at run time, and a fresh context then has `gc` as a global.
 */
export function forceGc(): void {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  gc()
  gc()
}
