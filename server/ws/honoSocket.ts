import type { WSContext } from 'hono/ws'
import type { WebSocket } from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { SocketLike } from '../rooms/SocketLike.ts'

/** Adapts Hono's node websocket context to the room's SocketLike. */
export function honoSocket(ws: WSContext<WebSocket>): SocketLike {
  const raw = ws.raw!
  return {
    // lib0 hands out Uint8Array<ArrayBufferLike>; ws accepts any view. One cast, here at the edge.
    send: (data) => ws.send(data as Uint8Array<ArrayBuffer>),
    close: (code, reason) => {
      // A peer that stopped answering pings will not answer a close handshake either.
      if (code === CloseCode.timeout) raw.terminate()
      else ws.close(code, reason)
    },
    ping: () => raw.ping(),
    get bufferedAmount() {
      return raw.bufferedAmount
    },
  }
}
