import { Hono } from 'hono'
import { InvolvementBody, InvolvementSettingsBody } from '../../shared/coproductionBodies.ts'
import type { InvolvementService } from '../services/InvolvementService.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor, today } from './auth.ts'
import { bearerToken, parseBody, send, sendError } from './request.ts'
import { ErrorCode } from '../../shared/errors.ts'

/** Involvement records: take one (participant), check one (anyone with the code), redeem once (programme key). */
export function involvementRoutes(workshops: WorkshopService, programmes: ProgrammeService, involvement: InvolvementService): Hono {
  const app = new Hono()

  app.post('/workshops/:workshopId/involvement', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, InvolvementBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, involvement.issue(actor.value, bearerToken(c)!, body.value, today()), 201)
  })

  // The facilitator sees counts only; participants see how long a record can be for.
  app.get('/workshops/:workshopId/involvement', (c) => {
    const actor = workshops.authenticate(c.req.param('workshopId'), bearerToken(c))
    if (!actor.ok) return sendError(c, actor.error)
    const minutes = involvement.sessionMinutes(actor.value.workshopId)
    if (actor.value.kind === 'participant') return c.json({ minutes })
    return c.json({ minutes, ...involvement.counts(actor.value.workshopId) })
  })

  app.put('/workshops/:workshopId/involvement/settings', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, InvolvementSettingsBody)
    if (!body.ok) return sendError(c, body.error)
    return c.json(involvement.setSessionMinutes(actor.value.workshopId, body.value.minutes))
  })

  app.get('/involvement/:code', (c) => {
    return c.json(involvement.check(c.req.param('code')))
  })

  app.post('/involvement/:code/redeem', (c) => {
    const programmeId = programmes.programmeOfKey(bearerToken(c))
    if (!programmeId) return sendError(c, { code: ErrorCode.unauthorized, message: 'Marking a record as paid needs a programme key.' })
    return send(c, involvement.redeem(c.req.param('code'), programmeId, (workshopId) => programmes.programmeOf(workshopId), today()))
  })

  return app
}
