import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { groupOf, MIN_GROUP, summariseCheckouts, type CheckoutBody, type CheckoutSummary } from '../../shared/coproduction.ts'
import { participantMarker } from '../domain/involvement.ts'
import { newId } from '../domain/tokens.ts'
import type { CheckoutStore } from '../storage/CheckoutStore.ts'
import type { WorkshopStore } from '../storage/WorkshopStore.ts'
import type { Actor } from './actors.ts'

type Participant = Extract<Actor, { kind: 'participant' }>

export type CheckoutResults = CheckoutSummary & { reflections: string[] }

/** The anonymous ladder check-out at the end of a workshop. One per participant: a second is 409. */
export class CheckoutService {
  constructor(private readonly deps: { checkouts: CheckoutStore; workshops: WorkshopStore }) {}

  /**
   * The marker goes first, in its own transaction: nothing keyed by a participant is written
   * with, or after, what they answered. If the answers then fail to save, the person cannot try
   * again; that is the price of never writing the two together.
   */
  checkout(actor: Participant, token: string, body: CheckoutBody): Result<{ checkedOut: true }> {
    const { checkouts, workshops } = this.deps
    if (!checkouts.mark(actor.workshopId, participantMarker('checkout', actor.workshopId, token)))
      return fail(ErrorCode.conflict, 'You have already checked out of this workshop. Thank you — your answers are saved.')
    const group = groupOf(workshops.perspectivesOf([actor.participantId]).get(actor.participantId) ?? null)
    const reflection = body.changed ? { id: newId(), text: body.changed } : null
    checkouts.record(actor.workshopId, group, body, reflection)
    return ok({ checkedOut: true as const })
  }

  results(workshopId: string): CheckoutResults {
    const tallies = this.deps.checkouts.tallies(workshopId)
    const summary = summariseCheckouts(tallies)
    const total = tallies.filter((t) => t.question === 'rung').reduce((sum, t) => sum + t.n, 0)
    // With fewer than 3 check-outs, a reflection could be matched to the one or two who left.
    return { ...summary, reflections: total >= MIN_GROUP ? this.deps.checkouts.reflections(workshopId) : [] }
  }
}
