import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { setupWSConnection } from '@y/websocket-server/utils'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { Bot, ProbeStats } from '../../bench/lib/bot.ts'
import { LightSocket } from '../../bench/lib/lightSocket.ts'
import { plainFraming } from '../../bench/lib/wire.ts'

/** The bench's websocket client against a real `ws` server (which rejects unmasked client frames). */

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Peer {
  ws: WebSocket
  raw: Socket
  request: IncomingMessage
}

/** A `ws` server on a random port; `onConnection` gets the server-side socket and the raw TCP socket. */
async function startServer(onConnection: (peer: Peer) => void = () => undefined): Promise<{ url: string; wss: WebSocketServer }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  wss.on('connection', (ws, request) => onConnection({ ws, raw: request.socket, request }))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  )
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/room?x=1`, wss }
}

/**
 * A client with every listener attached before any event can fire: frames a server writes right
 * after the upgrade can arrive in the same TCP chunk as its 101, so they are emitted with 'open'.
 */
function client(url: string, options?: { maxPayload?: number }) {
  const socket = new LightSocket(url, options)
  cleanups.push(() => socket.terminate())
  const seen = {
    socket,
    /** Copies: the client may hand out views of its chunks, valid during the callback. */
    messages: [] as Buffer[],
    views: [] as Buffer[],
    binary: [] as boolean[],
    closes: [] as number[],
    errors: [] as string[],
    opened: new Promise<void>((resolve) => socket.once('open', resolve)),
  }
  socket.on('message', (data, isBinary) => {
    seen.views.push(data)
    seen.messages.push(Buffer.from(data))
    seen.binary.push(isBinary)
  })
  socket.on('close', (code) => seen.closes.push(code))
  socket.on('error', (error) => seen.errors.push(error.message))
  return seen
}

/** An unmasked server frame, as a server would send it. */
function serverFrame(payload: Buffer, opcode = 0x2, fin = true): Buffer {
  const length = payload.length
  const header = length < 126 ? Buffer.from([0, length]) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10)
  if (length >= 126 && length < 65536) {
    header[1] = 126
    header.writeUInt16BE(length, 2)
  } else if (length >= 65536) {
    header[1] = 127
    header.writeBigUInt64BE(BigInt(length), 2)
  }
  header[0] = (fin ? 0x80 : 0) | opcode
  return Buffer.concat([header, payload])
}

const patterned = (length: number, seed = 0) => {
  const bytes = Buffer.allocUnsafe(length)
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff
  return bytes
}

describe('LightSocket', () => {
  it('sends a standard upgrade request and opens', async () => {
    let path = ''
    let headers: Record<string, string | string[] | undefined> = {}
    const { url } = await startServer(({ ws, request }) => {
      path = request.url ?? ''
      headers = request.headers
      setTimeout(() => ws.close(), 50)
    })
    const c = client(url.replace('/room?x=1', '/a/b?token=x%20y'))
    expect(c.socket.readyState).toBe(LightSocket.CONNECTING)
    await c.opened
    expect(c.socket.readyState).toBe(LightSocket.OPEN)
    expect(LightSocket.CONNECTING).toBe(WebSocket.CONNECTING)
    expect([c.socket.OPEN, c.socket.CLOSING, c.socket.CLOSED]).toEqual([WebSocket.OPEN, WebSocket.CLOSING, WebSocket.CLOSED])
    await expect.poll(() => c.closes).toEqual([1005]) // ws.close() without a code
    expect(path).toBe('/a/b?token=x%20y')
    expect(headers['sec-websocket-version']).toBe('13')
    expect(Buffer.from(String(headers['sec-websocket-key']), 'base64')).toHaveLength(16)
    expect(headers['sec-websocket-extensions']).toBeUndefined()
  })

  it('echoes binary payloads of every length class (masked frames the ws server accepts)', async () => {
    const received: Buffer[] = []
    let serverClose: number | null = null
    const { url } = await startServer(({ ws }) => {
      ws.on('close', (code) => (serverClose = code))
      ws.on('message', (data: Buffer, isBinary) => {
        received.push(isBinary ? data : Buffer.from('text?'))
        ws.send(data)
      })
    })
    const c = client(url)
    await c.opened
    const sizes = [0, 5, 125, 126, 65_535, 65_536, 1024 * 1024]
    const payloads = sizes.map((size, i) => patterned(size, i))
    for (const payload of payloads) c.socket.send(payload)
    await expect.poll(() => c.messages.length).toBe(sizes.length)
    expect(c.messages.map((m) => m.length)).toEqual(sizes)
    for (let i = 0; i < sizes.length; i++) {
      expect(received[i]!.equals(payloads[i]!)).toBe(true)
      expect(c.messages[i]!.equals(payloads[i]!)).toBe(true)
    }
    expect(c.binary.every(Boolean)).toBe(true)
    // An unmasked frame would have made the server fail the connection with 1002.
    expect(serverClose).toBeNull()
    expect(c.closes).toEqual([])
    expect(c.socket.readyState).toBe(LightSocket.OPEN)
  })

  it('parses several frames from one TCP write, control frames and text included', async () => {
    const { url } = await startServer(({ raw }) => {
      raw.write(
        Buffer.concat([
          serverFrame(Buffer.from('one')),
          serverFrame(Buffer.from('two'), 0x1),
          serverFrame(Buffer.alloc(0), 0xa), // unsolicited pong: ignored
          serverFrame(patterned(300)),
          serverFrame(Buffer.alloc(0)),
        ]),
      )
    })
    const c = client(url)
    await expect.poll(() => c.messages.length).toBe(4)
    expect(c.messages.map((m) => m.toString('latin1'))).toEqual(['one', 'two', patterned(300).toString('latin1'), ''])
    expect(c.binary).toEqual([true, false, true, true])
    // Frames within one chunk are views of it, not copies: 'two' sits right after 'one' and
    // its own 2-byte header (0x81: FIN + text, length 3) in the same memory.
    const [one, two] = c.views as [Buffer, Buffer]
    expect(two.buffer).toBe(one.buffer)
    expect(two.byteOffset).toBe(one.byteOffset + 3 + 2)
    expect([...new Uint8Array(two.buffer, two.byteOffset - 2, 2)]).toEqual([0x81, 3])
  })

  it('reassembles frames delivered one byte at a time, across chunk boundaries and fragments', async () => {
    const big = patterned(70_000, 3)
    const stream = Buffer.concat([
      serverFrame(Buffer.from('tiny')),
      serverFrame(patterned(200, 1)),
      serverFrame(big),
      // A fragmented message with a ping in the middle.
      serverFrame(Buffer.from('frag-'), 0x2, false),
      serverFrame(Buffer.from('ping!'), 0x9),
      serverFrame(Buffer.from('ment'), 0x0, false),
      serverFrame(Buffer.from('ed'), 0x0, true),
    ])
    let pong: Buffer | null = null
    const { url } = await startServer(({ ws, raw }) => {
      ws.on('pong', (data) => (pong = data))
      // Byte by byte (every header split at every point), the big frame's body in uneven chunks.
      const write = (at: number) => {
        if (at >= stream.length) return
        const step = at < 300 || at > stream.length - 100 ? 1 : 4093
        raw.write(stream.subarray(at, at + step), () => setTimeout(() => write(at + step), 0))
      }
      write(0)
    })
    const c = client(url)
    await expect.poll(() => c.messages.length).toBe(4)
    expect(c.messages[0]!.toString()).toBe('tiny')
    expect(c.messages[1]!.equals(patterned(200, 1))).toBe(true)
    expect(c.messages[2]!.equals(big)).toBe(true)
    expect(c.messages[3]!.toString()).toBe('frag-mented')
    await expect.poll(() => pong?.toString()).toBe('ping!')
    expect(c.closes).toEqual([])
  })

  it('only counts data frames once asked to, skipping their payloads across reads, and still answers pings', async () => {
    const big = patterned(70_000, 5)
    const counted = Buffer.concat([
      serverFrame(big),
      serverFrame(Buffer.from('ping?'), 0x9),
      serverFrame(Buffer.from('frag-'), 0x2, false),
      serverFrame(Buffer.from('ment'), 0x0, true),
      serverFrame(patterned(300, 2)),
    ])
    let pong: Buffer | null = null
    let writeCounted = () => undefined as void
    const { url } = await startServer(({ ws, raw }) => {
      ws.on('pong', (data) => (pong = data))
      ws.send(Buffer.from('before'))
      // In uneven chunks, so the big frame's body and a later header span several reads.
      writeCounted = () => {
        const write = (at: number) => {
          if (at >= counted.length) return
          raw.write(counted.subarray(at, at + 4093), () => setTimeout(() => write(at + 4093), 0))
        }
        write(0)
      }
    })
    const c = client(url)
    await expect.poll(() => c.messages.length).toBe(1)
    expect(c.messages[0]!.toString()).toBe('before')
    const counter = { frames: 0, bytes: 0 }
    c.socket.countInto = counter
    writeCounted()
    await expect.poll(() => counter.frames).toBe(3)
    expect(counter.bytes).toBe(70_000 + 9 + 300)
    await expect.poll(() => pong?.toString()).toBe('ping?')
    expect(c.messages).toHaveLength(1)
    expect(c.closes).toEqual([])
  })

  it('answers a server ping with a pong carrying the same payload', async () => {
    let pong: Buffer | null = null
    const { url } = await startServer(({ ws }) => {
      ws.on('pong', (data) => (pong = data))
      ws.ping(Buffer.from('are you there'))
    })
    client(url)
    await expect.poll(() => pong?.toString()).toBe('are you there')
  })

  it('reports a server-initiated close with its code and ends CLOSED', async () => {
    let serverSaw: number | null = null
    const { url } = await startServer(({ ws }) => {
      ws.on('close', (code) => (serverSaw = code))
      ws.close(4003, 'go away')
    })
    const c = client(url)
    await expect.poll(() => c.closes).toEqual([4003])
    expect(c.socket.readyState).toBe(LightSocket.CLOSED)
    // Our echo completed the closing handshake: the server got 4003 back, not an abnormal close.
    await expect.poll(() => serverSaw).toBe(4003)
    expect(c.closes).toEqual([4003])
  })

  it('closes with a code the server sees, and emits close once', async () => {
    let serverSaw: number | null = null
    const serverGot: Buffer[] = []
    const { url } = await startServer(({ ws }) => {
      ws.on('close', (code) => (serverSaw = code))
      ws.on('message', (data: Buffer) => serverGot.push(data))
    })
    const c = client(url)
    await c.opened
    c.socket.close(1000)
    expect(c.socket.readyState).toBe(LightSocket.CLOSING)
    c.socket.send(Buffer.from('ignored')) // not OPEN: a no-op
    await expect.poll(() => c.closes).toEqual([1000])
    await expect.poll(() => serverSaw).toBe(1000)
    c.socket.close(1000)
    c.socket.terminate()
    expect(c.closes).toEqual([1000])
    expect(c.socket.readyState).toBe(LightSocket.CLOSED)
    expect(serverGot).toEqual([])
  })

  it('terminates at once with 1006', async () => {
    let serverSaw: number | null = null
    const { url } = await startServer(({ ws }) => ws.on('close', (code) => (serverSaw = code)))
    const c = client(url)
    await c.opened
    c.socket.terminate()
    expect(c.closes).toEqual([1006])
    expect(c.socket.readyState).toBe(LightSocket.CLOSED)
    await expect.poll(() => serverSaw).toBe(1006)
    expect(c.closes).toEqual([1006])
  })

  it('turns a refused upgrade (401 with a JSON body) into error then close 1006, without throwing', async () => {
    const server: Server = createServer((_req, res) => res.end('ok'))
    server.on('upgrade', (_req, socket: Duplex) => {
      const body = '{"error":"unauthorized"}'
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const socket = new LightSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`)
    const events: string[] = []
    socket.on('open', () => events.push('open'))
    socket.on('message', () => events.push('message'))
    socket.on('error', (error) => events.push(`error: ${error.message}`))
    socket.on('close', (code) => events.push(`close ${code}`))
    await expect.poll(() => events.at(-1)).toBe('close 1006')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(events).toEqual(['error: Unexpected server response: 401', 'close 1006'])
    expect(socket.readyState).toBe(LightSocket.CLOSED)
  })

  it('closes with 1006 when nothing listens, even without an error listener', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const socket = new LightSocket(`ws://127.0.0.1:${port}/`)
    expect(await new Promise<number>((resolve) => socket.once('close', resolve))).toBe(1006)
  })

  it('fails with 1002 on a masked server frame and 1009 above maxPayload', async () => {
    const masked = serverFrame(Buffer.from('xxxx'))
    masked[1] = masked[1]! | 0x80
    const frames = {
      1002: Buffer.concat([masked.subarray(0, 2), Buffer.alloc(4), masked.subarray(2)]),
      1009: serverFrame(patterned(2000)),
    }
    for (const code of [1002, 1009] as const) {
      let serverSaw: number | null = null
      const { url } = await startServer(({ ws, raw }) => {
        ws.on('close', (c) => (serverSaw = c))
        raw.write(frames[code])
      })
      const c = client(url, { maxPayload: 1000 })
      await expect.poll(() => c.closes).toEqual([code])
      expect(c.errors).toHaveLength(1)
      expect(c.messages).toEqual([])
      await expect.poll(() => serverSaw).toBe(code)
    }
  })

  it('drives a Bot through sync and presence against a y-websocket server', async () => {
    const http = createServer()
    const wss = new WebSocketServer({ noServer: true })
    wss.on('connection', setupWSConnection)
    http.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)))
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const peer of wss.clients) peer.terminate()
          http.close(() => resolve())
        }),
    )
    const endpoint = { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/room-1`, framing: plainFraming }
    const window = { seqFrom: 0, seqTo: Infinity, usFrom: 0, usTo: Infinity }
    const probe = new Bot(1, endpoint, 0, new ProbeStats(), window)
    const sender = new Bot(2, endpoint, 0, null, window)
    cleanups.push(async () => {
      await probe.close()
      await sender.close()
    })
    expect(await probe.connect(10_000, false)).toBeGreaterThanOrEqual(0)
    await sender.connect(10_000)
    expect(probe.open && sender.open).toBe(true)
    await expect.poll(() => probe.probe!.presenceClock.get(2)).toBe(1)
    sender.sendPresence()
    await expect.poll(() => probe.probe!.presenceClock.get(2)).toBe(2)
    expect(probe.probe!.presenceEntries).toBe(2)
    expect(probe.probe!.presenceLatencyMs.length).toBe(2)
    expect(probe.counters.frames).toBeGreaterThanOrEqual(3)
    await sender.close()
    expect(sender.open).toBe(false)
    expect(sender.lastCloseCode).toBe(1000)
    expect(sender.unexpectedCloses).toBe(0)
  })
})
