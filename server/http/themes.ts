import { Hono } from 'hono'
import { PutWithBody, RenameThemeBody } from '../../shared/intents.ts'
import type { ThemeService } from '../services/ThemeService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { bearerToken } from './request.ts'
import { parseBody, send, sendError } from './request.ts'

/** Themes: anyone in the workshop (participant or facilitator) puts ideas together before the vote. */
export function themeRoutes(workshops: WorkshopService, themes: ThemeService): Hono {
  const app = new Hono()
  // AUTH for every route: either key of this workshop; identity from the token only.
  const actorOf = (c: Parameters<typeof bearerToken>[0]) => workshops.authenticate(c.req.param('workshopId') ?? '', bearerToken(c))

  app.post('/workshops/:workshopId/sections/:sectionId/themes', async (c) => {
    const actor = actorOf(c)
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, PutWithBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, themes.putWith(actor.value, c.req.param('sectionId'), body.value))
  })

  app.patch('/workshops/:workshopId/themes/:themeId', async (c) => {
    const actor = actorOf(c)
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, RenameThemeBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, themes.rename(actor.value, c.req.param('themeId'), body.value.name))
  })

  app.delete('/workshops/:workshopId/themes/:themeId/ideas/:ideaId', (c) => {
    const actor = actorOf(c)
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, themes.takeOut(actor.value, c.req.param('themeId'), c.req.param('ideaId')))
  })

  return app
}
