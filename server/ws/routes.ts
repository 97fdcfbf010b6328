import type { UpgradeWebSocket } from 'hono/ws'
import { Hono, type Context } from 'hono'
import type { IncomingMessage } from 'node:http'
import type { WebSocket } from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import { isDocName } from '../../shared/docs.ts'
import { ErrorCode, type AppError } from '../../shared/errors.ts'
import type { Config } from '../config.ts'
import { describeError, type Logger } from '../logger.ts'
import type { Connection } from '../rooms/Connection.ts'
import type { Room } from '../rooms/Room.ts'
import type { SharedDoc } from '../rooms/SharedDoc.ts'
import { RoomLoadError, type RoomRegistry } from '../rooms/RoomRegistry.ts'
import { actorKey } from '../services/actors.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { RateLimiter } from '../http/RateLimiter.ts'
import { sendError } from '../http/request.ts'
import { honoSocket } from './honoSocket.ts'

export interface WsDeps {
  config: Config
  log: Logger
  rooms: RoomRegistry
  workshops: WorkshopService
  upgradeWebSocket: UpgradeWebSocket<WebSocket>
}

/**
 * `GET /ws/:workshopId/:docName?token=…` — everything is checked before the upgrade (404, 401,
 * 403, 429, 503), so a refused client never gets a socket and no room is loaded for it.
 */
export function wsRoutes({ config, log, rooms, workshops, upgradeWebSocket }: WsDeps) {
  const app = new Hono<{ Variables: { actorKey: string } }>()
  const socketsPerActor = new Map<string, number>()
  // Probing (random workshop ids, guessed tokens) costs a lookup each; past this the answer is
  // 429 and says nothing more. Only refusals count: a valid token is never slowed by neighbours.
  const refusals = new RateLimiter(config.limits.refusedUpgradesPerMinute, 60_000)

  app.get(
    '/:workshopId/:docName',
    (c, next) => {
      const { workshopId, docName } = c.req.param()
      const refuse = (error: AppError) =>
        refusals.take(remoteAddress(c))
          ? sendError(c, error)
          : sendError(c, { code: ErrorCode.rateLimited, message: 'Too many refused connections from this network. Wait a minute, then try again.' })
      if (!isDocName(docName)) return refuse({ code: ErrorCode.notFound, message: 'Unknown document.' })
      if (!originAllowed(c, config)) return refuse({ code: ErrorCode.forbidden, message: 'This page is not allowed to connect.' })
      const token = c.req.query('token') ?? null
      const actor = workshops.authenticate(workshopId, token)
      if (!actor.ok) return refuse(actor.error)
      const actorName = actorKey(actor.value)
      const key = `${workshopId}/${actorName}`
      if ((socketsPerActor.get(key) ?? 0) >= config.limits.socketsPerToken)
        return sendError(c, { code: ErrorCode.rateLimited, message: 'Too many open connections for this key.' })
      try {
        rooms.withRoom(workshopId, () => undefined)
      } catch (error) {
        if (!(error instanceof RoomLoadError)) throw error
        return c.json({ error: { code: ErrorCode.internal, message: error.message } }, 503)
      }
      c.set('actorKey', key)
      return next()
    },
    upgradeWebSocket((c) => {
      const { workshopId, docName } = c.req.param() as { workshopId: string; docName: 'board' | 'state' }
      const key = c.get('actorKey')
      const actor = key.slice(workshopId.length + 1)
      let session: { connection: Connection; shared: SharedDoc; room: Room } | null = null
      return {
        onOpen(_event, ws) {
          socketsPerActor.set(key, (socketsPerActor.get(key) ?? 0) + 1)
          let room: Room
          try {
            room = rooms.acquire(workshopId)
          } catch (error) {
            log.error('ws.open_failed', { workshopId, ...describeError(error) })
            ws.close(CloseCode.internal, 'workshop could not be opened')
            return
          }
          const shared = room.doc(docName)
          const connection = shared.connect(honoSocket(ws), actor)
          ws.raw!.on('pong', () => connection.markAlive())
          session = { connection, shared, room }
        },
        onMessage(event, ws) {
          if (!session) return
          if (typeof event.data === 'string') {
            session.connection.close(CloseCode.badFrame, 'text frames are not accepted')
            session.shared.disconnect(session.connection)
            return
          }
          if (event.data instanceof ArrayBuffer) session.shared.receive(session.connection, new Uint8Array(event.data))
          else ws.close(CloseCode.badFrame, 'unexpected frame')
        },
        onClose() {
          const count = (socketsPerActor.get(key) ?? 1) - 1
          if (count <= 0) socketsPerActor.delete(key)
          else socketsPerActor.set(key, count)
          if (!session) return
          session.shared.disconnect(session.connection)
          rooms.release(session.room)
          session = null
        },
      }
    }),
  )
  return app
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

/** The client's address; only for counting refusals (never logged, never stored). */
function remoteAddress(c: Context): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'unknown'
}
