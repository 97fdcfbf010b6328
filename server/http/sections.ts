import { Hono } from 'hono'
import { AddSectionBody, PhaseBody, ReorderSectionsBody, UpdateSectionBody } from '../../shared/intents.ts'
import type { SectionService } from '../services/SectionService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor, today } from './auth.ts'
import { parseBody, send, sendError } from './request.ts'

/** Sections and phases; all facilitator-only. */
export function sectionRoutes(workshops: WorkshopService, sections: SectionService): Hono {
  const app = new Hono()

  app.post('/workshops/:workshopId/sections/:sectionId/phase', async (c) => {
    // AUTH
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    // VALIDATION
    const body = await parseBody(c, PhaseBody)
    if (!body.ok) return sendError(c, body.error)
    // RESOLUTION
    const { phase, publishAnyway, subject, leaveWaiting } = body.value
    return send(c, sections.setPhase(actor.value, c.req.param('sectionId'), phase, { publishAnyway, subject, leaveWaiting }, today()))
  })

  app.post('/workshops/:workshopId/sections', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, AddSectionBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, sections.add(actor.value, body.value), 201)
  })

  app.put('/workshops/:workshopId/sections/order', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, ReorderSectionsBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, sections.reorder(actor.value, body.value.sectionIds))
  })

  app.patch('/workshops/:workshopId/sections/:sectionId', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, UpdateSectionBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, sections.update(actor.value, c.req.param('sectionId'), body.value))
  })

  app.delete('/workshops/:workshopId/sections/:sectionId', (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, sections.remove(actor.value, c.req.param('sectionId')))
  })

  return app
}
