import type { Db } from './database.ts'

/** Read-only share links for a workshop's outcome. Revoking deletes the row, so the link is gone. */
export class ShareStore {
  private readonly s

  constructor(db: Db) {
    this.s = {
      insert: db.prepare('INSERT INTO shares (share_id, workshop_id, created_day) VALUES (?, ?, ?)'),
      get: db.prepare('SELECT workshop_id AS workshopId FROM shares WHERE share_id = ?'),
      remove: db.prepare('DELETE FROM shares WHERE share_id = ? AND workshop_id = ?'),
      removeAll: db.prepare('DELETE FROM shares WHERE workshop_id = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM shares WHERE workshop_id = ?'),
    }
  }

  count(workshopId: string): number {
    return Number((this.s.count.get(workshopId) as { n: number | string }).n)
  }

  /** Turns off every link to the workshop; returns how many there were. */
  revokeAll(workshopId: string): number {
    return this.s.removeAll.run(workshopId).changes
  }

  create(shareId: string, workshopId: string, day: string): void {
    this.s.insert.run(shareId, workshopId, day)
  }

  workshopOf(shareId: string): string | null {
    return (this.s.get.get(shareId) as { workshopId: string } | undefined)?.workshopId ?? null
  }

  /** False when there was no such link for this workshop. */
  revoke(shareId: string, workshopId: string): boolean {
    return this.s.remove.run(shareId, workshopId).changes === 1
  }
}
