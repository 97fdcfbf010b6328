import { randomBytes } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import type { WebSocket } from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import { isDocName, type DocName } from '../../shared/docs.ts'
import { ErrorCode } from '../../shared/errors.ts'
import { errorBody } from '../http/errorStatus.ts'
import { describeError, type Logger } from '../logger.ts'
import type { SharedFrame, SocketLike } from '../rooms/SocketLike.ts'
import { fitCloseReason } from '../ws/wsSocket.ts'
import type { SocketRelay } from '../ws/routes.ts'
import type { SocketHandlers } from '../ws/SocketServer.ts'
import type { Admission, WsGateway, WsSession } from '../ws/WsGateway.ts'
import type { Bus, BusMessage } from './Bus.ts'
import type { Ownership, Placement } from './Ownership.ts'

/** A socket another instance carries for a workshop we hold. */
interface Hosted {
  session: WsSession | null
  from: string
  /** Bytes sent to it that Redis has not taken yet: its backlog, as a direct socket's is unsent bytes. */
  pending: number
}

/** What a request run on behalf of another instance carries instead of a socket. */
export interface ForwardedEnv {
  incoming: { socket: { remoteAddress: string } }
  /** The instance that received it; such a request is never forwarded again. */
  forwardedFrom: string
}

const FORWARD_TIMEOUT_MS = 10_000
/** How long a request waits for another instance to finish claiming a workshop (rarely needed). */
const CLAIM_WAIT_MS = 100
const CLAIM_TRIES = 10
const LIVENESS_MS = 1_000
/** A relayed socket whose browser reads too slowly is closed, as the owner would close it. */
const MAX_RELAY_BACKLOG = 8 * 1024 * 1024

const b64 = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64')
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'base64'))

/**
 * Several instances, one owner per workshop (docs/architecture.md). Requests and sockets for a
 * workshop go to the instance that holds it: handled here when that is us, otherwise carried over
 * Redis (HTTP as request/response, sockets frame by frame). The load balancer needs no stickiness.
 *
 * Loss heals by reconnecting: when the bus or a peer goes away, every socket relayed through it
 * is closed (1012), its client reconnects through the balancer, and y-websocket's sync step
 * exchanges whatever either side missed with the owner's document.
 */
export class Cluster {
  private fetch: ((request: Request, env: ForwardedEnv) => Response | Promise<Response>) | null = null
  /** Requests carried to `owner` awaiting its answer; `giveUp` answers 503 without Retry-After. */
  private readonly waiting = new Map<string, { owner: string; resolve: (response: Response) => void; giveUp: () => void; timer: NodeJS.Timeout }>()
  /** Our clients' sockets whose workshop is held elsewhere. */
  private readonly relayed = new Map<string, { ws: WebSocket; owner: string }>()
  /** Other instances' clients' sockets for workshops we hold. */
  private readonly hosted = new Map<string, Hosted>()
  /** Fan-out frames for hosted sockets in this turn: frame → carrier → its sockets (see shareDown). */
  private readonly downBatch = new Map<SharedFrame, Map<string, string[]>>()
  private readonly liveness: NodeJS.Timeout

  constructor(
    private readonly bus: Bus,
    private readonly ownership: Ownership,
    private readonly gateway: WsGateway,
    private readonly log: Logger,
    /** The client's address as this instance sees it (for limits on the owner). */
    private readonly addressOf: (c: Context) => string,
    private readonly maxBodyBytes: number,
  ) {
    bus.onMessage((message) => this.receive(message))
    bus.onStatus((status) => {
      if (status === 'failing') this.dropRemoteSockets('the connection between servers was lost')
    })
    this.liveness = setInterval(() => void this.checkPeers(), LIVENESS_MS)
    this.liveness.unref()
  }

  get instanceId(): string {
    return this.bus.instanceId
  }

  get busStatus(): Bus['status'] {
    return this.bus.status
  }

  /** The app's own fetch, for requests other instances pass us. */
  attach(fetch: (request: Request, env: ForwardedEnv) => Response | Promise<Response>): void {
    this.fetch = fetch
  }

  /** Runs requests for workshops held elsewhere at their owner. Mount on workshop routes. */
  readonly http: MiddlewareHandler = async (c, next) => {
    const workshopId = c.req.param('workshopId')
    if (!workshopId) return next()
    const placement = await this.settledPlace(workshopId)
    if (placement.here) return next()
    // Forwarded to us, but no longer ours: never bounce it on.
    if ((c.env as Partial<ForwardedEnv> | undefined)?.forwardedFrom || placement.owner === null) return unavailable(c)
    return this.forward(placement.owner, c, workshopId)
  }

