import { randomInt } from 'node:crypto'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { PHASE_LABEL, phaseAllows, type PhaseAction } from '../../shared/phases.ts'
import { wordsFixed, type OwnIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'

/** A batch needs at least this many ideas *and* this many distinct people behind them. */
export const MIN_BATCH_SIZE = 3

/** Fisher–Yates with a CSPRNG: publication order must carry no trace of submission order. */
export function shuffle<T>(items: readonly T[], random: (max: number) => number = randomInt): T[] {
  const result = [...items]
  for (let i = result.length - 1; i > 0; i--) {
    const j = random(i + 1)
    ;[result[i], result[j]] = [result[j]!, result[i]!]
  }
  return result
}

/** Enough to publish without pointing at anyone: 3 items from 3 different people. */
export const batchLargeEnough = (items: number, people: number): boolean => items >= MIN_BATCH_SIZE && people >= MIN_BATCH_SIZE

/**
 * Whether a shown idea's stored row holds a change of its author's that everyone has not seen
 * yet: a withdrawal, an edit or a content note, all shown with the next batch.
 */
export function changeWaiting(
  row: { status: string; text: string; contentNote: string | null },
  shown: { text: string; contentNote?: string | null } | undefined,
): boolean {
  if (!shown) return false
  if (row.status === 'withdrawn') return true
  return (row.status === 'published' || row.status === 'merged') && (shown.text !== row.text || (shown.contentNote ?? null) !== row.contentNote)
}

/**
 * When waiting ideas (and changes to shown ones) in a section may be published automatically:
 * only once the section is open (revealed, or "show as they come"), only with at least 3 items
 * from at least 3 different people, at most once per interval.
 */
export function batchDue(
  section: Section,
  waiting: { items: number; people: number },
  msSinceLastBatch: number,
  intervalMs: number,
): { publish: true } | { publish: false; retryInMs: number | null } {
  const open = section.revealed || !section.hiddenUntilReveal
  // Never while people vote: the words they chose must be the words the results show. (At the
  // agree step suggestions on the draft go out in batches like ideas.)
  if (!open || section.phase === 'vote' || !batchLargeEnough(waiting.items, waiting.people)) return { publish: false, retryInMs: null }
  if (msSinceLastBatch < intervalMs) return { publish: false, retryInMs: intervalMs - msSinceLastBatch }
  return { publish: true }
}

/** 409 when an author tries to change or withdraw an idea whose words are fixed (see wordsFixed). */
export function requireWordsOpen(section: Section, row: { status: OwnIdea['status'] }): Result<void> {
  if (!wordsFixed(section, row.status)) return ok(undefined)
  return fail(
    ErrorCode.conflict,
    `People have voted on the ideas in “${section.title}”, so ideas already shown keep their words. You can ask for yours to be left out of exports.`,
  )
}

/**
 * Opening a vote: everyone must vote on the words as they are. Whatever waits (new ideas, or
 * changes to shown ones) is shown first, unless the facilitator starts without it (see
 * IdeaService.dropWordChanges for the changes).
 *
 * One answer whatever waits, and no counts (December insider review): a facilitator tapping
 * "start" after each person's tap learnt from "changes" or "new ideas" which kind it was, so a
 * batch of one new idea and two edits named the new idea's author; "1 change" named its author.
 */
export function readyToVote(section: Section, waiting: { newIdeas: number; changes: number }, leaveWaiting: boolean): Result<void> {
  if (waiting.newIdeas + waiting.changes > 0 && !leaveWaiting)
    return fail(
      ErrorCode.ideasWaiting,
      `Some ideas or changes in “${section.title}” have not been shown yet. Show them first, or start the vote without them.`,
    )
  return ok(undefined)
}

/** 409 with a plain explanation when the section's phase does not allow the action. */
export function requirePhase(section: Section, action: PhaseAction, doing: string): Result<void> {
  if (phaseAllows(section.phase, action)) return ok(undefined)
  return fail(ErrorCode.wrongPhase, `You can’t ${doing} now: “${section.title}” is at the “${PHASE_LABEL[section.phase]}” step.`)
}
