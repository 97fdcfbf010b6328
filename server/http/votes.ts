import { Hono } from 'hono'
import { BallotBody, ProposeBody, PublishBody, RespondBody, VoteSettingsBody } from '../../shared/intents.ts'
import type { ConsentService } from '../services/ConsentService.ts'
import type { VoteService } from '../services/VoteService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor, today } from './auth.ts'
import { bearerToken, parseBody, send, sendError } from './request.ts'

/** Voting (settings, ballots, close, results) and consent rounds. */
export function voteRoutes(workshops: WorkshopService, votes: VoteService, consent: ConsentService): Hono {
  const app = new Hono()
  const section = '/workshops/:workshopId/sections/:sectionId'

  app.put(`${section}/vote-settings`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, VoteSettingsBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, votes.configure(actor.value, c.req.param('sectionId'), body.value))
  })

  app.put(`${section}/ballot`, async (c) => {
    // AUTH: identity from the token only; any participant id in the body is ignored.
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    // VALIDATION
    const body = await parseBody(c, BallotBody)
    if (!body.ok) return sendError(c, body.error)
    // RESOLUTION: budget and cap are checked in the transaction that writes the ballot.
    return send(c, votes.ballot(actor.value, c.req.param('sectionId'), body.value.dots))
  })

  app.get(`${section}/ballot`, (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, votes.myBallot(actor.value, c.req.param('sectionId')))
  })

  app.post(`${section}/close-vote`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, PublishBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, votes.close(actor.value, c.req.param('sectionId'), body.value.publishAnyway ?? false, today()))
  })

  app.get(`${section}/results`, (c) => {
    const actor = workshops.authenticate(c.req.param('workshopId'), bearerToken(c))
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, votes.resultsFor(actor.value.workshopId, c.req.param('sectionId')))
  })

  app.post(`${section}/proposals`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, ProposeBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, consent.propose(actor.value, c.req.param('sectionId'), body.value), 201)
  })

  app.put('/workshops/:workshopId/proposals/:proposalId/response', async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, RespondBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, consent.respond(actor.value, c.req.param('proposalId'), body.value))
  })

  app.get('/workshops/:workshopId/proposals/:proposalId/response', (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, consent.myResponse(actor.value, c.req.param('proposalId')))
  })

  app.post('/workshops/:workshopId/proposals/:proposalId/close', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, PublishBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, consent.close(actor.value, c.req.param('proposalId'), body.value.publishAnyway ?? false, today()))
  })

  return app
}
