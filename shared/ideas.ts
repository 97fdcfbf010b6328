import { HIDDEN_CHARS } from './text.ts'
import { ErrorCode, fail, ok, type Result } from './errors.ts'

export const IDEA_MAX_CHARS = 500
export const MODERATION_REASON_MAX_CHARS = 200

/**
 * An idea as everyone sees it. There is no author field, and no time: nothing here can say who
 * wrote it or when. `position` is a shuffled rank given at publication, never submission order.
 */
export interface PublicIdea {
  ideaId: string
  sectionId: string
  /** Suggestions are amendments offered while a section is being agreed. */
  kind: 'idea' | 'suggestion'
  /** Empty for hidden ideas: their text stays on the server. */
  text: string
  status: 'published' | 'hidden' | 'merged'
  position: number
  hiddenReason: string | null
  mergedInto: string | null
  mergedFrom: string[]
  /** A short warning ("mentions self-harm"): screens keep the text folded until the reader opens it. */
  contentNote?: string | null
}

/** Status of one of my own ideas, as only its author sees it. */
export interface OwnIdea {
  ideaId: string
  sectionId: string
  kind: 'idea' | 'suggestion'
  text: string
  status: 'pending' | 'published' | 'hidden' | 'merged' | 'withdrawn'
  contentNote?: string | null
  /** The idea it was combined into, if merged: commitments that carry that one carry this too. */
  mergedInto?: string | null
}

/**
 * Once a section has had a vote, ideas already shown keep their words and stay: dots, results and
 * exports point at them. Their authors can still ask for them to be left out of exports.
 */
export const wordsFixed = (section: { vote: { round: number } }, status: OwnIdea['status']): boolean => status === 'published' && section.vote.round > 0

/** The answer to an author's request to leave an idea's words out of exports. */
export interface OptOutAnswer {
  hiddenFromExports: true
  /** Asked, and waiting to be left out together with others' requests (3 people). */
  waiting: boolean
  /**
   * While waiting: the day it is left out even if nobody else asks, if its author chose that
   * (knowing that someone who saw them ask could then tell the idea is theirs); otherwise null.
   */
  aloneFrom: string | null
}

/** One line of the public moderation log: what happened and why, never to whose idea. */
export interface ModerationLine {
  sectionId: string
  /** `published-early`: the facilitator published with fewer people than keeps answers secret. */
  action: 'hidden' | 'merged' | 'published-early'
  reason: string
}

/**
 * The one place idea text is checked. Text is stored and shown as plain text, so HTML is
 * harmless and kept as typed.
 */
export function normaliseIdeaText(raw: string): Result<string> {
  const text = raw.normalize('NFC').replace(/\r\n?/g, '\n').trim()
  if (text.length === 0) return fail(ErrorCode.unprocessable, 'Your idea is empty — type a few words.')
  if (HIDDEN_CHARS.test(text)) return fail(ErrorCode.unprocessable, 'Your idea has hidden control characters in it. Please type it again.')
  if ([...text].length > IDEA_MAX_CHARS)
    return fail(ErrorCode.unprocessable, `Your idea is ${[...text].length} characters long. Please keep it to ${IDEA_MAX_CHARS}.`)
  return ok(text)
}

/**
 * What everyone is told about waiting ideas. An exact count that moved with each Send would let
 * a watcher tie the next idea shown to whoever just tapped it, so it is coarse: 0, 1 for "a few"
 * (1–9), or a multiple of 10 for "about that many". Stored as the section's `pendingCount`.
 */
export const coarsePendingCount = (waiting: number): number => (waiting <= 0 ? 0 : waiting < 10 ? 1 : Math.floor(waiting / 10) * 10)

/** "a few ideas", "about 20 ideas": the words for a coarse pending count (never exact). */
export const pendingWords = (coarse: number): string => (coarse <= 0 ? 'no ideas' : coarse < 10 ? 'a few ideas' : `about ${coarse} ideas`)
