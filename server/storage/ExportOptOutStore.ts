import type { Db } from './database.ts'

/**
 * Ideas whose authors asked, after the vote opened, for their text to be left out of exports.
 * `hide_from_exports`: 0 no; 1 left out; 2 asked and waiting (see ExportOptOutService) until
 * applied with others' requests, or from the day in `hide_from_exports_from` if its author chose
 * that (NULL: only with others').
 */
export class ExportOptOutStore {
  private readonly request
  private readonly setDay
  private readonly apply
  private readonly select
  private readonly selectWaiting
  private readonly stateOf

  constructor(db: Db) {
    this.request = db.prepare(
      'UPDATE ideas SET hide_from_exports = 2, hide_from_exports_from = ? WHERE workshop_id = ? AND idea_id = ? AND hide_from_exports = 0',
    )
    this.setDay = db.prepare('UPDATE ideas SET hide_from_exports_from = ? WHERE workshop_id = ? AND idea_id = ? AND hide_from_exports = 2')
    this.apply = db.prepare('UPDATE ideas SET hide_from_exports = 1 WHERE workshop_id = ? AND hide_from_exports = 2')
    this.select = db.prepare(
      'SELECT idea_id AS ideaId FROM ideas WHERE workshop_id = ? AND (hide_from_exports = 1 OR (hide_from_exports = 2 AND hide_from_exports_from <= ?))',
    )
    this.selectWaiting = db.prepare(
      'SELECT idea_id AS ideaId FROM ideas WHERE workshop_id = ? AND hide_from_exports = 2 AND (hide_from_exports_from IS NULL OR hide_from_exports_from > ?)',
    )
    this.stateOf = db.prepare('SELECT hide_from_exports AS state, hide_from_exports_from AS fromDay FROM ideas WHERE workshop_id = ? AND idea_id = ?')
  }

  /** Records the author's request: it waits until `applyWaiting`, or until `fromDay` if one is given. */
  optOut(workshopId: string, ideaId: string, fromDay: string | null): void {
    this.request.run(fromDay, workshopId, ideaId)
  }

  /** A waiting request's author chose to have it left out from `fromDay` even if nobody else asks. */
  leaveOutFrom(workshopId: string, ideaId: string, fromDay: string): void {
    this.setDay.run(fromDay, workshopId, ideaId)
  }

  /** Leaves every waiting idea of the workshop out from now on. */
  applyWaiting(workshopId: string): void {
    this.apply.run(workshopId)
  }

  /** Ideas left out of exports on `today`. */
  leftOut(workshopId: string, today: string): Set<string> {
    return new Set((this.select.all(workshopId, today) as { ideaId: string }[]).map((row) => row.ideaId))
  }

  /** Ideas whose authors asked and which are not yet left out on `today`. */
  waitingIdeaIds(workshopId: string, today: string): string[] {
    return (this.selectWaiting.all(workshopId, today) as { ideaId: string }[]).map((row) => row.ideaId)
  }

  state(workshopId: string, ideaId: string, today: string): { state: 'shown' | 'waiting' | 'left-out'; aloneFrom: string | null } {
    const row = this.stateOf.get(workshopId, ideaId) as { state: number; fromDay: string | null } | undefined
    if (row?.state === 1 || (row?.state === 2 && row.fromDay !== null && row.fromDay <= today)) return { state: 'left-out', aloneFrom: null }
    return row?.state === 2 ? { state: 'waiting', aloneFrom: row.fromDay } : { state: 'shown', aloneFrom: null }
  }
}
