import { Hono } from 'hono'
import { ExportHiddenBody } from '../../shared/intents.ts'
import { RetentionBody } from '../../shared/retentionBody.ts'
import type { LifecycleService } from '../services/LifecycleService.ts'
import type { ExportOptOutService } from '../services/ExportOptOutService.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor } from './auth.ts'
import { bearerToken, parseBody, send, sendError } from './request.ts'

/** Deleting a workshop or programme and how long each is kept (issue 18). */
export function lifecycleRoutes(workshops: WorkshopService, lifecycle: LifecycleService, optOuts: ExportOptOutService, programmes: ProgrammeService): Hono {
  const app = new Hono()

  app.delete('/workshops/:workshopId', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, await lifecycle.delete(actor.value.workshopId, 'facilitator'))
  })

  // Anyone in the workshop may read the deletion day: participants are told it too.
  app.get('/workshops/:workshopId/retention', (c) => {
    const actor = workshops.authenticate(c.req.param('workshopId'), bearerToken(c))
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, lifecycle.retention(actor.value.workshopId))
  })

  app.put('/workshops/:workshopId/retention', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, RetentionBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, lifecycle.setRetention(actor.value.workshopId, body.value.days))
  })

  // The author (X-Author-Key), after the vote opened: keep the idea, leave its text out of exports.
  app.put('/workshops/:workshopId/ideas/:ideaId/export-hidden', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, ExportHiddenBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, optOuts.optOut(actor.value, c.req.param('ideaId'), c.req.header('x-author-key') ?? null, body.value.fromTomorrow === true))
  })

  // Programmes: the programme key only (404 unknown, 401 any other key).
  app.delete('/programmes/:programmeId', async (c) => {
    const lead = programmes.authenticate(c.req.param('programmeId'), bearerToken(c))
    if (!lead.ok) return sendError(c, lead.error)
    return send(c, await lifecycle.deleteProgramme(lead.value.programmeId, 'programme lead'))
  })

  app.get('/programmes/:programmeId/retention', (c) => {
    const lead = programmes.authenticate(c.req.param('programmeId'), bearerToken(c))
    if (!lead.ok) return sendError(c, lead.error)
    return send(c, lifecycle.programmeRetention(lead.value.programmeId))
  })

  app.put('/programmes/:programmeId/retention', async (c) => {
    const lead = programmes.authenticate(c.req.param('programmeId'), bearerToken(c))
    if (!lead.ok) return sendError(c, lead.error)
    const body = await parseBody(c, RetentionBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, lifecycle.setProgrammeRetention(lead.value.programmeId, body.value.days))
  })

  return app
}
