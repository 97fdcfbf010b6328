import type { Db } from './database.ts'

export type JoinMode = 'open' | 'invite'

export interface WorkshopRow {
  workshopId: string
  title: string
  joinMode: JoinMode
  joinCode: string
  facilitatorKeyHash: string
  createdDay: string
  /** The day it was run: its first phase change or publication (null before): see `takingPartShown`. */
  heldDay?: string | null
  /** The last day anyone checked out (null: nobody yet): see `checkoutsShown`. */
  checkoutDay?: string | null
}

/** The day to show for a workshop: the day it was run, else the day it was made. */
export const heldDayOf = (row: Pick<WorkshopRow, 'createdDay' | 'heldDay'>): string => row.heldDay ?? row.createdDay

/** A participant as read back: rows from before sealing hold their perspective in the clear. */
export interface StoredParticipant {
  participantId: string
  workshopId: string
  tokenHash: string
  perspectiveSealed: string | null
  /** Only on rows written before perspectives were sealed (until their person is next served). */
  legacyPerspective: string | null
}

export interface ParticipantRow {
  participantId: string
  workshopId: string
  tokenHash: string
  /** The self-declared perspective sealed under the person's token (`sealText`, scope
   * `perspectiveScope`); the empty string sealed when none was given. */
  perspectiveSealed: string
  /** sha256 of workshop id and the joining browser's device id; null without a device cookie. */
  deviceHash?: string | null
}

/** Workshops and participants. Participants have no name column on purpose. */
export class WorkshopStore {
  private readonly insertWorkshop
  private readonly selectWorkshop
  private readonly selectByCode
  private readonly insertParticipant
  private readonly selectParticipant
  private readonly selectParticipantKeys
  private readonly countParticipantsStmt
  private readonly insertInvite
  private readonly selectInvite
  private readonly markInviteUsed
  private readonly inviteStatsStmt
  private readonly countPerspectiveStmt
  private readonly markHeldStmt
  private readonly markCheckoutStmt
  private readonly sealLegacyStmt
  private readonly selectDoor
  private readonly updateDoor
  private readonly selectByDevice

  constructor(db: Db) {
    this.insertWorkshop = db.prepare(
      'INSERT INTO workshops (workshop_id, title, join_mode, join_code, facilitator_key_hash, created_day) VALUES (@workshopId, @title, @joinMode, @joinCode, @facilitatorKeyHash, @createdDay)',
    )
    const columns =
      'workshop_id AS workshopId, title, join_mode AS joinMode, join_code AS joinCode, facilitator_key_hash AS facilitatorKeyHash, created_day AS createdDay, held_day AS heldDay, checkout_day AS checkoutDay'
    this.selectWorkshop = db.prepare(`SELECT ${columns} FROM workshops WHERE workshop_id = ?`)
    this.selectByCode = db.prepare(`SELECT ${columns} FROM workshops WHERE join_code = ?`)
    this.insertParticipant = db.prepare(
      'INSERT INTO participants (participant_id, workshop_id, token_hash, perspective_sealed, device_hash) VALUES (@participantId, @workshopId, @tokenHash, @perspectiveSealed, @deviceHash)',
    )
    this.countPerspectiveStmt = db.prepare(
      'INSERT INTO perspective_counts (workshop_id, perspective, n) VALUES (?, ?, ?) ON CONFLICT (workshop_id, perspective) DO UPDATE SET n = perspective_counts.n + ?',
    )
    this.markHeldStmt = db.prepare('UPDATE workshops SET held_day = ? WHERE workshop_id = ? AND held_day IS NULL')
    this.markCheckoutStmt = db.prepare('UPDATE workshops SET checkout_day = ? WHERE workshop_id = ? AND checkout_day IS DISTINCT FROM ?')
    this.sealLegacyStmt = db.prepare('UPDATE participants SET perspective_sealed = ?, perspective = NULL WHERE participant_id = ? AND perspective_sealed IS NULL')
    this.selectDoor = db.prepare('SELECT door_open AS doorOpen FROM workshops WHERE workshop_id = ?')
    this.updateDoor = db.prepare('UPDATE workshops SET door_open = ? WHERE workshop_id = ?')
    this.selectByDevice = db.prepare('SELECT participant_id AS participantId FROM participants WHERE workshop_id = ? AND device_hash = ?')

    this.selectParticipant = db.prepare(
      'SELECT participant_id AS participantId, workshop_id AS workshopId, token_hash AS tokenHash, perspective_sealed AS perspectiveSealed, perspective AS legacyPerspective FROM participants WHERE token_hash = ?',
    )
    this.selectParticipantKeys = db.prepare('SELECT participant_id AS participantId, token_hash AS tokenHash FROM participants WHERE workshop_id = ?')
    this.countParticipantsStmt = db.prepare('SELECT COUNT(*) AS n FROM participants WHERE workshop_id = ?')
    this.insertInvite = db.prepare('INSERT OR IGNORE INTO invite_codes (workshop_id, code_hash) VALUES (?, ?)')
    this.selectInvite = db.prepare('SELECT used FROM invite_codes WHERE workshop_id = ? AND code_hash = ?')
    this.markInviteUsed = db.prepare('UPDATE invite_codes SET used = 1 WHERE workshop_id = ? AND code_hash = ? AND used = 0')
    this.inviteStatsStmt = db.prepare('SELECT COUNT(*) AS issued, COALESCE(SUM(used), 0) AS used FROM invite_codes WHERE workshop_id = ?')
  }

