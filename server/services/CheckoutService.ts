import { randomInt } from 'node:crypto'
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

interface ReadyBatch {
  group: PerspectiveGroup
  batch: Waiting[]
  /** When it is written (performance.now() time). */
  dueAt: number
}

/** After a failed write, the batches are tried again this much later. */
const RETRY_WRITE_MS = 10_000

/**
 * A full batch is written this long after it filled (a random wait in this range), never in the
 * request of the person who completed it: on PostgreSQL each row keeps the transaction that wrote
 * it (xmin), and a batch written in the same breath as that person's next identifiable write (an
 * involvement record whose code they hand over with their name) said which group they were in.
 */
const BATCH_WRITE_DELAY_MS: readonly [number, number] = [5_000, 60_000]

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
  /** workshop → full batches not yet written (see BATCH_WRITE_DELAY_MS). Memory only. */
  private readonly ready = new Map<string, ReadyBatch[]>()
  private writeTimer: NodeJS.Timeout | null = null
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
      /** How long a full batch waits to be written (default: a random wait, BATCH_WRITE_DELAY_MS). */
      batchWriteDelayMs?: () => number
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
    const delay = this.deps.batchWriteDelayMs?.() ?? randomInt(...BATCH_WRITE_DELAY_MS)
    const ready = this.ready.get(actor.workshopId) ?? []
    const dueAt = performance.now() + delay
    ready.push({ group, batch, dueAt })
    this.ready.set(actor.workshopId, ready)
    // No wait (tests that read the tables at once set none): written now, as it used to be.
    if (delay <= 0) this.writeReady(actor.workshopId, dueAt)
    else this.scheduleWrite()
    return ok({ checkedOut: true as const })
  }

  /**
   * Writes full batches waiting for their write: those due (the timer), or all of one workshop's
   * or of every workshop (results read, ownership lost, shutdown). A batch whose write fails stays
   * for the next try; one whose workshop is gone is dropped (a deletion elsewhere may not have
   * told this instance).
   */
  writeReady(workshopId?: string, dueBy = Infinity): void {
    for (const id of workshopId === undefined ? [...this.ready.keys()] : [workshopId]) {
      const batches = this.ready.get(id)
      if (!batches) continue
      const due = batches.filter((b) => b.dueAt <= dueBy)
      const left = batches.filter((b) => b.dueAt > dueBy)
      if (left.length > 0) this.ready.set(id, left)
      else this.ready.delete(id)
      const failed: ReadyBatch[] = []
      for (const ready of due) {
        try {
          if (this.deps.workshopDays(id) === null) break
          // Each batch in a transaction of its own: one that fails is tried again, alone.
          this.deps.checkouts.recordBatch(
            id,
            ready.group,
            ready.batch.map((w) => w.answers),
            ready.batch.flatMap((w) => (w.reflection ? [{ id: newId(), text: w.reflection }] : [])),
          )
        } catch {
          failed.push({ ...ready, dueAt: performance.now() + RETRY_WRITE_MS })
        }
      }
      if (failed.length > 0) this.ready.set(id, [...(this.ready.get(id) ?? []), ...failed])
    }
    this.scheduleWrite()
  }

  private scheduleWrite(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer)
    this.writeTimer = null
    let next = Infinity
    for (const batches of this.ready.values()) for (const b of batches) next = Math.min(next, b.dueAt)
    if (next === Infinity) return
    this.writeTimer = setTimeout(() => this.writeReady(undefined, performance.now()), Math.max(0, next - performance.now()))
    this.writeTimer.unref()
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
    // Shown only now, read by the facilitator or a programme lead: nothing ties this write to a participant.
    this.writeReady(workshopId)
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
    this.forgetWaiting(workshopId)
    this.ready.delete(workshopId)
  }

  /** Answers still short of a group go (held elsewhere now, as on a restart); full batches are still written when due. */
  forgetWaiting(workshopId: string): void {
    this.waiting.delete(workshopId)
  }
}