  readonly relay: SocketRelay = {
    admitRemote: async (c, workshopId, docName) => {
      const forwarded = (c.env as Partial<ForwardedEnv> | undefined)?.forwardedFrom
      const placement = await this.settledPlace(workshopId)
      if (placement.here) {
        if (!forwarded) return null
        // Another instance asks whether its client may connect here: admission only.
        const admitted = this.gateway.admit(c, workshopId, docName)
        return admitted instanceof Response ? admitted : c.json(admitted)
      }
      if (forwarded || placement.owner === null) return unavailable(c)
      // The owner admits (or refuses) exactly as it would a direct client; we then carry frames.
      const answer = await this.forward(placement.owner, c, workshopId)
      if (answer.status !== 200) return answer
      return { owner: placement.owner, admission: (await answer.json()) as Admission }
    },
    events: (owner, workshopId, docName, admission) => this.relayEvents(owner, workshopId, docName, admission),
  }

  async close(): Promise<void> {
    clearInterval(this.liveness)
    this.dropRemoteSockets('this server is restarting')
    await this.bus.close()
  }

  /** Unknown workshops stay here (they answer 404 without anyone claiming them). */
  private place(workshopId: string): Placement {
    try {
      return this.ownership.place(workshopId)
    } catch (error) {
      this.log.error('cluster.place_failed', describeError(error))
      return { here: false, owner: null }
    }
  }

  /** As `place`, but gives an instance in the middle of claiming the workshop a moment to finish. */
  private async settledPlace(workshopId: string): Promise<Placement> {
    let placement = this.place(workshopId)
    for (let i = 1; i < CLAIM_TRIES && !placement.here && placement.owner === null && this.bus.status === 'ok'; i++) {
      await new Promise((resolve) => setTimeout(resolve, CLAIM_WAIT_MS))
      placement = this.place(workshopId)
    }
    return placement
  }

  private async forward(owner: string, c: Context, workshopId: string): Promise<Response> {
    const response = await this.carry(owner, c)
    // The owner no longer holds it, or did not answer: ask PostgreSQL afresh next time.
    if (response.status === 503) this.ownership.forget(owner, workshopId)
    return response
  }

