import type { UpgradeWebSocket, WSEvents } from 'hono/ws'
import { Hono } from 'hono'
import type { WebSocket } from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { DocName } from '../../shared/docs.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { honoSocket } from './honoSocket.ts'
import type { Admission, WsGateway, WsSession } from './WsGateway.ts'

export interface WsDeps {
  config: Config
  log: Logger
  rooms: RoomRegistry
  workshops: WorkshopService
  gateway: WsGateway
  upgradeWebSocket: UpgradeWebSocket<WebSocket>
  /** With several instances: the admission at the workshop's owner, and a relay to it. */
  relay?: SocketRelay
}

/** How a socket for a workshop held by another instance is admitted and carried there. */
export interface SocketRelay {
  /** null: the workshop is here (or unknown); handle it locally. Otherwise the owner's answer. */
  admitRemote(c: Parameters<WsGateway['admit']>[0], workshopId: string, docName: string): Promise<null | Response | { owner: string; admission: Admission }>
  events(owner: string, workshopId: string, docName: DocName, admission: Admission): WSEvents<WebSocket>
}

type Vars = { admission: Admission; owner: string | null }

/**
 * `GET /ws/:workshopId/:docName?token=…` — everything is checked before the upgrade (404, 401,
 * 403, 429, 503), so a refused client never gets a socket and no room is loaded for it.
 */
export function wsRoutes({ gateway, upgradeWebSocket, relay }: WsDeps) {
  const app = new Hono<{ Variables: Vars }>()
  app.get(
    '/:workshopId/:docName',
    async (c, next) => {
      const { workshopId, docName } = c.req.param()
      const remote = relay ? await relay.admitRemote(c, workshopId, docName) : null
      if (remote instanceof Response) return remote
      if (remote) {
        c.set('admission', remote.admission)
        c.set('owner', remote.owner)
        return next()
      }
      const admitted = gateway.admit(c, workshopId, docName)
      if (admitted instanceof Response) return admitted
      c.set('admission', admitted)
      c.set('owner', null)
      return next()
    },
    upgradeWebSocket((c) => {
      const { workshopId, docName } = c.req.param() as { workshopId: string; docName: DocName }
      const owner = c.get('owner')
      if (owner && relay) return relay.events(owner, workshopId, docName, c.get('admission'))
      let session: WsSession | null = null
      return {
        onOpen(_event, ws) {
          session = gateway.open(workshopId, docName, c.get('admission'), honoSocket(ws))
          ws.raw!.on('pong', () => session?.markAlive())
        },
        onMessage(event, ws) {
          if (!session) return
          if (event.data instanceof ArrayBuffer) session.receive(new Uint8Array(event.data))
          else ws.close(CloseCode.badFrame, typeof event.data === 'string' ? 'text frames are not accepted' : 'unexpected frame')
        },
        onClose() {
          session?.end()
          session = null
        },
      }
    }),
  )
  return app
}
