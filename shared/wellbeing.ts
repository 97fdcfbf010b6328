import { HIDDEN_CHARS } from './text.ts'
import { ErrorCode, fail, ok, type Result } from './errors.ts'
import type { Phase } from './phases.ts'

export const SUPPORT_CONTACTS_MAX = 8
export const SUPPORT_CONTACT_MAX_CHARS = 200
export const WORKSHOP_CONTENT_NOTE_MAX_CHARS = 600
export const IDEA_CONTENT_NOTE_MAX_CHARS = 80
export const TIMER_MAX_MINUTES = 120
/** The one moment between start and time up that screens announce. */
export const TIMER_WARNING_MS = 2 * 60_000

/**
 * A soft timer for one section's current phase. Advisory only: reaching zero changes a line of
 * text, never what anyone can do. Times are the server's clock (ms since 1970).
 */
export interface SoftTimer {
  /** New for every start, so screens know which moments they have already announced. */
  timerId: string
  sectionId: string
  phase: Phase
  /** Length set by the facilitator, extensions included. */
  durationMs: number
  /** When it ends, while it runs; null while the room is paused. */
  endsAt: number | null
  /** Time left when the room was paused; null while it runs. */
  remainingMs: number | null
}

/** The wellbeing part of the `state` doc. Counts only: who asked for a pause is never written. */
export interface WellbeingState {
  /** The facilitator paused the room: everyone sees a calm break screen, the timer stops. */
  paused: boolean
  /** People who asked for a pause. */
  pauseRequests: number
  /** People who asked for more time. */
  moreTimeRequests: number
  timer: SoftTimer | null
  /** The section the facilitator is showing; people who chose to follow are taken there. */
  spotlightSectionId: string | null
  /** Lines the facilitator wrote, e.g. "Sam (peer support worker), in the room all day". */
  supportContacts: string[]
  /** Shown to everyone when they join, e.g. "We will talk about crisis care". */
  contentNote: string
}

export const INITIAL_WELLBEING: WellbeingState = {
  paused: false,
  pauseRequests: 0,
  moreTimeRequests: 0,
  timer: null,
  spotlightSectionId: null,
  supportContacts: [],
  contentNote: '',
}

/** Help anyone in the UK can use at any time, shown under the facilitator's own contacts. */
export const ANYTIME_SUPPORT: readonly string[] = [
  'If you or someone else is in danger now, call 999.',
  'Samaritans: call 116 123, free, day or night.',
  'Shout: text SHOUT to 85258, free, day or night.',
  'NHS 111: call 111 for urgent help with your mental health.',
]

export function timeLeftMs(timer: SoftTimer, serverNow: number): number {
  if (timer.endsAt === null) return Math.max(0, timer.remainingMs ?? 0)
  return Math.max(0, timer.endsAt - serverNow)
}

export type TimerMoment = 'running' | 'two-minutes' | 'time-up'

/** Which announced moment a timer is in. */
export function timerMoment(leftMs: number): TimerMoment {
  if (leftMs <= 0) return 'time-up'
  if (leftMs <= TIMER_WARNING_MS) return 'two-minutes'
  return 'running'
}

/** "About 5 minutes left", in whole minutes: seconds ticking down add pressure, not help. */
export function describeTimeLeft(leftMs: number): string {
  if (leftMs <= 0) return 'Time is up. There is no rush: finish what you are doing.'
  const minutes = Math.round(leftMs / 60_000)
  if (minutes === 0) return 'Less than a minute left.'
  if (minutes === 1) return 'About 1 minute left.'
  return `About ${minutes} minutes left.`
}

/** A content note on an idea ("mentions self-harm"): short, plain, or empty for none. */
export function normaliseIdeaContentNote(raw: string | null | undefined): Result<string | null> {
  const note = (raw ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()
  if (note.length === 0) return ok(null)
  if (HIDDEN_CHARS.test(note)) return fail(ErrorCode.unprocessable, 'The content note has hidden control characters in it. Please type it again.')
  if ([...note].length > IDEA_CONTENT_NOTE_MAX_CHARS)
    return fail(ErrorCode.unprocessable, `Keep the content note short — ${IDEA_CONTENT_NOTE_MAX_CHARS} characters at most, for example “mentions self-harm”.`)
  return ok(note)
}

export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** What the facilitator sees: a count, never who. */
export function describePauseRequests(count: number): string {
  if (count === 0) return 'Nobody has asked for a pause.'
  return `${plural(count, 'person', 'people')} would like a pause.`
}

export function describeMoreTimeRequests(count: number): string {
  if (count === 0) return 'Nobody has asked for more time.'
  return `${plural(count, 'person', 'people')} would like more time.`
}
