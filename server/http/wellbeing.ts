import type { Context } from 'hono'
import { Hono } from 'hono'
import {
  ClearSignalsBody,
  ExtendTimerBody,
  IdeaContentNoteBody,
  PauseRoomBody,
  SignalBody,
  SpotlightBody,
  StartTimerBody,
  WellbeingSettingsBody,
} from '../../shared/intents.ts'
import type { Result } from '../../shared/errors.ts'
import type { Actor } from '../services/actors.ts'
import type { WellbeingService } from '../services/WellbeingService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor } from './auth.ts'
import { bearerToken, parseBody, send, sendError } from './request.ts'

/** Anyone who has joined, or the facilitator. */
const anyActor = (c: Context, workshops: WorkshopService): Result<Actor> => workshops.authenticate(c.req.param('workshopId') ?? '', bearerToken(c))

/** Wellbeing: welcome, support, pause, signals, timer, spotlight, ground rules, content notes. */
export function wellbeingRoutes(workshops: WorkshopService, wellbeing: WellbeingService): Hono {
  const app = new Hono()
  const base = '/workshops/:workshopId/wellbeing'

  // No token: the join page shows the content note and support contacts before anyone joins.
  app.get('/workshops/:workshopId/welcome', (c) => send(c, wellbeing.welcome(c.req.param('workshopId'))))

  app.put(`${base}/settings`, async (c) => {
    // AUTH
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    // VALIDATION
    const body = await parseBody(c, WellbeingSettingsBody)
    if (!body.ok) return sendError(c, body.error)
    // RESOLUTION
    return send(c, wellbeing.saveSettings(actor.value, body.value))
  })

  app.post(`${base}/pause`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, PauseRoomBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, wellbeing.pauseRoom(actor.value, body.value.paused))
  })

  app.post(`${base}/signal`, async (c) => {
    const actor = requireActor(c, workshops, 'participant')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, SignalBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, wellbeing.signal(actor.value, body.value.signal, body.value.on))
  })

  // The caller's own signals (so a reload shows the right button) and the server's clock.
  app.get(`${base}/mine`, (c) => {
    const actor = anyActor(c, workshops)
    if (!actor.ok) return sendError(c, actor.error)
    if (actor.value.kind === 'facilitator') return c.json({ pauseRequested: false, moreTimeRequested: false, serverNow: Date.now() })
    return c.json(wellbeing.mySignals(actor.value))
  })

  app.post(`${base}/clear`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, ClearSignalsBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, wellbeing.clearSignals(actor.value, body.value.signal))
  })

  app.post(`${base}/timer`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, StartTimerBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, wellbeing.startTimer(actor.value, body.value.sectionId, body.value.minutes), 201)
  })

  app.post(`${base}/timer/extend`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, ExtendTimerBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, wellbeing.extendTimer(actor.value, body.value.minutes))
  })

  app.delete(`${base}/timer`, (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, wellbeing.stopTimer(actor.value))
  })

  app.put(`${base}/spotlight`, async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, SpotlightBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, wellbeing.spotlight(actor.value, body.value.sectionId))
  })

  app.get('/workshops/:workshopId/ground-rules', (c) => {
    const actor = anyActor(c, workshops)
    if (!actor.ok) return sendError(c, actor.error)
    return c.json(wellbeing.groundRules(actor.value))
  })

  // The author (x-author-key) or the facilitator marks an idea with a content note (W9).
  app.put('/workshops/:workshopId/ideas/:ideaId/content-note', async (c) => {
    const actor = anyActor(c, workshops)
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, IdeaContentNoteBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, wellbeing.setIdeaContentNote(actor.value, c.req.param('ideaId'), c.req.header('x-author-key') ?? null, body.value.note))
  })

  return app
}
