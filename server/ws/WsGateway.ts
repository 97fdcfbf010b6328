import type { Context } from 'hono'
import { CloseCode } from '../../shared/closeCodes.ts'
import { isDocName, type DocName } from '../../shared/docs.ts'
import { ErrorCode, type AppError } from '../../shared/errors.ts'
import type { Config } from '../config.ts'
import { hashToken } from '../domain/tokens.ts'
import { clientAddress } from '../http/clientIdentity.ts'
import { RateLimiter } from '../http/RateLimiter.ts'
import { sendError } from '../http/request.ts'
import { describeError, type Logger } from '../logger.ts'
import type { Connection } from '../rooms/Connection.ts'
import type { Room } from '../rooms/Room.ts'
import { RoomHeldElsewhere, RoomLoadError } from '../rooms/roomErrors.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { SharedDoc } from '../rooms/SharedDoc.ts'
import type { SocketLike } from '../rooms/SocketLike.ts'
import type { SocketSession } from './SocketServer.ts'
import { actorKey } from '../services/actors.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'

/** Who may open a socket, decided before the upgrade. */
export interface Admission {
  /** `participant:<id>` or `facilitator` (see actorKey): never sent to other clients. */
  actor: string
  /** Hash of the token, re-checked while the socket is open. */
  credential: string
}

/** An open socket's life in its room, whatever carries its frames (a real socket or the bus). */
export interface WsSession extends SocketSession {
  markAlive(): void
}

/**
 * Admission and sessions for document sockets, in one place for both ways a socket arrives:
 * directly (server/ws/routes.ts) and relayed from another instance (server/cluster/Cluster.ts).
 */
export class WsGateway {
  // Probing (random workshop ids, guessed tokens) costs a lookup each; past this the answer is
  // 429 and says nothing more. Only refusals count: a valid token is never slowed by neighbours.
  private readonly refusals: RateLimiter

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly rooms: RoomRegistry,
    private readonly workshops: WorkshopService,
  ) {
    this.refusals = new RateLimiter(config.limits.refusedUpgradesPerMinute, 60_000)
  }

  /** Everything checked before an upgrade (404, 401, 403, 429, 503): an answer, or admission. */
  admit(c: Context, workshopId: string, docName: string): Response | Admission {
    const refuse = (error: AppError) =>
      this.refusals.take(clientAddress(c, this.config.trustProxyHops))
        ? sendError(c, error)
        : sendError(c, { code: ErrorCode.rateLimited, message: 'Too many refused connections from this network. Wait a minute, then try again.' })
    if (!isDocName(docName)) return refuse({ code: ErrorCode.notFound, message: 'Unknown document.' })
    if (!originAllowed(c, this.config)) return refuse({ code: ErrorCode.forbidden, message: 'This page is not allowed to connect.' })
    const token = c.req.query('token') ?? null
    const actor = this.workshops.authenticate(workshopId, token)
    if (!actor.ok) return refuse(actor.error)
    const actorId = actorKey(actor.value)
    let open: number
    try {
      // Counted in the room itself, not in a map of our own: one entry less per socket. Admission
      // and opening run in one turn of the event loop, so a burst cannot slip past the count.
      open = this.rooms.withRoom(workshopId, (room) => room.socketsOf(actorId))
    } catch (error) {
      if (!(error instanceof RoomLoadError)) throw error
      const code = error instanceof RoomHeldElsewhere ? ErrorCode.unavailable : ErrorCode.internal
      return c.json({ error: { code, message: error.message } }, 503)
    }
    if (open >= this.config.limits.socketsPerToken) return sendError(c, { code: ErrorCode.rateLimited, message: 'Too many open connections for this key.' })
    return { actor: actorId, credential: hashToken(token ?? '') }
  }

  /** Joins the room with `socket`; null if the room could not be opened (the socket is closed). */
  open(workshopId: string, docName: DocName, admission: Admission, socket: SocketLike): WsSession | null {
    const { actor, credential } = admission
    let room: Room
    try {
      room = this.rooms.acquire(workshopId)
    } catch (error) {
      this.log.error('ws.open_failed', { workshopId, ...describeError(error) })
      socket.close(CloseCode.internal, 'workshop could not be opened')
      return null
    }
    // Counted again here: a socket relayed from another instance opens a bus message after its
    // admission, so a burst of upgrades through that instance all passed the count (200 of 200).
    if (room.socketsOf(actor) >= this.config.limits.socketsPerToken) {
      socket.close(CloseCode.rateLimited, 'too many open connections for this key')
      this.rooms.release(room)
      return null
    }
    const shared = room.doc(docName)
    const connection = shared.connect(socket, actor)
    connection.setCredential(credential)
    return new GatewaySession(this.rooms, room, shared, connection)
  }
}

/** One open socket in its room. A class, not closures: there is one per socket. */
class GatewaySession implements WsSession {
  private ended = false

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly room: Room,
    private readonly shared: SharedDoc,
    private readonly connection: Connection,
  ) {}

  receive(data: Uint8Array): void {
    if (!this.ended) this.shared.receive(this.connection, data)
  }

  markAlive(): void {
    this.connection.markAlive()
  }

  end(): void {
    if (this.ended) return
    this.ended = true
    this.shared.disconnect(this.connection)
    this.rooms.release(this.room)
  }
}

/**
 * Browsers always send Origin; other clients (tests, integrations) may not, and still need a
 * token. A browser page elsewhere — or a sandboxed `null` origin — is refused.
 */
function originAllowed(c: Context, config: Config): boolean {
  const origin = c.req.header('origin')
  if (origin === undefined) return true
  const host = c.req.header('host')
  const own = host ? [`http://${host}`, `https://${host}`] : []
  const allowed = new Set([...own, ...(config.publicUrl ? [config.publicUrl] : []), ...config.allowedOrigins])
  return allowed.has(origin)
}
