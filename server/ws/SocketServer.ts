import type { IncomingMessage, Server } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Context } from 'hono'
import { WebSocket, WebSocketServer, type RawData, type Server as WsServer } from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import { ErrorCode } from '../../shared/errors.ts'
import { errorBody } from '../http/errorStatus.ts'
import { releaseUpgraded } from './connectionGuards.ts'

/** What a route hands over when it accepts an upgrade. */
export interface SocketHandlers {
  /**
   * The socket is open: returns what takes its frames (binary only) and its end, or null if it
   * was refused and closed. `raw` is the TCP socket under `ws`, for frames written once for
   * many sockets. The handlers themselves are dropped once this returns.
   */
  open(ws: WebSocket, raw: Duplex): SocketSession | null
}

/** An open socket's frames and its end, as the socket server delivers them. */
export interface SocketSession {
  receive(data: Uint8Array): void
  end(): void
}

/** What the Hono app sees for an upgrade request (`c.env`). */
export interface UpgradeEnv {
  incoming: IncomingMessage
}

/** Something that answers a Request, as the Hono app does. */
type Handler = { request(url: URL, init: RequestInit, env: UpgradeEnv): Response | Promise<Response> }

/**
 * Websocket upgrades for the Hono app. The app's routes decide every upgrade (admission answers
 * 404/401/403/429/503 as JSON, like any route); an accepted one becomes a `ws` socket here.
 *
 * Why not `@hono/node-ws`: it keeps the request's whole Hono context (request, headers, URL,
 * env) alive for as long as each socket is open, and builds a `MessageEvent` and an ArrayBuffer
 * copy for every frame. With thousands of sockets in small rooms those were the largest costs
 * per connection (docs/performance.md). Here a socket holds only its handlers.
 */
export class SocketServer {
  private readonly wss: WsServer<typeof ServerSocket>
  private readonly accepted = new WeakMap<IncomingMessage, SocketHandlers>()
  /** Every open socket, to end them all at shutdown (ws's own tracking costs a closure each). */
  private readonly open = new Set<ServerSocket>()

  constructor(maxPayload: number) {
    // No per-message compression: wsSocket writes shared frames straight to the TCP socket.
    // autoPong off: ws's own answer keeps a closure per socket; ServerSocket answers pings itself.
    this.wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, clientTracking: false, autoPong: false, WebSocket: ServerSocket })
  }

  /** Ends every open socket at once, without a close handshake (shutdown). */
  terminateAll(): void {
    for (const ws of this.open) ws.terminate()
  }

  /** Called by a route to take the upgrade; the placeholder response is never sent. */
  accept(c: Context, handlers: SocketHandlers): Response {
    const incoming = (c.env as Partial<UpgradeEnv> | undefined)?.incoming
    if (!incoming || c.req.header('upgrade')?.toLowerCase() !== 'websocket')
      return c.json(errorBody({ code: ErrorCode.badRequest, message: 'This address takes websocket connections only.' }), 426)
    this.accepted.set(incoming, handlers)
    return new Response(null, { status: 200 })
  }

  /** Routes every upgrade on `server` through `app`; must come after `guardHttpServer`. */
  attach(server: Server, app: Handler): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Nothing here may throw into Node's HTTP server: a failure drops this one connection.
      this.upgrade(app, request, socket, head).catch(() => socket.destroy())
    })
  }

  private async upgrade(app: Handler, request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const headers = new Headers()
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.append(name, Array.isArray(value) ? value.join(', ') : value)
    let response: Response
    try {
      response = await app.request(new URL(request.url ?? '/', 'http://localhost'), { headers }, { incoming: request })
    } catch {
      response = Response.json(errorBody({ code: ErrorCode.internal, message: 'Something went wrong on our side. Please try again.' }), { status: 500 })
    }
    const handlers = this.accepted.get(request)
    this.accepted.delete(request)
    if (!handlers) return refuseUpgrade(socket, response)
    if (socket.destroyed) return
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      try {
        ws.session = handlers.open(ws, socket)
      } catch {
        return ws.close(CloseCode.internal, 'the workshop could not be opened')
      }
      releaseUpgraded(socket)
      ws.tracker = this.open
      this.open.add(ws)
    })
  }
}

/** ws's default for the pongs a peer may have waiting before it is dropped. */
const MAX_PENDING_PONGS = 60

/**
 * A `ws` socket that carries its session and takes its own events: no closures per socket, and
 * no listeners either: closures and listeners per socket were a large part of a small room's
 * memory (docs/performance.md). Events nobody here handles ('pong') go to `ws` as usual.
 */
class ServerSocket extends WebSocket {
  session: SocketSession | null = null
  tracker: Set<ServerSocket> | null = null
  private pendingPongs = 0

  /**
   * Every EventEmitter starts with its own event table, a dictionary of ~180 bytes. Nothing
   * listens to these sockets, and Node's EventEmitter takes a missing table as an empty one (it
   * makes one again if a listener is ever added).
   */
  protected _events = undefined

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'message') this.received(args[0] as RawData, args[1] === true)
    else if (event === 'ping') this.answerPing(args[0] as Buffer)
    else if (event === 'close') this.closed()
    // 'close' follows every 'error'; the socket is cleaned up there. (With no handler, an
    // emitted 'error' would throw.)
    else if (event !== 'error') return super.emit(event, ...args)
    return true
  }

  /**
   * Pongs, as ws's own answer does (and with its limit): a peer that pings faster than it reads
   * is dropped rather than left to grow our send queue.
   */
  private answerPing(data: Buffer): void {
    if (this.readyState !== WebSocket.OPEN) return
    if (this.pendingPongs >= MAX_PENDING_PONGS) return this.terminate()
    this.pendingPongs++
    this.pong(data, false, () => this.pendingPongs--)
  }

  private received(data: RawData, isBinary: boolean): void {
    if (!isBinary) return this.close(CloseCode.badFrame, 'text frames are not accepted')
    try {
      this.session?.receive(ownBytes(data))
    } catch {
      this.close(CloseCode.internal, 'unexpected server error')
    }
  }

  private closed(): void {
    const session = this.session
    this.session = null
    this.tracker?.delete(this)
    session?.end()
  }
}

/** The route's answer as a plain HTTP response on the raw socket, which then closes. */
async function refuseUpgrade(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer())
  if (socket.destroyed) return
  const type = response.headers.get('content-type')
  const retryAfter = response.headers.get('retry-after')
  const head =
    `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\nConnection: close\r\n` +
    (type ? `Content-Type: ${type}\r\n` : '') +
    (retryAfter ? `Retry-After: ${retryAfter}\r\n` : '') +
    `Content-Length: ${body.length}\r\n\r\n`
  socket.end(Buffer.concat([Buffer.from(head), body]))
}

/**
 * A frame as bytes. `ws` hands a Buffer that may be a view into a larger read chunk; a small
 * frame kept (by Yjs content or a pending write) would then keep the whole chunk, so it is copied.
 */
function ownBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return data.byteLength === data.buffer.byteLength ? data : new Uint8Array(data)
}
