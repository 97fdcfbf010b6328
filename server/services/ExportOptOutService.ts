import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { OptOutAnswer } from '../../shared/ideas.ts'
import { MIN_BATCH_SIZE } from '../domain/ideas.ts'
import { addDays, dayOf } from '../../shared/retention.ts'
import { hashesEqual, hashToken } from '../domain/tokens.ts'
import type { ExportOptOutStore } from '../storage/ExportOptOutStore.ts'
import type { IdeaStore } from '../storage/IdeaStore.ts'
import type { Actor } from './actors.ts'

type Participant = Extract<Actor, { kind: 'participant' }>

/** What an export shows instead of the text of an idea its author asked to leave out. */
export const LEFT_OUT_OF_EXPORTS = '(Left out of exports at the author’s request.)'

/**
 * After the vote opens an idea stays (taking it back would change others' votes), but its author
 * may ask for its text to be left out of exports and the "What we agreed" page. Only the device
 * holding the idea's author key can ask; the answer is the same for "no such idea" and "not yours".
 *
 * A request left out at once pointed at its author: anyone who downloaded an export before and
 * after (or read the outcome page) saw which idea changed the moment someone tapped. So requests
 * wait, like edits to shown ideas, until they come from MIN_BATCH_SIZE different people, and are
 * applied together. Applied alone the next day, as before, a lone request still named its author
 * to anyone who saw them tap and compared the exports of both days (December insider review): so
 * that happens only if the author chooses it, told what it gives away. Nothing anyone else can do
 * (moving phases, exporting) brings it forward.
 */
export class ExportOptOutService {
  /**
   * workshop → idea → who asked. Memory only: requests from before a restart count as nobody (one
   * of those people asking again would otherwise count twice); they still wait, and apply with the
   * next three people's, or on the day their authors chose.
   */
  private readonly askedBy = new Map<string, Map<string, string>>()
  private readonly today: () => string

  constructor(private readonly deps: { ideas: IdeaStore; optOuts: ExportOptOutStore; today?: () => string }) {
    this.today = deps.today ?? (() => dayOf(new Date()))
  }

  optOut(actor: Participant, ideaId: string, authorKey: string | null, fromTomorrow = false): Result<OptOutAnswer> {
    const { workshopId } = actor
    const row = this.deps.ideas.get(workshopId, ideaId)
    if (!row || !authorKey || !hashesEqual(hashToken(authorKey), row.authorKeyHash))
      return fail(ErrorCode.forbidden, 'We could not match this idea to this device. Only the person who wrote an idea can ask this.')
    if (row.status !== 'published' && row.status !== 'merged') return fail(ErrorCode.conflict, 'This idea is not in any export, so there is nothing to leave out.')
    const today = this.today()
    const tomorrow = fromTomorrow ? addDays(today, 1) : null
    const before = this.deps.optOuts.state(workshopId, ideaId, today)
    if (before.state === 'waiting' && tomorrow && before.aloneFrom === null) this.deps.optOuts.leaveOutFrom(workshopId, ideaId, tomorrow)
    if (before.state === 'shown') {
      this.deps.optOuts.optOut(workshopId, ideaId, tomorrow)
      const asked = this.askedBy.get(workshopId) ?? new Map<string, string>()
      asked.set(ideaId, actor.participantId)
      this.askedBy.set(workshopId, asked)
      if (this.people(workshopId, today) >= MIN_BATCH_SIZE) {
        this.deps.optOuts.applyWaiting(workshopId)
        this.askedBy.delete(workshopId)
      }
    }
    const after = this.deps.optOuts.state(workshopId, ideaId, today)
    return ok({ hiddenFromExports: true, waiting: after.state === 'waiting', aloneFrom: after.aloneFrom })
  }

  /** The workshop was deleted, or another instance holds it now: who asked is not kept here. */
  forgetWorkshop(workshopId: string): void {
    this.askedBy.delete(workshopId)
  }

  /** The ideas an export leaves out today. */
  leftOut(workshopId: string): Set<string> {
    return this.deps.optOuts.leftOut(workshopId, this.today())
  }

  private people(workshopId: string, today: string): number {
    const asked = this.askedBy.get(workshopId) ?? new Map<string, string>()
    const waiting = this.deps.optOuts.waitingIdeaIds(workshopId, today)
    return new Set(waiting.flatMap((ideaId) => (asked.has(ideaId) ? [asked.get(ideaId)!] : []))).size
  }
}