  create(row: WorkshopRow): void {
    this.insertWorkshop.run(row)
  }

  get(workshopId: string): WorkshopRow | undefined {
    return this.selectWorkshop.get(workshopId) as WorkshopRow | undefined
  }

  findByJoinCode(joinCode: string): WorkshopRow | undefined {
    return this.selectByCode.get(joinCode) as WorkshopRow | undefined
  }

  addParticipant(row: ParticipantRow): void {
    this.insertParticipant.run({ ...row, deviceHash: row.deviceHash ?? null })
  }

  /**
   * Adds people to the workshop's totals by perspective (`null`: not given), which are all "who
   * took part" reads: the rows themselves name no perspective anyone can open.
   */
  countPerspectives(workshopId: string, counts: ReadonlyMap<string | null, number>): void {
    for (const [perspective, n] of counts) this.countPerspectiveStmt.run(workshopId, perspective ?? '', n, n)
  }

  /** Records the day the workshop was first run (later calls change nothing). */
  markHeld(workshopId: string, day: string): void {
    this.markHeldStmt.run(day, workshopId)
  }

  /** Records that someone checked out on `day` (only the day: which workshop's results wait). */
  markCheckout(workshopId: string, day: string): void {
    this.markCheckoutStmt.run(day, workshopId, day)
  }

  /** Seals a row written before perspectives were sealed, clearing its plain copy. */
  sealLegacyPerspective(participantId: string, perspectiveSealed: string): void {
    this.sealLegacyStmt.run(perspectiveSealed, participantId)
  }

  /** The participant this device already is in this workshop, if any. */
  participantByDevice(workshopId: string, deviceHash: string): string | undefined {
    return (this.selectByDevice.get(workshopId, deviceHash) as { participantId: string } | undefined)?.participantId
  }


  doorOpen(workshopId: string): boolean {
    return (this.selectDoor.get(workshopId) as { doorOpen: number } | undefined)?.doorOpen !== 0
  }

  setDoorOpen(workshopId: string, open: boolean): void {
    this.updateDoor.run(open ? 1 : 0, workshopId)
  }

  participantKeys(workshopId: string): { participantId: string; tokenHash: string }[] {
    return this.selectParticipantKeys.all(workshopId) as { participantId: string; tokenHash: string }[]
  }

  findParticipantByTokenHash(tokenHash: string): StoredParticipant | undefined {
    return this.selectParticipant.get(tokenHash) as StoredParticipant | undefined
  }

  addInviteCodes(workshopId: string, codeHashes: string[]): void {
    for (const hash of codeHashes) this.insertInvite.run(workshopId, hash)
  }

  inviteCode(workshopId: string, codeHash: string): { used: boolean } | undefined {
    const row = this.selectInvite.get(workshopId, codeHash) as { used: number } | undefined
    return row ? { used: row.used === 1 } : undefined
  }

  /** Marks a code used; false if it was already used (so two racing joins cannot both win). */
  useInviteCode(workshopId: string, codeHash: string): boolean {
    return this.markInviteUsed.run(workshopId, codeHash).changes === 1
  }

  inviteStats(workshopId: string): { issued: number; used: number } {
    return this.inviteStatsStmt.get(workshopId) as { issued: number; used: number }
  }

  countParticipants(workshopId: string): number {
    return (this.countParticipantsStmt.get(workshopId) as { n: number }).n
  }
}
