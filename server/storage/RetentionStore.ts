import type { Db } from './database.ts'

export interface RetentionRow {
  workshopId: string
  createdDay: string
  lastActiveDay: string | null
  /** null: the configured default applies. */
  retentionDays: number | null
  /** Its programme, if any: a workshop is kept while its programme is. */
  programmeId: string | null
}

export interface ProgrammeRetentionRow {
  programmeId: string
  createdDay: string
  /** The latest of the programme's own activity and any of its workshops' (or their creation). */
  lastActiveDay: string | null
  retentionDays: number | null
}

/**
 * The retention columns of `workshops` and `programmes`: chosen days and the day of last
 * activity. A programme counts from the latest activity of any of its workshops too, since
 * deleting it deletes them: a programme in use is never purged from under a live workshop.
 */
export class RetentionStore {
  private readonly selectOne
  private readonly selectAll
  private readonly updateDays
  private readonly touchDay
  private readonly programmeOne
  private readonly programmeAll
  private readonly programmeDays
  private readonly programmeTouch

  constructor(db: Db) {
    const columns = 'workshop_id AS workshopId, created_day AS createdDay, last_active_day AS lastActiveDay, retention_days AS retentionDays, programme_id AS programmeId'
    this.selectOne = db.prepare(`SELECT ${columns} FROM workshops WHERE workshop_id = ?`)
    this.selectAll = db.prepare(`SELECT ${columns} FROM workshops`)
    this.updateDays = db.prepare('UPDATE workshops SET retention_days = ? WHERE workshop_id = ?')
    this.touchDay = db.prepare('UPDATE workshops SET last_active_day = ? WHERE workshop_id = ? AND (last_active_day IS NULL OR last_active_day < ?)')
    // The later of two days (plain SQL: SQLite's two-argument MAX is not PostgreSQL's GREATEST).
    const own = 'COALESCE(p.last_active_day, p.created_day)'
    const workshops = "COALESCE((SELECT MAX(COALESCE(w.last_active_day, w.created_day)) FROM workshops w WHERE w.programme_id = p.programme_id), '')"
    const programmeColumns = `p.programme_id AS programmeId, p.created_day AS createdDay, p.retention_days AS retentionDays,
      CASE WHEN ${workshops} > ${own} THEN ${workshops} ELSE ${own} END AS lastActiveDay`
    this.programmeOne = db.prepare(`SELECT ${programmeColumns} FROM programmes p WHERE p.programme_id = ?`)
    this.programmeAll = db.prepare(`SELECT ${programmeColumns} FROM programmes p`)
    this.programmeDays = db.prepare('UPDATE programmes SET retention_days = ? WHERE programme_id = ?')
    this.programmeTouch = db.prepare('UPDATE programmes SET last_active_day = ? WHERE programme_id = ? AND (last_active_day IS NULL OR last_active_day < ?)')
  }

  get(workshopId: string): RetentionRow | undefined {
    return this.selectOne.get(workshopId) as RetentionRow | undefined
  }

  all(): RetentionRow[] {
    return this.selectAll.all() as RetentionRow[]
  }

  setDays(workshopId: string, days: number): boolean {
    return this.updateDays.run(days, workshopId).changes === 1
  }

  /** Records activity on `day`; writes only when the day moves on. */
  touch(workshopId: string, day: string): void {
    this.touchDay.run(day, workshopId, day)
  }

  programme(programmeId: string): ProgrammeRetentionRow | undefined {
    return this.programmeOne.get(programmeId) as ProgrammeRetentionRow | undefined
  }

  programmes(): ProgrammeRetentionRow[] {
    return this.programmeAll.all() as ProgrammeRetentionRow[]
  }

  setProgrammeDays(programmeId: string, days: number): boolean {
    return this.programmeDays.run(days, programmeId).changes === 1
  }

  touchProgramme(programmeId: string, day: string): void {
    this.programmeTouch.run(day, programmeId, day)
  }
}
