import type { Context } from 'hono'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { Actor } from '../services/actors.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { bearerToken } from './request.ts'

type Kind = Actor['kind']

/** Authenticates the bearer token for the route's workshop and checks the actor's role. */
export function requireActor<K extends Kind>(c: Context, workshops: WorkshopService, kind: K): Result<Extract<Actor, { kind: K }>> {
  const actor = workshops.authenticate(c.req.param('workshopId') ?? '', bearerToken(c))
  if (!actor.ok) return actor
  if (actor.value.kind !== kind)
    return fail(
      ErrorCode.forbidden,
      kind === 'facilitator' ? 'Only the facilitator can do this.' : 'Join as a participant to do this — the facilitator key carries no vote or ideas.',
    )
  return ok(actor.value as Extract<Actor, { kind: K }>)
}

/** Today as YYYY-MM-DD: the finest time resolution we keep about anything people do. */
export const today = () => new Date().toISOString().slice(0, 10)
