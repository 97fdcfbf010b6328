import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { ErrorCode } from '../../shared/errors.ts'
import { CreateWorkshopBody, InviteCodesBody, JoinBody } from '../../shared/intents.ts'
import { requireActor } from './auth.ts'
import type { Config } from '../config.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { RateLimiter } from './RateLimiter.ts'
import { bearerToken, parseBody, requestOrigin, send, sendError } from './request.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'

/** Create a workshop, look up a join code, join. */
export function workshopRoutes(config: Config, workshops: WorkshopService, programmes: ProgrammeService): Hono {
  const app = new Hono()
  // Join codes are short, so guessing is throttled. By address: there is no token yet.
  const codeLookups = new RateLimiter(config.limits.codeLookupsPerMinute, 60_000)
  // Lockout: past this many wrong codes an address gets 429 for the rest of the window, which
  // bounds a guesser to a few hundred tries a day. Right codes never count.
  const codeFailures = new RateLimiter(config.limits.codeFailuresPerLockout, config.limits.codeLockoutMs)

  app.post('/workshops', async (c) => {
    // VALIDATION
    const body = await parseBody(c, CreateWorkshopBody)
    if (!body.ok) return sendError(c, body.error)
    // AUTH: a workshop joins a programme only with that programme's key.
    const { programmeId, carryForward } = body.value
    if (programmeId !== undefined) {
      const lead = programmes.authenticate(programmeId, bearerToken(c))
      if (!lead.ok) return sendError(c, lead.error)
    }
    // RESOLUTION
    const carried = programmeId !== undefined && carryForward ? programmes.currentTexts(programmeId) : {}
    const created = workshops.create(body.value, config.publicUrl ?? requestOrigin(c), carried, (workshopId) => {
      if (programmeId !== undefined) programmes.attach(programmeId, workshopId)
    })
    return c.json(programmeId !== undefined ? { ...created, programmeId } : created, 201)
  })

  app.get('/join-codes/:code', (c) => {
    const address = safeAddress(c)
    if (codeFailures.blocked(address))
      return sendError(c, { code: ErrorCode.rateLimited, message: 'Too many wrong codes from this network. Use the join link from the facilitator, or try again later.' })
    if (!codeLookups.take(address))
      return sendError(c, { code: ErrorCode.rateLimited, message: 'Too many tries. Wait a minute, then try the code again.' })
    const found = workshops.lookupJoinCode(c.req.param('code'))
    if (!found.ok) codeFailures.take(address)
    return send(c, found)
  })

  app.get('/workshops/:workshopId/facilitator', (c) => {
    // AUTH
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    // RESOLUTION
    return send(c, workshops.facilitatorView(actor.value.workshopId))
  })

  app.post('/workshops/:workshopId/invite-codes', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, InviteCodesBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, workshops.createInviteCodes(actor.value.workshopId, body.value.count), 201)
  })

  app.post('/workshops/:workshopId/join', async (c) => {
    const body = await parseBody(c, JoinBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, workshops.join(c.req.param('workshopId'), body.value), 201)
  })

  return app
}

function safeAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    // app.request() in tests has no socket; all such calls share one bucket.
    return 'unknown'
  }
}
