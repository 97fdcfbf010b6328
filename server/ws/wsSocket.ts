import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocket } from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { SharedFrame, SocketLike } from '../rooms/SocketLike.ts'

/**
 * Adapts a `ws` socket to the room's SocketLike. `raw` is the TCP socket `ws` writes to: a
 * shared frame is framed once (`binaryFrame`) and written there as one buffer, where `ws.send`
 * would build a header, wrap the payload and make a two-part write for every peer. Safe because
 * the server has no per-message compression, so `ws` itself writes every frame straight to `raw`
 * in call order and queues nothing of its own.
 */
export function wsSocket(ws: WebSocket, raw: Duplex): SocketLike {
  return new WsSocket(ws, raw)
}

class WsSocket implements SocketLike {
  constructor(
    private readonly ws: WebSocket,
    private readonly raw: Duplex,
  ) {}

  send(data: Uint8Array): void {
    this.ws.send(data)
  }

  sendShared(frame: SharedFrame): void {
    // After a close frame nothing else may follow; ws.send drops it too (with an error callback).
    if (this.ws.readyState !== WebSocket.OPEN) return
    frame.wire ??= binaryFrame(frame.payload)
    this.raw.write(frame.wire)
  }

  close(code: number, reason: string): void {
    // A peer that stopped answering pings will not answer a close handshake either.
    if (code === CloseCode.timeout) this.ws.terminate()
    else this.ws.close(code, fitCloseReason(reason))
  }

  ping(): void {
    this.ws.ping()
  }

  trimMemory(): void {
    // ws's frame reader queues read chunks in an array that keeps the 17 slots its first push
    // made (~150 bytes a socket); between messages it is empty and can start again with none.
    const reader = (this.ws as unknown as { _receiver?: { _buffers?: unknown } })._receiver
    if (reader && Array.isArray(reader._buffers) && reader._buffers.length === 0) reader._buffers = []
  }

  get bufferedAmount(): number {
    return this.raw.writableLength
  }

  get bytesRead(): number | undefined {
    // A TCP (or TLS) socket in practice; a bare Duplex has no count, and then pongs are ignored.
    return (this.raw as Partial<Socket>).bytesRead
  }
}

/** One unmasked, final, binary websocket frame (RFC 6455 §5.2), header and payload in one buffer. */
export function binaryFrame(payload: Uint8Array): Uint8Array {
  const length = payload.length
  const headerBytes = length < 126 ? 2 : length < 65_536 ? 4 : 10
  const frame = Buffer.allocUnsafe(headerBytes + length)
  frame[0] = 0x82
  if (length < 126) frame[1] = length
  else if (length < 65_536) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
  frame.set(payload, headerBytes)
  return frame
}

/** A close frame's reason is at most 123 bytes of UTF-8. */
const MAX_CLOSE_REASON_BYTES = 123

/**
 * Shortens `reason` to fit a close frame. A longer one made `ws` throw instead of closing, and
 * the refused socket stayed open (with tldraw's validation messages as reasons, often).
 */
export function fitCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason
  let cut = reason.slice(0, MAX_CLOSE_REASON_BYTES - 1)
  while (Buffer.byteLength(cut) > MAX_CLOSE_REASON_BYTES - 3) cut = cut.slice(0, -1)
  return `${cut}…`
}
