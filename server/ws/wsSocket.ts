import type { WebSocket } from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { SocketLike } from '../rooms/SocketLike.ts'

/** Adapts a `ws` socket to the room's SocketLike. */
export function wsSocket(ws: WebSocket): SocketLike {
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => {
      // A peer that stopped answering pings will not answer a close handshake either.
      if (code === CloseCode.timeout) ws.terminate()
      else ws.close(code, fitCloseReason(reason))
    },
    ping: () => ws.ping(),
    get bufferedAmount() {
      return ws.bufferedAmount
    },
  }
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
