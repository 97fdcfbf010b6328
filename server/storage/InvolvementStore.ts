import type { Db } from './database.ts'

const SIGNING_KEY = 'involvement-ed25519-pkcs8'

/** Involvement records: the signing key, one marker per participant who took one, and redemptions. */
export class InvolvementStore {
  private readonly s

  constructor(db: Db) {
    this.s = {
      key: db.prepare('SELECT value FROM server_secrets WHERE name = ?'),
      insertKey: db.prepare('INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)'),
      mark: db.prepare('INSERT OR IGNORE INTO involvement_markers (workshop_id, marker) VALUES (?, ?)'),
      insert: db.prepare('INSERT INTO involvement_records (record_id, workshop_id) VALUES (?, ?)'),
      get: db.prepare('SELECT redeemed_day AS redeemedDay FROM involvement_records WHERE record_id = ? AND workshop_id = ?'),
      redeem: db.prepare('UPDATE involvement_records SET redeemed_day = ? WHERE record_id = ? AND workshop_id = ? AND redeemed_day IS NULL'),
      counts: db.prepare('SELECT COUNT(*) AS issued, COUNT(redeemed_day) AS redeemed FROM involvement_records WHERE workshop_id = ?'),
      sessionMinutes: db.prepare('SELECT session_minutes AS minutes FROM workshops WHERE workshop_id = ?'),
      setSessionMinutes: db.prepare('UPDATE workshops SET session_minutes = ? WHERE workshop_id = ?'),
    }
  }

  /** The Ed25519 private key (PKCS#8 DER), made once per database by `make`. */
  signingKey(make: () => Buffer): Buffer {
    this.s.insertKey.run(SIGNING_KEY, make())
    return (this.s.key.get(SIGNING_KEY) as { value: Buffer }).value
  }

  mark(workshopId: string, marker: string): boolean {
    return this.s.mark.run(workshopId, marker).changes === 1
  }

  issue(recordId: string, workshopId: string): void {
    this.s.insert.run(recordId, workshopId)
  }

  /** undefined: no such record; otherwise whether (and when) it was redeemed. */
  get(recordId: string, workshopId: string): { redeemedDay: string | null } | undefined {
    return this.s.get.get(recordId, workshopId) as { redeemedDay: string | null } | undefined
  }

  /** False if it was already redeemed (so two racing claims cannot both win). */
  redeem(recordId: string, workshopId: string, day: string): boolean {
    return this.s.redeem.run(day, recordId, workshopId).changes === 1
  }

  counts(workshopId: string): { issued: number; redeemed: number } {
    return this.s.counts.get(workshopId) as { issued: number; redeemed: number }
  }

  sessionMinutes(workshopId: string): number {
    return (this.s.sessionMinutes.get(workshopId) as { minutes: number } | undefined)?.minutes ?? 120
  }

  setSessionMinutes(workshopId: string, minutes: number): void {
    this.s.setSessionMinutes.run(minutes, workshopId)
  }
}
