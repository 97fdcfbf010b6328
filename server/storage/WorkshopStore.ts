import type { Db } from './database.ts'

export type JoinMode = 'open' | 'invite'

export interface WorkshopRow {
  workshopId: string
  title: string
  joinMode: JoinMode
  joinCode: string
  facilitatorKeyHash: string
  createdDay: string
}

export interface ParticipantRow {
  participantId: string
  workshopId: string
  tokenHash: string
  perspective: string | null
}

/** Workshops and participants. Participants have no name column on purpose. */
export class WorkshopStore {
  private readonly insertWorkshop
  private readonly selectWorkshop
  private readonly selectByCode
  private readonly insertParticipant
  private readonly selectParticipant
  private readonly selectParticipantIds
  private readonly countParticipantsStmt
  private readonly insertInvite
  private readonly selectInvite
  private readonly markInviteUsed
  private readonly inviteStatsStmt
  private readonly selectPerspective

  constructor(db: Db) {
    this.insertWorkshop = db.prepare(
      'INSERT INTO workshops (workshop_id, title, join_mode, join_code, facilitator_key_hash, created_day) VALUES (@workshopId, @title, @joinMode, @joinCode, @facilitatorKeyHash, @createdDay)',
    )
    const columns =
      'workshop_id AS workshopId, title, join_mode AS joinMode, join_code AS joinCode, facilitator_key_hash AS facilitatorKeyHash, created_day AS createdDay'
    this.selectWorkshop = db.prepare(`SELECT ${columns} FROM workshops WHERE workshop_id = ?`)
    this.selectByCode = db.prepare(`SELECT ${columns} FROM workshops WHERE join_code = ?`)
    this.insertParticipant = db.prepare(
      'INSERT INTO participants (participant_id, workshop_id, token_hash, perspective) VALUES (@participantId, @workshopId, @tokenHash, @perspective)',
    )
    this.selectParticipant = db.prepare(
      'SELECT participant_id AS participantId, workshop_id AS workshopId, token_hash AS tokenHash, perspective FROM participants WHERE token_hash = ?',
    )
    this.selectParticipantIds = db.prepare('SELECT participant_id AS id FROM participants WHERE workshop_id = ?').pluck()
    this.countParticipantsStmt = db.prepare('SELECT COUNT(*) AS n FROM participants WHERE workshop_id = ?')
    this.insertInvite = db.prepare('INSERT OR IGNORE INTO invite_codes (workshop_id, code_hash) VALUES (?, ?)')
    this.selectInvite = db.prepare('SELECT used FROM invite_codes WHERE workshop_id = ? AND code_hash = ?')
    this.markInviteUsed = db.prepare('UPDATE invite_codes SET used = 1 WHERE workshop_id = ? AND code_hash = ? AND used = 0')
    this.inviteStatsStmt = db.prepare('SELECT COUNT(*) AS issued, COALESCE(SUM(used), 0) AS used FROM invite_codes WHERE workshop_id = ?')
    this.selectPerspective = db.prepare('SELECT perspective FROM participants WHERE participant_id = ?')
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
    this.insertParticipant.run(row)
  }

  participantIds(workshopId: string): string[] {
    return this.selectParticipantIds.all(workshopId) as string[]
  }

  findParticipantByTokenHash(tokenHash: string): ParticipantRow | undefined {
    return this.selectParticipant.get(tokenHash) as ParticipantRow | undefined
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

  /** Self-declared perspectives of the given participants (for aggregate-only breakdowns). */
  perspectivesOf(participantIds: string[]): Map<string, string | null> {
    const result = new Map<string, string | null>()
    for (const id of participantIds) {
      const row = this.selectPerspective.get(id) as { perspective: string | null } | undefined
      result.set(id, row?.perspective ?? null)
    }
    return result
  }

  countParticipants(workshopId: string): number {
    return (this.countParticipantsStmt.get(workshopId) as { n: number }).n
  }
}