  private async carry(owner: string, c: Context): Promise<Response> {
    const id = randomBytes(9).toString('base64url')
    let body: string | undefined
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const raw = await readLimited(c.req.raw, this.maxBodyBytes)
      if (raw === null) {
        c.header('Connection', 'close')
        return c.json(errorBody({ code: ErrorCode.payloadTooLarge, message: `That is too much to send at once (limit ${this.maxBodyBytes} bytes).` }), 413)
      }
      body = raw.toString('base64')
    }
    const headers = [...c.req.raw.headers]
    const message: BusMessage = { t: 'req', id, from: this.instanceId, method: c.req.method, url: c.req.url, headers, address: this.addressOf(c), ...(body !== undefined ? { body } : {}) }
    return new Promise<Response>((resolve) => {
      const giveUp = () => {
        clearTimeout(timer)
        this.waiting.delete(id)
        // The owner may have done it: no Retry-After, so clients do not repeat it blindly.
        resolve(unavailable(c, false))
      }
      const timer = setTimeout(giveUp, FORWARD_TIMEOUT_MS)
      this.waiting.set(id, { owner, resolve, giveUp, timer })
      if (!this.bus.send(owner, message)) {
        clearTimeout(timer)
        this.waiting.delete(id)
        resolve(unavailable(c))
      }
    })
  }

  private relayEvents(owner: string, workshopId: string, docName: DocName, admission: Admission): SocketHandlers {
    const conn = randomBytes(9).toString('base64url')
    const send = (message: BusMessage) => this.bus.send(owner, message)
    return {
      open: (ws) => {
        this.relayed.set(conn, { ws, owner })
        // The owner holds the connection and cannot see this socket's bytes: pongs go to it.
        ws.on('pong', () => send({ t: 'pong', conn }))
        if (!send({ t: 'open', conn, from: this.instanceId, workshopId, docName, actor: admission.actor, credential: admission.credential })) this.closeRelayed(conn, CloseCode.serviceRestart, 'please reconnect')
        return {
          receive: (data) => {
            // Closed by the owner, or by us: a client ignoring the close frame keeps sending for
            // up to ws's 30 s close timeout, and each frame went on over the bus (492 MB in 12 s).
            if (!this.relayed.has(conn)) return
            if (!send({ t: 'up', conn, data: b64(data) })) this.closeRelayed(conn, CloseCode.serviceRestart, 'please reconnect')
          },
          end: () => {
            if (this.relayed.delete(conn)) send({ t: 'close', conn, code: 1000, reason: '' })
          },
        }
      },
    }
  }

  private receive(message: BusMessage): void {
    switch (message.t) {
      case 'req':
        void this.serve(message)
        return
      case 'res': {
        const waiting = this.waiting.get(message.id)
        if (!waiting) return
        clearTimeout(waiting.timer)
        this.waiting.delete(message.id)
        const headers = new Headers()
        for (const [name, value] of message.headers) headers.append(name, value)
        waiting.resolve(new Response(message.status === 204 || message.status === 304 ? null : Buffer.from(message.body, 'base64'), { status: message.status, headers }))
        return
      }
      case 'open':
        this.host(message)
        return
      case 'up':
        this.hosted.get(message.conn)?.session?.receive(bytes(message.data))
        return
      case 'pong':
        this.hosted.get(message.conn)?.session?.markAlive()
        return
      case 'down': {
        let data: Uint8Array | null = null
        for (const conn of message.conns) {
          const relayed = this.relayed.get(conn)
          if (!relayed) continue
          if (relayed.ws.bufferedAmount > MAX_RELAY_BACKLOG) {
            this.closeRelayed(conn, CloseCode.serviceRestart, 'too far behind; please reconnect')
            continue
          }
          relayed.ws.send((data ??= bytes(message.data)))
        }
        return
      }
      case 'ping':
        this.relayed.get(message.conn)?.ws.ping()
        return
      case 'close':
        if (this.relayed.has(message.conn)) return this.closeRelayed(message.conn, message.code, message.reason, false)
        return this.endHosted(message.conn, false)
    }
  }

  /** Runs a forwarded request through our own app and sends the answer back. */
  private async serve(message: Extract<BusMessage, { t: 'req' }>): Promise<void> {
    let response: Response
    try {
      if (!this.fetch) throw new Error('not attached')
      const request = new Request(message.url, {
        method: message.method,
        headers: message.headers,
        ...(message.body !== undefined ? { body: Buffer.from(message.body, 'base64') } : {}),
      })
      response = await this.fetch(request, { incoming: { socket: { remoteAddress: message.address } }, forwardedFrom: message.from })
    } catch (error) {
      this.log.error('cluster.serve_failed', describeError(error))
      response = Response.json(errorBody({ code: ErrorCode.internal, message: 'Something went wrong on our side. Please try again.' }), { status: 500 })
    }
    const body = Buffer.from(await response.arrayBuffer()).toString('base64')
    this.bus.send(message.from, { t: 'res', id: message.id, status: response.status, headers: [...response.headers], body })
  }

  /** A socket another instance carries for a workshop we hold. */
  private host(message: Extract<BusMessage, { t: 'open' }>): void {
    const { conn, from } = message
    const reply = (m: BusMessage) => this.bus.send(from, m)
    const entry: Hosted = { session: null, from, pending: 0 }
    const socket: SocketLike = {
      send: (data) => {
        // Frames shared this turn go first, so each socket gets its frames in the order sent.
        this.flushDown()
        const bytes = data.length
        entry.pending += bytes
        if (!this.bus.send(from, { t: 'down', conns: [conn], data: b64(data) }, () => (entry.pending -= bytes))) entry.pending -= bytes
      },
      sendShared: (frame) => this.shareDown(frame, from, conn),
      close: (code, reason) => {
        this.flushDown()
        const hosted = this.hosted.get(conn)
        this.hosted.delete(conn)
        reply({ t: 'close', conn, code, reason: fitCloseReason(reason) })
        hosted?.session?.end()
      },
      ping: () => void reply({ t: 'ping', conn }),
      // What of its frames waits for Redis: the room drops a peer past its limit, as it does a slow
      // direct socket (this was 0, and a flood grew the owner to 800 MB). The carrying instance
      // also watches its own socket's backlog (MAX_RELAY_BACKLOG).
      get bufferedAmount() {
        return entry.pending
      },
    }
    this.hosted.set(conn, entry)
    if (!isDocName(message.docName) || !this.ownership.owns(message.workshopId)) return socket.close(CloseCode.serviceRestart, 'please reconnect')
    entry.session = this.gateway.open(message.workshopId, message.docName, { actor: message.actor, credential: message.credential }, socket)
    if (!entry.session) this.hosted.delete(conn)
  }

  /**
   * A fan-out frame for a hosted socket: collected for the rest of this turn (the fan-out sends
   * it to every peer in one loop), then sealed and published once per carrying instance, naming
   * its sockets. One bus message per socket cost an encode, a seal and a publish each: 100 people
   * on another instance made one 480 KB edit cost the owner ~1.5 s.
   */
  private shareDown(frame: SharedFrame, carrier: string, conn: string): void {
    if (this.downBatch.size === 0) queueMicrotask(() => this.flushDown())
    let carriers = this.downBatch.get(frame)
    if (!carriers) this.downBatch.set(frame, (carriers = new Map()))
    const conns = carriers.get(carrier)
    if (conns) conns.push(conn)
    else carriers.set(carrier, [conn])
  }

  private flushDown(): void {
    if (this.downBatch.size === 0) return
    const batch = [...this.downBatch]
    this.downBatch.clear()
    for (const [frame, carriers] of batch) {
      const data = b64(frame.payload)
      const bytes = frame.payload.length
      for (const [carrier, conns] of carriers) {
        const entries = conns.flatMap((conn) => this.hosted.get(conn) ?? [])
        const settle = () => {
          for (const entry of entries) entry.pending -= bytes
        }
        for (const entry of entries) entry.pending += bytes
        if (!this.bus.send(carrier, { t: 'down', conns, data }, settle)) settle()
      }
    }
  }

  /**
   * Either end of a carried socket that drops it tells the other end (when the bus lets it), so
   * neither is left holding half a connection: a carried socket whose owner no longer hosts it
   * would look open to its client while nothing reached the document.
   */
  private closeRelayed(conn: string, code: number, reason: string, tellOwner = true): void {
    const relayed = this.relayed.get(conn)
    if (!relayed) return
    this.relayed.delete(conn)
    relayed.ws.close(code, fitCloseReason(reason))
    if (tellOwner) this.bus.send(relayed.owner, { t: 'close', conn, code: 1000, reason: '' })
  }

  private endHosted(conn: string, tellCarrier = true): void {
    const hosted = this.hosted.get(conn)
    if (!hosted) return
    this.hosted.delete(conn)
    hosted.session?.end()
    if (tellCarrier) this.bus.send(hosted.from, { t: 'close', conn, code: CloseCode.serviceRestart, reason: 'please reconnect' })
  }

  /** Sockets that cross to another instance; after a loss their clients must sync afresh. */
  private dropRemoteSockets(reason: string): void {
    for (const conn of [...this.relayed.keys()]) this.closeRelayed(conn, CloseCode.serviceRestart, reason)
    for (const conn of [...this.hosted.keys()]) this.endHosted(conn)
  }

  /**
   * A peer that stopped beating is gone: its sockets (either way) are closed and reconnect, and
   * requests waiting on it are answered at once.
   */
  private async checkPeers(): Promise<void> {
    const peers = new Set<string>([
      ...[...this.relayed.values()].map((r) => r.owner),
      ...[...this.hosted.values()].map((h) => h.from),
      ...[...this.waiting.values()].map((w) => w.owner),
    ])
    if (peers.size === 0) return
    const living = await this.bus.living([...peers])
    if (living === null) return this.dropRemoteSockets('the connection between servers was lost')
    for (const peer of peers) if (!living.has(peer)) this.ownership.forget(peer)
    // Only peers asked about this time: a request or socket added during the question is judged next time.
    const gone = (peer: string) => peers.has(peer) && !living.has(peer)
    // A dead owner will never answer: its requests end now rather than at FORWARD_TIMEOUT_MS.
    for (const waiting of [...this.waiting.values()]) if (gone(waiting.owner)) waiting.giveUp()
    for (const [conn, relayed] of [...this.relayed]) if (gone(relayed.owner)) this.closeRelayed(conn, CloseCode.serviceRestart, 'the server holding this workshop stopped; reconnecting')
    // Told, in case the peer is alive after all (say, back on the bus before its first beat).
    for (const [conn, hosted] of [...this.hosted]) if (gone(hosted.from)) this.endHosted(conn)
  }
}

/** The body, or null past `limit` bytes (read no further: the owner would refuse it anyway). */
async function readLimited(request: Request, limit: number): Promise<Buffer | null> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return null
  if (!request.body) return Buffer.alloc(0)
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > limit) return null
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** 503; with Retry-After (the default) only when the request was certainly not carried out. */
function unavailable(c: Context, safeToRetry = true): Response {
  if (safeToRetry) c.header('Retry-After', '1')
  return c.json(errorBody({ code: ErrorCode.unavailable, message: 'This workshop is moving between servers. Please try again in a moment.' }), 503)
}
