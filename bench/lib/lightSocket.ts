import { createHash, randomBytes, randomFillSync } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { connect, type Socket } from 'node:net'

/**
 * A minimal RFC 6455 websocket client over `node:net`, with the part of the `ws` client API
 * that the bench bots use. Thousands of bots share one core in the load generator and most only
 * count what they receive, so this keeps the receive path to a header parse:
 * - every socket reads into one shared buffer (`readBuffer`), so a read allocates nothing;
 * - no per-frame state machine objects, no copies when a frame lies within one read;
 * - a socket that only counts (`countInto`) skips data frames' payloads, even across reads.
 * Not supported: TLS, extensions (no compression), subprotocols, redirects.
 */

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const OP_CONTINUATION = 0x0
const OP_TEXT = 0x1
const OP_BINARY = 0x2
const OP_CLOSE = 0x8
const OP_PING = 0x9
const OP_PONG = 0xa
const NO_STATUS = 1005
const ABNORMAL = 1006
const PROTOCOL_ERROR = 1002
const TOO_BIG = 1009
const MAX_HANDSHAKE_BYTES = 16 * 1024

/**
 * Where every socket's reads land. Node handles one read at a time and we parse it before
 * returning, so one buffer serves all: at ~300 MB/s a new buffer per read (Node's default) was
 * most of the load generator's garbage. Anything kept past a read is copied out of it.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024)

// Masks only need to be unpredictable to intermediaries, not one crypto call each: take them
// from a pool refilled in batches (16,384 masks per refill).
const maskPool = Buffer.allocUnsafe(64 * 1024)
let maskAt = maskPool.length

/** One final, masked frame: header, mask and payload in a single buffer (one socket write). */
function encodeFrame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(header + 4 + length)
  frame[0] = 0x80 | opcode
  if (length < 126) {
    frame[1] = 0x80 | length
  } else if (length < 65536) {
    frame[1] = 0x80 | 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 0x80 | 127
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2)
    frame.writeUInt32BE(length >>> 0, 6)
  }
  if (maskAt + 4 > maskPool.length) {
    randomFillSync(maskPool)
    maskAt = 0
  }
  const m0 = (frame[header] = maskPool[maskAt]!)
  const m1 = (frame[header + 1] = maskPool[maskAt + 1]!)
  const m2 = (frame[header + 2] = maskPool[maskAt + 2]!)
  const m3 = (frame[header + 3] = maskPool[maskAt + 3]!)
  maskAt += 4
  const start = header + 4
  let i = 0
  for (; i + 3 < length; i += 4) {
    frame[start + i] = payload[i]! ^ m0
    frame[start + i + 1] = payload[i + 1]! ^ m1
    frame[start + i + 2] = payload[i + 2]! ^ m2
    frame[start + i + 3] = payload[i + 3]! ^ m3
  }
  for (; i < length; i++) frame[start + i] = payload[i]! ^ frame[header + (i & 3)]!
  return frame
}

const closePayload = (code: number): Buffer => {
  const payload = Buffer.allocUnsafe(2)
  payload.writeUInt16BE(code, 0)
  return payload
}

interface LightSocketEvents {
  open: []
  /**
   * `data` is valid only while the listener runs: it is often a view of the shared read buffer,
   * which the next read overwrites. Copy it to keep it.
   */
  message: [data: Buffer, isBinary: boolean]
  close: [code: number]
  error: [error: Error]
}

export class LightSocket extends EventEmitter<LightSocketEvents> {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  readonly CONNECTING = 0
  readonly OPEN = 1
  readonly CLOSING = 2
  readonly CLOSED = 3
  readyState = 0
  /**
   * Once set, data frames are only counted here (whole messages and payload bytes), neither
   * delivered as 'message' nor assembled: for bots that only count what they receive.
   */
  countInto: { frames: number; bytes: number } | null = null

  private readonly socket: Socket
  private readonly key = randomBytes(16).toString('base64')
  private readonly maxPayload: number
  /** Received bytes not yet parsed (an incomplete handshake or frame), and how many we need. */
  private parts: Buffer[] = []
  private partsLength = 0
  private need = 0
  /** A fragmented message being reassembled (FIN=0 data frame, then continuations). */
  private fragments: Buffer[] = []
  private fragmentsLength = 0
  private fragmentsBinary = true
  /** Payload bytes of a counted frame still to arrive (skipped, never copied). */
  private skip = 0
  private closeSent = false

