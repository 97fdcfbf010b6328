import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { createServer } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { SharedFrame } from '../rooms/SocketLike.ts'
import { fitCloseReason, wsSocket } from './wsSocket.ts'

describe('fitCloseReason', () => {
  it('keeps short reasons and cuts long ones to 123 bytes of UTF-8', () => {
    expect(fitCloseReason('read-only')).toBe('read-only')
    const long = fitCloseReason(`not a valid tldraw record: ${'é'.repeat(200)}`)
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123)
    expect(long.endsWith('…')).toBe(true)
  })
})

describe('wsSocket shared frames', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  /** A real server and two real clients; returns the server side of both as SocketLikes. */
  async function pair() {
    const http = createServer()
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
    const accepted: { ws: WebSocket; raw: Duplex }[] = []
    http.on('upgrade', (request, raw: Duplex, head) => wss.handleUpgrade(request, raw, head, (ws) => accepted.push({ ws, raw })))
    http.listen(0, '127.0.0.1')
    await once(http, 'listening')
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`
    const clients = [new WebSocket(url), new WebSocket(url)]
    await Promise.all(clients.map((client) => once(client, 'open')))
    while (accepted.length < 2) await new Promise((resolve) => setTimeout(resolve, 5))
    cleanups.push(() => {
      for (const client of clients) client.terminate()
      http.close()
    })
    return { clients, sockets: accepted.map(({ ws, raw }) => wsSocket(ws, raw)), server: accepted }
  }

  it('delivers one frame built once to every client, at every length encoding, in order with plain sends', async () => {
    const { clients, sockets } = await pair()
    const received = clients.map(() => [] as Buffer[])
    clients.forEach((client, i) => client.on('message', (data: Buffer, isBinary: boolean) => isBinary && received[i]!.push(data)))
    const payloads = [5, 125, 126, 65_535, 65_536, 300_000].map((size) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + size) & 0xff))
    for (const payload of payloads) {
      const frame = new SharedFrame(payload)
      for (const socket of sockets) socket.sendShared!(frame)
      for (const socket of sockets) socket.send(Uint8Array.of(1, 2, 3))
    }
    const expected = payloads.flatMap((payload) => [payload, Uint8Array.of(1, 2, 3)])
    while (received.some((list) => list.length < expected.length)) await new Promise((resolve) => setTimeout(resolve, 10))
    for (const list of received) {
      expect(list.map((data) => data.length)).toEqual(expected.map((payload) => payload.length))
      list.forEach((data, i) => expect(Buffer.compare(data, expected[i]!)).toBe(0))
    }
  })

  it('sends nothing after the socket has started closing', async () => {
    const { clients, sockets } = await pair()
    const received: Buffer[] = []
    clients[0]!.on('message', (data: Buffer) => received.push(data))
    sockets[0]!.close(4000, 'bye')
    sockets[0]!.sendShared!(new SharedFrame(Uint8Array.of(9)))
    const [code] = (await once(clients[0]!, 'close')) as [number]
    expect(code).toBe(4000)
    expect(received).toHaveLength(0)
  })
})
