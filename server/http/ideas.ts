import { Hono } from 'hono'
import { AddIdeaBody, EditIdeaBody, HideIdeaBody, MergeIdeasBody, MoveIdeaBody, MyIdeasBody, PublishBody } from '../../shared/intents.ts'
import type { IdeaService } from '../services/IdeaService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor, today } from './auth.ts'
import { parseBody, send, sendError } from './request.ts'

/** Ideas: add, edit, withdraw, list my own; reveal, hide, merge (facilitator). */
export function ideaRoutes(workshops: WorkshopService, ideas: IdeaService): Hono {
  const app = new Hono()

  app.post('/workshops/:workshopId/sections/:sectionId/ideas', async (c) => {
    // AUTH
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    // VALIDATION
    const body = await parseBody(c, AddIdeaBody)
    if (!body.ok) return sendError(c, body.error)
    const idempotencyKey = c.req.header('idempotency-key')?.slice(0, 128) ?? null
    // RESOLUTION
    return send(c, ideas.add(actor.value, c.req.param('sectionId'), body.value.text, idempotencyKey, 'idea', body.value.contentNote ?? null), 201)
  })

  app.post('/workshops/:workshopId/sections/:sectionId/suggestions', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, AddIdeaBody)
    if (!body.ok) return sendError(c, body.error)
    const idempotencyKey = c.req.header('idempotency-key')?.slice(0, 128) ?? null
    return send(c, ideas.add(actor.value, c.req.param('sectionId'), body.value.text, idempotencyKey, 'suggestion', body.value.contentNote ?? null), 201)
  })

  app.post('/workshops/:workshopId/ideas/mine', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, MyIdeasBody)
    if (!body.ok) return sendError(c, body.error)
    // No commitments here: the device matches them (commitmentsCarrying), so this answer's size
    // never depends on what a facilitator wrote about one person's idea.
    return c.json({ ideas: ideas.mine(actor.value, body.value.ideas) })
  })

  app.patch('/workshops/:workshopId/ideas/:ideaId', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, EditIdeaBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, ideas.edit(actor.value, c.req.param('ideaId'), c.req.header('x-author-key') ?? null, body.value.text))
  })

  app.post('/workshops/:workshopId/ideas/:ideaId/move', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, MoveIdeaBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, ideas.move(actor.value, c.req.param('ideaId'), c.req.header('x-author-key') ?? null, body.value.sectionId))
  })

  app.delete('/workshops/:workshopId/ideas/:ideaId', (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, ideas.withdraw(actor.value, c.req.param('ideaId'), c.req.header('x-author-key') ?? null))
  })

  app.post('/workshops/:workshopId/ideas/:ideaId/restore', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, EditIdeaBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, ideas.restore(actor.value, c.req.param('ideaId'), c.req.header('x-author-key') ?? null, body.value.text))
  })

  app.post('/workshops/:workshopId/sections/:sectionId/reveal', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, PublishBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, ideas.reveal(actor.value, c.req.param('sectionId'), body.value.publishAnyway ?? false, today()))
  })

  app.post('/workshops/:workshopId/sections/:sectionId/ideas/:ideaId/hide', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, HideIdeaBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, ideas.hide(actor.value, c.req.param('sectionId'), c.req.param('ideaId'), body.value.reason, today()))
  })

  app.post('/workshops/:workshopId/sections/:sectionId/merge', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, MergeIdeasBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, ideas.merge(actor.value, c.req.param('sectionId'), body.value, today()))
  })

  return app
}