  constructor(url: string, options: { maxPayload?: number } = {}) {
    super()
    const target = new URL(url)
    if (target.protocol !== 'ws:') throw new SyntaxError(`LightSocket only speaks ws://, not ${target.protocol}`)
    this.maxPayload = options.maxPayload ?? 512 * 1024 * 1024
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1')
    this.socket = connect({ host, port: Number(target.port || 80), onread: { buffer: readBuffer, callback: (bytes) => this.onRead(bytes) } })
    this.socket.setNoDelay(true)
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${this.key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      )
    })
    this.socket.on('error', (error) => {
      if (this.readyState !== LightSocket.CLOSED) this.emitError(error)
    })
    // 'close' follows 'end' and 'error' alike: without a close frame the close is abnormal.
    this.socket.on('close', () => this.finish(ABNORMAL))
  }

  /** Sends one binary message; a no-op unless OPEN (like a dropped packet, not an exception). */
  send(data: Uint8Array): void {
    if (this.readyState === LightSocket.OPEN) this.socket.write(encodeFrame(OP_BINARY, data))
  }

  /** Starts the closing handshake; 'close' comes with the server's answer (or the TCP close). */
  close(code = 1000): void {
    if (this.readyState === LightSocket.CONNECTING) return this.terminate()
    if (this.readyState !== LightSocket.OPEN) return
    this.readyState = LightSocket.CLOSING
    this.closeSent = true
    this.socket.write(encodeFrame(OP_CLOSE, closePayload(code)))
  }

  terminate(): void {
    if (this.readyState === LightSocket.CLOSED) return
    this.socket.destroy()
    this.finish(ABNORMAL)
  }

  private finish(code: number): void {
    if (this.readyState === LightSocket.CLOSED) return
    this.readyState = LightSocket.CLOSED
    this.parts = []
    this.partsLength = 0
    this.fragments = []
    this.fragmentsLength = 0
    this.emit('close', code)
  }

  /** 'error' without a listener would throw: skip it then (the 'close' that follows still comes). */
  private emitError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error)
  }

  /** Fails the connection: tells the server why, drops the TCP connection, reports `code`. */
  private fail(code: number, reason: string): void {
    if (this.readyState === LightSocket.CLOSED) return
    this.emitError(new Error(reason))
    if (this.readyState !== LightSocket.CONNECTING && !this.closeSent) {
      this.closeSent = true
      this.socket.end(encodeFrame(OP_CLOSE, closePayload(code)))
    } else {
      this.socket.destroy()
    }
    this.finish(code)
  }

  /** `true`: keep reading (a `false` would pause the socket). */
  private onRead(bytes: number): boolean {
    this.onData(readBuffer.subarray(0, bytes))
    return true
  }

  private onData(received: Buffer): void {
    if (this.readyState === LightSocket.CLOSED) return
    let chunk = received
    if (this.partsLength > 0) {
      // Wait until the handshake or frame is complete, then join once (never per chunk).
      this.partsLength += chunk.length
      if (this.partsLength < this.need) {
        this.parts.push(Buffer.from(chunk))
        return
      }
      this.parts.push(chunk)
      chunk = Buffer.concat(this.parts, this.partsLength)
      this.parts = []
      this.partsLength = 0
    }
    let at = 0
    if (this.skip > 0) {
      at = Math.min(this.skip, chunk.length)
      this.skip -= at
    }
    if (this.readyState === LightSocket.CONNECTING) {
      at = this.handshake(chunk)
      if (at < 0) return
    }
    while (at < chunk.length && this.readyState !== LightSocket.CLOSED) {
      const used = this.frame(chunk, at)
      if (used === 0) break
      at += used
    }
    if (at < chunk.length && this.readyState !== LightSocket.CLOSED) {
      this.parts.push(Buffer.from(chunk.subarray(at)))
      this.partsLength = chunk.length - at
    }
  }

  /** Parses the server's 101 answer; returns where frames start, or -1 (incomplete or failed). */
  private handshake(chunk: Buffer): number {
    const end = chunk.indexOf('\r\n\r\n')
    if (end < 0) {
      if (chunk.length > MAX_HANDSHAKE_BYTES) {
        this.fail(ABNORMAL, 'handshake response too large')
      } else {
        this.parts.push(Buffer.from(chunk))
        this.partsLength = chunk.length
        this.need = chunk.length + 1
      }
      return -1
    }
    const [status = '', ...lines] = chunk.toString('latin1', 0, end).split('\r\n')
    const headers = new Map<string, string>()
    for (const line of lines) {
      const colon = line.indexOf(':')
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const code = /^HTTP\/1\.\d (\d{3})/.exec(status)?.[1]
    const accept = createHash('sha1').update(this.key + GUID).digest('base64')
    let problem: string | null = null
    if (code !== '101') problem = `Unexpected server response: ${code ?? status}`
    else if (headers.get('upgrade')?.toLowerCase() !== 'websocket') problem = 'Invalid Upgrade header'
    else if (headers.get('sec-websocket-accept') !== accept) problem = 'Invalid Sec-WebSocket-Accept header'
    else if (headers.has('sec-websocket-extensions')) problem = 'Server sent extensions we did not offer'
    if (problem) {
      this.fail(ABNORMAL, problem)
      return -1
    }
    this.readyState = LightSocket.OPEN
    this.emit('open')
    return end + 4
  }

  /** Handles the frame at `at`; returns its size, or 0 if incomplete (and sets `need`). */
  private frame(chunk: Buffer, at: number): number {
    const available = chunk.length - at
    if (available < 2) return this.incomplete(2)
    const b0 = chunk[at]!
    const b1 = chunk[at + 1]!
    if (b1 & 0x80) return this.failed(PROTOCOL_ERROR, 'masked frame from server')
    if (b0 & 0x70) return this.failed(PROTOCOL_ERROR, 'reserved bits set without extensions')
    let length = b1 & 0x7f
    let header = 2
    if (length === 126) {
      if (available < 4) return this.incomplete(4)
      length = chunk.readUInt16BE(at + 2)
      header = 4
    } else if (length === 127) {
      if (available < 10) return this.incomplete(10)
      length = chunk.readUInt32BE(at + 2) * 2 ** 32 + chunk.readUInt32BE(at + 6)
      header = 10
    }
    const fin = (b0 & 0x80) !== 0
    const opcode = b0 & 0x0f
    if (opcode >= OP_CLOSE && (!fin || length > 125)) return this.failed(PROTOCOL_ERROR, 'invalid control frame')
    if ((opcode === OP_CONTINUATION ? this.fragmentsLength : 0) + length > this.maxPayload) {
      return this.failed(TOO_BIG, `message larger than maxPayload (${this.maxPayload} bytes)`)
    }
    if (this.countInto && opcode < OP_CLOSE) return this.count(fin, header, length, available)
    if (available < header + length) return this.incomplete(header + length)
    const payload = chunk.subarray(at + header, at + header + length)
    switch (opcode) {
      case OP_TEXT:
      case OP_BINARY:
        if (this.fragments.length > 0) return this.failed(PROTOCOL_ERROR, 'new message inside a fragmented one')
        if (fin) {
          this.emit('message', payload, opcode === OP_BINARY)
        } else {
          this.fragments.push(Buffer.from(payload))
          this.fragmentsLength = length
          this.fragmentsBinary = opcode === OP_BINARY
        }
        break
      case OP_CONTINUATION: {
        if (this.fragments.length === 0) return this.failed(PROTOCOL_ERROR, 'continuation without a message')
        this.fragments.push(Buffer.from(payload))
        this.fragmentsLength += length
        if (!fin) break
        const message = Buffer.concat(this.fragments, this.fragmentsLength)
        this.fragments = []
        this.fragmentsLength = 0
        this.emit('message', message, this.fragmentsBinary)
        break
      }
      case OP_PING:
        // Servers drop peers that do not answer pings. Nothing may follow our own close frame.
        if (!this.closeSent) this.socket.write(encodeFrame(OP_PONG, payload))
        break
      case OP_PONG:
        break
      case OP_CLOSE: {
        if (length === 1) return this.failed(PROTOCOL_ERROR, 'close frame with a 1-byte payload')
        const code = length >= 2 ? payload.readUInt16BE(0) : NO_STATUS
        // Echo the code (or an empty close if there was none), then let the server end TCP.
        if (!this.closeSent) {
          this.closeSent = true
          this.socket.end(encodeFrame(OP_CLOSE, code === NO_STATUS ? Buffer.alloc(0) : closePayload(code)))
        } else {
          this.socket.end()
        }
        this.finish(code)
        break
      }
      default:
        return this.failed(PROTOCOL_ERROR, `unknown opcode ${opcode}`)
    }
    return header + length
  }

  /** Counts a data frame and consumes what has arrived of it; the rest is skipped as it comes. */
  private count(fin: boolean, header: number, length: number, available: number): number {
    if (fin) this.countInto!.frames += 1
    this.countInto!.bytes += length
    if (available >= header + length) return header + length
    this.skip = header + length - available
    return available
  }

  private incomplete(bytes: number): number {
    this.need = bytes
    return 0
  }

  private failed(code: number, reason: string): number {
    this.fail(code, reason)
    return 0
  }
}
