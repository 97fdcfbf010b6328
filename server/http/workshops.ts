import { Hono, type Context } from 'hono'
import { ErrorCode } from '../../shared/errors.ts'
import { CreateWorkshopBody, DoorBody, InviteCodesBody, JoinBody } from '../../shared/intents.ts'
import { requireActor } from './auth.ts'
import type { Config } from '../config.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { Backoff } from './Backoff.ts'
import type { CreationLimits } from './CreationLimits.ts'
import { clientKey, type IdentityEnv } from './clientIdentity.ts'
import { RateLimiter } from './RateLimiter.ts'
import { bearerToken, parseBody, requestOrigin, send, sendError } from './request.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'


/**
 * Create a workshop, look up a join code, join, open or close the door. Every limit here counts
 * a client (its device cookie, else its address: see clientIdentity.ts), so someone misbehaving
 * behind a shared address slows only themselves.
 */
/** Wrong codes one address may send in a lockout window, as a multiple of those after which it gets no new device cookies. */
const GUESSES_PER_ADDRESS_FACTOR = 5

export function workshopRoutes(config: Config, workshops: WorkshopService, programmes: ProgrammeService, codeFailuresByAddress: RateLimiter, creations: CreationLimits): Hono<IdentityEnv> {
  const app = new Hono<IdentityEnv>()
  const { limits } = config
  // Join codes are short, so guessing is throttled: a few free wrong codes, then each one
  // doubles the wait. Right codes never count.
  const codeLookups = new RateLimiter(limits.codeLookupsPerMinute, 60_000)
  const codeFailures = new Backoff(limits.codeFailuresPerLockout, limits.codeLockoutMs)
  const guessesByAddress = new RateLimiter(limits.codeFailuresPerAddress * GUESSES_PER_ADDRESS_FACTOR, limits.codeLockoutMs)
  const joinsPerWorkshop = new RateLimiter(limits.joinsPerWorkshopPerMinute, 60_000)
  const joinsPerClient = new RateLimiter(limits.joinsPerClientPerMinute, 60_000)
  const joinsPerAddress = new RateLimiter(limits.joinsPerAddressPerMinute, 60_000)

  app.post('/workshops', async (c) => {
    // VALIDATION
    const body = await parseBody(c, CreateWorkshopBody)
    if (!body.ok) return sendError(c, body.error)
    // AUTH: a workshop joins a programme only with that programme's key.
    const { programmeId, carryForward } = body.value
    if (programmeId !== undefined) {
      const lead = programmes.authenticate(programmeId, bearerToken(c))
      if (!lead.ok) return sendError(c, lead.error)
      if (programmes.workshopCount(programmeId) >= limits.workshopsPerProgramme)
        return sendError(c, { code: ErrorCode.limitReached, message: `A programme can hold up to ${limits.workshopsPerProgramme} workshops. Start a new programme for the next ones.` })
    }
    const refused = creations.take(c, 'workshops')
    if (refused) return tooMany(c, refused)
    // RESOLUTION
    const carried = programmeId !== undefined && carryForward ? programmes.currentTexts(programmeId) : {}
    const created = workshops.create(body.value, config.publicUrl ?? requestOrigin(c), carried, (workshopId) => {
      if (programmeId !== undefined) programmes.attach(programmeId, workshopId)
    })
    return c.json(programmeId !== undefined ? { ...created, programmeId } : created, 201)
  })

  app.get('/join-codes/:code', (c) => {
    // A hard cap per address besides the per-device slow-down: each device cookie starts with
    // free wrong codes, and cookies gathered over hours (before any wrong code stopped new ones
    // being issued) would add up to millions of guesses. Set well above what the people behind
    // one shared address get wrong, so it stops only a guesser.
    if (guessesByAddress.blocked(c.get('clientAddress')))
      return tooMany(c, 'Too many wrong codes from this network. Use the join link from the facilitator, or try the code again later.')
    const key = clientKey(c)
    const wait = codeFailures.waitMs(key)
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000)
      c.header('Retry-After', String(seconds))
      return tooMany(c, `Too many wrong codes. Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}, then try again, or use the join link from the facilitator.`)
    }
    if (!codeLookups.take(key)) return tooMany(c, 'Too many tries. Wait a minute, then try the code again.')
    const found = workshops.lookupJoinCode(c.req.param('code'))
    if (!found.ok) {
      codeFailures.fail(key)
      codeFailuresByAddress.take(c.get('clientAddress'))
      guessesByAddress.take(c.get('clientAddress'))
    }
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

  app.post('/workshops/:workshopId/door', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const body = await parseBody(c, DoorBody)
    if (!body.ok) return sendError(c, body.error)
    return send(c, workshops.setDoor(actor.value.workshopId, body.value.open))
  })

  app.post('/workshops/:workshopId/join', async (c) => {
    const body = await parseBody(c, JoinBody)
    if (!body.ok) return sendError(c, body.error)
    const deviceId = c.get('deviceId')
    // Clients without a device cookie (not a browser, or one refusing cookies) share their address's allowance.
    const perClient = deviceId ? joinsPerClient.take(clientKey(c)) : joinsPerAddress.take(clientKey(c))
    if (!perClient) return tooMany(c, 'Too many tries to join from this device. Wait a minute, then try again.')
    const workshopId = c.req.param('workshopId')
    if (!joinsPerWorkshop.take(workshopId)) return tooMany(c, 'Lots of people are joining right now. Wait a minute, then try again.')
    return send(c, workshops.join(workshopId, body.value, deviceId), 201)
  })

  return app
}

const tooMany = (c: Context, message: string) => sendError(c, { code: ErrorCode.rateLimited, message })
