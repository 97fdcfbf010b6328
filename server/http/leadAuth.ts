import type { Context } from 'hono'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { bearerToken } from './request.ts'

/** Who may keep a workshop's commitments: its facilitator, or the lead of its programme. */
export type Lead = { kind: 'facilitator' | 'programme'; workshopId: string }

/** 404 unknown workshop, 401 no or unknown key, 403 a participant's key. */
export function requireLead(c: Context, workshopId: string, workshops: WorkshopService, programmes: ProgrammeService): Result<Lead> {
  const token = bearerToken(c)
  const actor = workshops.authenticate(workshopId, token)
  if (actor.ok && actor.value.kind === 'facilitator') return ok({ kind: 'facilitator', workshopId })
  if (!actor.ok && actor.error.code === ErrorCode.notFound) return actor
  const programmeId = programmes.programmeOf(workshopId)
  if (programmeId && programmes.authenticate(programmeId, token).ok) return ok({ kind: 'programme', workshopId })
  if (actor.ok) return fail(ErrorCode.forbidden, 'Only the facilitator or the programme lead can do this.')
  return fail(ErrorCode.unauthorized, 'This needs the facilitator key or the programme key.')
}
