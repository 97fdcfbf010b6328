import type { Db, Statement } from './database.ts'
import type { WorkshopEraser } from './WorkshopEraser.ts'

/**
 * Every table with a `programme_id` column, and how its rows go when the programme is deleted
 * (a test fails when a table with that column is missing here). A programme's own data is its
 * row; everything else it shows (commitments, check-outs, shares, involvement records) belongs to
 * its workshops, which are deleted whole with it.
 */
export const PROGRAMME_TABLES = {
  programmes: 'its row, at once',
  workshops: 'each workshop in the programme is deleted whole (WorkshopEraser)',
  commitments: 'with their workshop (they carry its workshop_id)',
} as const

/**
 * Deletes a programme: its row and the gate of each of its workshops in one transaction (from
 * then on every programme and workshop route answers 404); the workshops' other rows are then
 * swept by WorkshopEraser, and an interrupted sweep is finished by the purge (orphans).
 */
export class ProgrammeEraser {
  private readonly workshopsOf: Statement
  private readonly removeProgramme: Statement

  constructor(
    private readonly db: Db,
    private readonly workshops: WorkshopEraser,
  ) {
    this.workshopsOf = db.prepare('SELECT workshop_id AS workshopId FROM workshops WHERE programme_id = ?')
    this.removeProgramme = db.prepare('DELETE FROM programmes WHERE programme_id = ?')
  }

  /** The ids of the workshops it gated, or null if there was no such programme. */
  gate(programmeId: string): string[] | null {
    return this.db.transaction(() => {
      const workshopIds = (this.workshopsOf.all(programmeId) as { workshopId: string }[]).map((row) => row.workshopId)
      if (this.removeProgramme.run(programmeId).changes === 0) return null
      for (const workshopId of workshopIds) this.workshops.gate(workshopId)
      return workshopIds
    })()
  }
}
