import { Hono } from 'hono'
import { CheckoutBody } from '../../shared/coproductionBodies.ts'
import type { CheckoutService } from '../services/CheckoutService.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor } from './auth.ts'
import { requireLead } from './leadAuth.ts'
import { bearerToken, parseBody, send, sendError } from './request.ts'

/** The ladder check-out: answer once (participant), see the k-guarded results (facilitator or programme). */
export function checkoutRoutes(workshops: WorkshopService, programmes: ProgrammeService, checkouts: CheckoutService): Hono {
  const app = new Hono()

  app.post('/workshops/:workshopId/checkout', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, CheckoutBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, checkouts.checkout(actor.value, bearerToken(c)!, body.value), 201)
  })

  app.get('/workshops/:workshopId/checkout', (c) => {
    const lead = requireLead(c, c.req.param('workshopId'), workshops, programmes)
    if (!lead.ok) return sendError(c, lead.error)
    return c.json(checkouts.results(lead.value.workshopId))
  })

  return app
}
