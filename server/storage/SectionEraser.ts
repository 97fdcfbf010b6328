import type { Db, Statement } from './database.ts'
import { SECTION_HISTORY_TABLES, SECTION_TABLES } from './workshopTables.ts'

/**
 * Removes a section's rows. Removing took only its ideas: its vote rounds, tallies, ballots and
 * consent answers stayed on disk, and a section added again under the same title (so the same id)
 * met the old round's keys when its vote opened, and the write failed.
 */
export class SectionEraser {
  private readonly deletes: Statement[]
  private readonly used: Statement

  constructor(db: Db) {
    this.deletes = SECTION_TABLES.map(({ table, scope }) => db.prepare(`DELETE FROM ${table} WHERE ${scope}`))
    this.used = db.prepare(SECTION_HISTORY_TABLES.map((table) => `SELECT section_id AS id FROM ${table} WHERE workshop_id = ? AND section_id IS NOT NULL`).join(' UNION '))
  }

  /** Call inside the room's commit. */
  erase(workshopId: string, sectionId: string): void {
    for (const statement of this.deletes) statement.run(workshopId, sectionId)
  }

  /** Ids of removed sections still named in the workshop's history: never given out again. */
  usedIds(workshopId: string): Set<string> {
    return new Set((this.used.all(...SECTION_HISTORY_TABLES.map(() => workshopId)) as { id: string }[]).map((row) => row.id))
  }
}
