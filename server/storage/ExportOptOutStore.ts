import type { Db } from './database.ts'

/** Ideas whose authors asked, after the vote opened, for their text to be left out of exports. */
export class ExportOptOutStore {
  private readonly mark
  private readonly select

  constructor(db: Db) {
    this.mark = db.prepare('UPDATE ideas SET hide_from_exports = 1 WHERE workshop_id = ? AND idea_id = ?')
    this.select = db.prepare('SELECT idea_id AS ideaId FROM ideas WHERE workshop_id = ? AND hide_from_exports = 1')
  }

  optOut(workshopId: string, ideaId: string): void {
    this.mark.run(workshopId, ideaId)
  }

  ideaIds(workshopId: string): Set<string> {
    return new Set((this.select.all(workshopId) as { ideaId: string }[]).map((row) => row.ideaId))
  }
}
