import { randomBytes } from 'node:crypto'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { InvolvementCheck, InvolvementRecord } from '../../shared/coproduction.ts'
import type { InvolvementBody } from '../../shared/coproductionBodies.ts'
import { newSigningKeyDer, participantMarker, signingKeysFromDer, signInvolvement, verifyInvolvement, type SigningKeys } from '../domain/involvement.ts'
import type { InvolvementStore } from '../storage/InvolvementStore.ts'
import type { WorkshopStore } from '../storage/WorkshopStore.ts'
import type { Actor } from './actors.ts'

type Participant = Extract<Actor, { kind: 'participant' }>

const WORKSHOP_DELETED = 'This record is real, but its workshop has been deleted, so it can no longer be marked as paid here.'

/**
 * Recognition of involvement: a signed record of taking part (workshop, day, minutes — nothing
 * said or voted), checked and redeemed once by whoever pays involvement fees. The facilitator
 * sees counts only.
 */
export class InvolvementService {
  private keys: SigningKeys | null = null

  constructor(private readonly deps: { store: InvolvementStore; workshops: WorkshopStore }) {}

  /** One per participant per workshop (409 after), for the session's minutes or fewer. */
  issue(actor: Participant, token: string, body: InvolvementBody, day: string): Result<InvolvementRecord> {
    const { store, workshops } = this.deps
    const workshop = workshops.get(actor.workshopId)
    if (!workshop) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    const session = store.sessionMinutes(actor.workshopId)
    if (body.minutes !== undefined && body.minutes > session)
      return fail(ErrorCode.unprocessable, `This workshop's record can be for at most ${session} minutes.`)
    // Only the marker is written; the record itself is the signed code (see InvolvementStore).
    if (!store.mark(actor.workshopId, participantMarker('involvement', actor.workshopId, token)))
      return fail(ErrorCode.conflict, 'You have already taken a record for this workshop. Use the code you were given.')
    const recordId = randomBytes(9).toString('base64url')
    const minutes = body.minutes ?? session
    const code = signInvolvement({ recordId, workshopId: actor.workshopId, day, minutes }, this.signing())
    return ok({ code, workshopTitle: workshop.title, date: day, minutes })
  }

  check(code: string): InvolvementCheck {
    const found = this.find(code)
    if (!found) return { valid: false }
    if (found.deleted) return { valid: true, workshopDeleted: true, date: found.day, minutes: found.minutes }
    return { valid: true, workshopTitle: found.workshopTitle, date: found.day, minutes: found.minutes, redeemed: found.redeemedDay !== null }
  }

  /** Marks a record paid. `programmeId` is the caller's programme; a workshop in another programme is refused. */
  redeem(code: string, programmeId: string, programmeOfWorkshop: (workshopId: string) => string | null, day: string): Result<InvolvementCheck> {
    const found = this.find(code)
    if (!found) return fail(ErrorCode.notFound, 'This code is not a valid involvement record. Check it was copied in full.')
    if (found.deleted) return fail(ErrorCode.notFound, WORKSHOP_DELETED)
    const owner = programmeOfWorkshop(found.workshopId)
    if (owner !== null && owner !== programmeId) return fail(ErrorCode.forbidden, 'This record is from a workshop in a different programme.')
    // Codes are checked by signature alone (no row until paid): never more paid than were taken,
    // so codes signed with a key read from a stolen backup cannot be paid beyond that.
    const { issued, redeemed } = this.deps.store.counts(found.workshopId)
    if (found.redeemedDay === null && redeemed >= issued)
      return fail(ErrorCode.conflict, 'Every record taken for this workshop has been paid already. Ask the workshop’s facilitator.')
    if (!this.deps.store.redeem(found.recordId, found.workshopId, day))
      return fail(ErrorCode.conflict, `This record was already marked as paid on ${found.redeemedDay ?? 'an earlier day'}. It can only be claimed once.`)
    return ok({ valid: true, workshopTitle: found.workshopTitle, date: found.day, minutes: found.minutes, redeemed: true })
  }

  counts(workshopId: string): { issued: number; redeemed: number } {
    return this.deps.store.counts(workshopId)
  }

  setSessionMinutes(workshopId: string, minutes: number): { minutes: number } {
    this.deps.store.setSessionMinutes(workshopId, minutes)
    return { minutes }
  }

  sessionMinutes(workshopId: string): number {
    return this.deps.store.sessionMinutes(workshopId)
  }

  private find(code: string) {
    if (code.length > 300) return null
    const claim = verifyInvolvement(code, this.signing())
    if (!claim) return null
    // Deleting the workshop deletes its title and which records were paid; the signature still
    // holds, so the code is real. Nothing is kept to say so: the code itself names its workshop.
    const workshop = this.deps.workshops.get(claim.workshopId)
    if (!workshop) return { ...claim, deleted: true as const }
    return { ...claim, deleted: false as const, redeemedDay: this.deps.store.redeemedDay(claim.recordId, claim.workshopId), workshopTitle: workshop.title }
  }

  private signing(): SigningKeys {
    return (this.keys ??= signingKeysFromDer(this.deps.store.signingKey(newSigningKeyDer)))
  }
}
