import type { Db } from './database.ts'

/**
 * Ideas whose authors asked, after the vote opened, for their text to be left out of exports.
 * `hide_from_exports`: 0 no, 2 asked and waiting (see ExportOptOutService), 1 left out.
 */
export class ExportOptOutStore {
  private readonly request
  private readonly apply
  private readonly select
  private readonly selectWaiting
  private readonly stateOf

  constructor(db: Db) {
    this.request = db.prepare('UPDATE ideas SET hide_from_exports = 2 WHERE workshop_id = ? AND idea_id = ? AND hide_from_exports = 0')
    this.apply = db.prepare('UPDATE ideas SET hide_from_exports = 1 WHERE workshop_id = ? AND hide_from_exports = 2')
    this.select = db.prepare('SELECT idea_id AS ideaId FROM ideas WHERE workshop_id = ? AND hide_from_exports = 1')
    this.selectWaiting = db.prepare('SELECT idea_id AS ideaId FROM ideas WHERE workshop_id = ? AND hide_from_exports = 2')
    this.stateOf = db.prepare('SELECT hide_from_exports AS state FROM ideas WHERE workshop_id = ? AND idea_id = ?')
  }

  /** Records the author's request; it waits until `applyWaiting`. */
  optOut(workshopId: string, ideaId: string): void {
    this.request.run(workshopId, ideaId)
  }

  /** Leaves every waiting idea of the workshop out from now on. */
  applyWaiting(workshopId: string): void {
    this.apply.run(workshopId)
  }

  /** Ideas left out of exports; `withWaiting`, the waiting ones too (as once the workshop is finished). */
  leftOut(workshopId: string, withWaiting = false): Set<string> {
    const ids = new Set((this.select.all(workshopId) as { ideaId: string }[]).map((row) => row.ideaId))
    if (withWaiting) for (const ideaId of this.waitingIdeaIds(workshopId)) ids.add(ideaId)
    return ids
  }

  /** Ideas whose authors asked and which are not yet left out. */
  waitingIdeaIds(workshopId: string): string[] {
    return (this.selectWaiting.all(workshopId) as { ideaId: string }[]).map((row) => row.ideaId)
  }

  state(workshopId: string, ideaId: string): 'shown' | 'waiting' | 'left-out' {
    const row = this.stateOf.get(workshopId, ideaId) as { state: number } | undefined
    return row?.state === 1 ? 'left-out' : row?.state === 2 ? 'waiting' : 'shown'
  }
}
