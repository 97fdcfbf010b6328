
/**
 * Retention: a workshop (or programme) is deleted a set number of days after its last activity. Days are
 * YYYY-MM-DD in UTC, the finest time resolution Parity keeps about anything people do.
 */
export const RETENTION_MIN_DAYS = 1
export const RETENTION_MAX_DAYS = 3650
/** From this many days before the deletion day, the facilitator page and projector say so plainly. */
export const RETENTION_WARNING_DAYS = 7

export interface RetentionInfo {
  retentionDays: number
  /** The day the workshop and everything in it will be deleted (YYYY-MM-DD, UTC). */
  deleteAfter: string
  /** A workshop in a programme: kept as long as its programme, so both numbers are the programme's. */
  inProgramme?: true
}

/** What a workshop or programme row holds for retention. */
export interface RetentionClock {
  /** null: the configured default applies. */
  retentionDays: number | null
  lastActiveDay: string | null
  createdDay: string
}

const DAY_MS = 86_400_000

export const dayOf = (date: Date): string => date.toISOString().slice(0, 10)

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS))
}

/** Whole days from `today` until `deleteAfter` (0 on the day itself, negative once past). */
export function daysUntil(deleteAfter: string, today: string): number {
  return Math.round((Date.parse(`${deleteAfter}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS)
}

/**
 * The one rule. Deleted `retentionDays` after the last use (or creation). A workshop in a
 * programme is kept as long as its programme and deleted with it, on the programme's day: the
 * programme's days after the last use of the programme or any of its workshops. Its own days
 * would be false either way: a shorter one would take its vision, commitments and history out
 * of a programme still kept, and a longer one is cut short when the programme is deleted.
 */
export function retentionInfo(own: RetentionClock, defaultDays: number, programme?: RetentionClock): RetentionInfo {
  const clock = programme ?? own
  const retentionDays = clock.retentionDays ?? defaultDays
  const deleteAfter = addDays(clock.lastActiveDay ?? clock.createdDay, retentionDays)
  return programme ? { retentionDays, deleteAfter, inProgramme: true } : { retentionDays, deleteAfter }
}

export const deletionIsNear = (deleteAfter: string, today: string): boolean => daysUntil(deleteAfter, today) <= RETENTION_WARNING_DAYS

/**
 * "5 March 2027": how the deletion day reads in the UI. Written by hand (`days.ts`), not with
 * `toLocaleDateString`: the browser's first date formatter loads its locale data, ~30 ms of
 * main thread (over 100 ms on a slow phone) just as a joining phone draws the workshop.
 */
export { formatDay } from './days.ts'

