import { Hono } from 'hono'
import type { DocName } from '../../shared/docs.ts'
import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import type { SocketHandlers, SocketServer } from './SocketServer.ts'
import { wsSocket } from './wsSocket.ts'
import type { Admission, WsGateway } from './WsGateway.ts'

export interface WsDeps {
  config: Config
  log: Logger
  rooms: RoomRegistry
  workshops: WorkshopService
  gateway: WsGateway
  sockets: SocketServer
  /** With several instances: the admission at the workshop's owner, and a relay to it. */
  relay?: SocketRelay
}

/** How a socket for a workshop held by another instance is admitted and carried there. */
export interface SocketRelay {
  /** null: the workshop is here (or unknown); handle it locally. Otherwise the owner's answer. */
  admitRemote(c: Parameters<WsGateway['admit']>[0], workshopId: string, docName: string): Promise<null | Response | { owner: string; admission: Admission }>
  events(owner: string, workshopId: string, docName: DocName, admission: Admission): SocketHandlers
}

/**
 * `GET /ws/:workshopId/:docName?token=…` — everything is checked before the upgrade (404, 401,
 * 403, 429, 503), so a refused client never gets a socket and no room is loaded for it.
 */
export function wsRoutes({ gateway, sockets, relay }: WsDeps) {
  const app = new Hono()
  app.get('/:workshopId/:docName', async (c) => {
    const { workshopId, docName } = c.req.param()
    const remote = relay ? await relay.admitRemote(c, workshopId, docName) : null
    if (remote instanceof Response) return remote
    // The workshop's owner is another instance: carry the frames there.
    if (remote) return sockets.accept(c, relay!.events(remote.owner, workshopId, docName as DocName, remote.admission))
    const admission = gateway.admit(c, workshopId, docName)
    if (admission instanceof Response) return admission
    // Served here. Only these few values outlive the request, until the socket opens.
    return sockets.accept(c, { open: (ws, raw) => gateway.open(workshopId, docName as DocName, admission, wsSocket(ws, raw)) })
  })
  return app
}
