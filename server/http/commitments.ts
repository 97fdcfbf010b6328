import { Hono } from 'hono'
import { CommitmentBody, CommitmentUpdateBody } from '../../shared/coproductionBodies.ts'
import { ErrorCode } from '../../shared/errors.ts'
import type { CommitmentService } from '../services/CommitmentService.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { today } from './auth.ts'
import { requireLead } from './leadAuth.ts'
import { bearerToken, parseBody, send, sendError } from './request.ts'

/** "You said, we did": commitments and their updates (facilitator or programme key). */
export function commitmentRoutes(workshops: WorkshopService, programmes: ProgrammeService, commitments: CommitmentService): Hono {
  const app = new Hono()

  app.post('/workshops/:workshopId/commitments', async (c) => {
    const lead = requireLead(c, c.req.param('workshopId'), workshops, programmes)
    if (!lead.ok) return sendError(c, lead.error)
    const body = await parseBody(c, CommitmentBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, commitments.create(lead.value.workshopId, body.value, today()), 201)
  })

  // Everyone in the workshop reads the same list: a participant's device finds the ones that carry
  // its own ideas (commitmentsCarrying), so no answer is about one person's ideas.
  app.get('/workshops/:workshopId/commitments', (c) => {
    const workshopId = c.req.param('workshopId')
    if (!workshops.authenticate(workshopId, bearerToken(c)).ok) {
      const lead = requireLead(c, workshopId, workshops, programmes)
      if (!lead.ok) return sendError(c, lead.error)
    }
    return c.json({ commitments: commitments.list(workshopId) })
  })

  // The next workshop of a programme opens with what the earlier ones promised (api.md). The
  // same list for everyone in it; only the facilitator and the lead also get the programme.
  app.get('/workshops/:workshopId/earlier-commitments', (c) => {
    const workshopId = c.req.param('workshopId')
    const actor = workshops.authenticate(workshopId, bearerToken(c))
    if (actor.ok && actor.value.kind === 'participant') return c.json(commitments.earlier(workshopId, false))
    const lead = requireLead(c, workshopId, workshops, programmes)
    // Another workshop's token is 403, as everywhere (requireLead alone would say 401).
    if (!lead.ok) return sendError(c, !actor.ok && actor.error.code === ErrorCode.forbidden ? actor.error : lead.error)
    return c.json(commitments.earlier(workshopId, true))
  })

  app.get('/workshops/:workshopId/commitment-options', (c) => {
    const lead = requireLead(c, c.req.param('workshopId'), workshops, programmes)
    if (!lead.ok) return sendError(c, lead.error)
    return c.json(commitments.options(lead.value.workshopId))
  })

  app.delete('/commitments/:commitmentId', (c) => {
    const workshopId = commitments.workshopOf(c.req.param('commitmentId'))
    if (!workshopId) return sendError(c, { code: ErrorCode.notFound, message: 'There is no such commitment.' })
    const lead = requireLead(c, workshopId, workshops, programmes)
    if (!lead.ok) return sendError(c, lead.error)
    return send(c, commitments.remove(c.req.param('commitmentId')))
  })

  app.post('/commitments/:commitmentId/updates', async (c) => {
    const workshopId = commitments.workshopOf(c.req.param('commitmentId'))
    if (!workshopId) return sendError(c, { code: ErrorCode.notFound, message: 'There is no such commitment.' })
    const lead = requireLead(c, workshopId, workshops, programmes)
    if (!lead.ok) return sendError(c, lead.error)
    const body = await parseBody(c, CommitmentUpdateBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, commitments.update(c.req.param('commitmentId'), body.value, today()), 201)
  })

  return app
}
