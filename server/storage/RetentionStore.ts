import type { Db } from './database.ts'

export interface RetentionRow {
  workshopId: string
  createdDay: string
  lastActiveDay: string | null
  /** null: the configured default applies. */
  retentionDays: number | null
}

/** The retention columns of `workshops`: chosen days and the day of last activity. */
export class RetentionStore {
  private readonly selectOne
  private readonly selectAll
  private readonly updateDays
  private readonly touchDay

  constructor(db: Db) {
    const columns = 'workshop_id AS workshopId, created_day AS createdDay, last_active_day AS lastActiveDay, retention_days AS retentionDays'
    this.selectOne = db.prepare(`SELECT ${columns} FROM workshops WHERE workshop_id = ?`)
    this.selectAll = db.prepare(`SELECT ${columns} FROM workshops`)
    this.updateDays = db.prepare('UPDATE workshops SET retention_days = ? WHERE workshop_id = ?')
    this.touchDay = db.prepare('UPDATE workshops SET last_active_day = ? WHERE workshop_id = ? AND (last_active_day IS NULL OR last_active_day < ?)')
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
}
