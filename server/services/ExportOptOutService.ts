import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
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
 */
export class ExportOptOutService {
  constructor(private readonly deps: { ideas: IdeaStore; optOuts: ExportOptOutStore }) {}

  optOut(actor: Participant, ideaId: string, authorKey: string | null): Result<{ hiddenFromExports: true }> {
    const row = this.deps.ideas.get(actor.workshopId, ideaId)
    if (!row || !authorKey || !hashesEqual(hashToken(authorKey), row.authorKeyHash))
      return fail(ErrorCode.forbidden, 'We could not match this idea to this device. Only the person who wrote an idea can ask this.')
    if (row.status !== 'published' && row.status !== 'merged') return fail(ErrorCode.conflict, 'This idea is not in any export, so there is nothing to leave out.')
    this.deps.optOuts.optOut(actor.workshopId, ideaId)
    return ok({ hiddenFromExports: true })
  }
}
