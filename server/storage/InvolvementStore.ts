import type { Db } from './database.ts'
import type { Statement } from './sql.ts'

const SIGNING_KEY = 'involvement-ed25519-pkcs8'

/**
 * Involvement records: the signing key, one marker per participant who took one, and redemptions.
 * A record is a signed code and needs no row until it is paid: a row written when it was issued
 * carried the code's id in the transaction right after its holder's check-out, and on PostgreSQL
 * (which keeps each row's writing transaction) whoever pays records, holding codes with names,
 * could tell who completed which group's batch of check-outs. Rows from before stay valid.
 */
export class InvolvementStore {
  private readonly s

  constructor(db: Db) {
    this.s = {
      key: db.prepare('SELECT value FROM server_secrets WHERE name = ?'),
      insertKey: db.prepare('INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)'),
      mark: db.prepare('INSERT OR IGNORE INTO involvement_markers (workshop_id, marker) VALUES (?, ?)'),
      get: db.prepare('SELECT redeemed_day AS redeemedDay FROM involvement_records WHERE record_id = ? AND workshop_id = ?'),
      redeemIssued: db.prepare('UPDATE involvement_records SET redeemed_day = ? WHERE record_id = ? AND workshop_id = ? AND redeemed_day IS NULL'),
      redeem: db.prepare('INSERT INTO involvement_records (record_id, workshop_id, redeemed_day) VALUES (?, ?, ?) ON CONFLICT (record_id) DO NOTHING'),
      issued: db.prepare('SELECT COUNT(*) AS n FROM involvement_markers WHERE workshop_id = ?'),
      redeemed: db.prepare('SELECT COUNT(redeemed_day) AS n FROM involvement_records WHERE workshop_id = ?'),
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

  /** The day a record was paid, or null (not yet, or never stored: records need no row until paid). */
  redeemedDay(recordId: string, workshopId: string): string | null {
    return (this.s.get.get(recordId, workshopId) as { redeemedDay: string | null } | undefined)?.redeemedDay ?? null
  }

  /** False if it was already redeemed (so two racing claims cannot both win: the row's key decides). */
  redeem(recordId: string, workshopId: string, day: string): boolean {
    if (this.s.redeemIssued.run(day, recordId, workshopId).changes === 1) return true
    return this.s.redeem.run(recordId, workshopId, day).changes === 1
  }

  counts(workshopId: string): { issued: number; redeemed: number } {
    const count = (statement: Statement) => Number((statement.get(workshopId) as { n: number | string }).n)
    return { issued: count(this.s.issued), redeemed: count(this.s.redeemed) }
  }

  sessionMinutes(workshopId: string): number {
    return (this.s.sessionMinutes.get(workshopId) as { minutes: number } | undefined)?.minutes ?? 120
  }

  setSessionMinutes(workshopId: string, minutes: number): void {
    this.s.setSessionMinutes.run(minutes, workshopId)
  }
}
