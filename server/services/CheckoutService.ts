import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import {
  checkoutsShown,
  groupOf,
  WAITING_CHECKOUTS,
  MIN_GROUP,
  summariseCheckouts,
  type CheckoutSummary,
  type PerspectiveGroup,
} from '../../shared/coproduction.ts'
import type { CheckoutBody } from '../../shared/coproductionBodies.ts'
import { participantMarker } from '../domain/involvement.ts'
import { newId } from '../domain/tokens.ts'
import type { CheckoutStore } from '../storage/CheckoutStore.ts'
import type { Actor } from './actors.ts'

type Participant = Extract<Actor, { kind: 'participant' }>

export type CheckoutResults = CheckoutSummary & { reflections: string[] }

interface Waiting {
  answers: CheckoutBody
  reflection: string | null
}

/**
 * The anonymous ladder check-out at the end of a workshop. One per participant: a second is 409.
 *
 * At rest, a group's answers are only ever written as a batch of at least `minGroup` people of
 * that group: until then they wait here, in memory. So no copy of the files holds a breakdown for
 * a group of one or two (the only carer), no write adds one person's answers to a group, and no
 * "everyone" total exists to subtract from. The price: answers still waiting when the process
 * ends are lost; results then say how many (`notKept`) and show no overall figure.
 */
export class CheckoutService {
  /** workshop → group → answers not yet written. Memory only. */
  private readonly waiting = new Map<string, Map<PerspectiveGroup, Waiting[]>>()
  private readonly batchSize: number

  constructor(
    private readonly deps: {
      checkouts: CheckoutStore
      minResultGroup: number
      /** The day the workshop was run and the last day anyone checked out; null when it is gone. */
      workshopDays: (workshopId: string) => { held: string | null; lastCheckout: string | null } | null
      /** Notes that someone checked out today (the day only). */
      checkedOut: (workshopId: string) => void
      today: () => string
    },
  ) {
    this.batchSize = Math.max(MIN_GROUP, deps.minResultGroup)
  }

  /**
   * The marker goes first, in its own transaction: nothing keyed by a participant is written
   * with, or after, what they answered. If the answers then fail to save, the person cannot try
   * again; that is the price of never writing the two together.
   */
  checkout(actor: Participant, token: string, body: CheckoutBody): Result<{ checkedOut: true }> {
    const { checkouts } = this.deps
    if (!checkouts.mark(actor.workshopId, participantMarker('checkout', actor.workshopId, token)))
      return fail(ErrorCode.conflict, 'You have already checked out of this workshop. Thank you — your answers are saved.')
    this.deps.checkedOut(actor.workshopId)
    const group = groupOf(actor.perspective)
    const groups = this.waiting.get(actor.workshopId) ?? new Map<PerspectiveGroup, Waiting[]>()
    this.waiting.set(actor.workshopId, groups)
    const batch = [...(groups.get(group) ?? []), { answers: body, reflection: body.changed || null }]
    if (batch.length < this.batchSize) {
      groups.set(group, batch)
      return ok({ checkedOut: true as const })
    }
    groups.delete(group)
    if (groups.size === 0) this.waiting.delete(actor.workshopId)
    checkouts.recordBatch(
      actor.workshopId,
      group,
      batch.map((w) => w.answers),
      batch.flatMap((w) => (w.reflection ? [{ id: newId(), text: w.reflection }] : [])),
    )
    return ok({ checkedOut: true as const })
  }

  /**
   * Only what was written, in whole batches: answers still waiting count as not shown. Live
   * results that added waiting answers changed by exactly one person's answers (and showed their
   * reflection, and a new "fewer than 3" group) the moment they checked out.
   */
  results(workshopId: string): CheckoutResults {
    // Only once the workshop's day, and the last day anyone checked out, are over (see CheckoutSummary.waits).
    const days = this.deps.workshopDays(workshopId)
    if (days === null || !checkoutsShown(days.held, days.lastCheckout, this.deps.today())) return { ...WAITING_CHECKOUTS, reflections: [] }
    const { checkouts } = this.deps
    const tallies = checkouts.tallies(workshopId)
    const total = checkouts.markerCount(workshopId)
    const kept = tallies.filter((t) => t.question === 'rung').reduce((sum, t) => sum + t.n, 0)
    const summary = summariseCheckouts(tallies, Math.max(0, total - kept))
    // Alphabetical: neither the order of writing nor of arriving.
    const reflections = checkouts.reflections(workshopId).sort((a, b) => a.localeCompare(b))
    return { ...summary, reflections }
  }

  /** The workshop was deleted: its waiting answers go too. */
  forget(workshopId: string): void {
    this.waiting.delete(workshopId)
  }
}

