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
  private readonly countParticipantsStmt

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
    this.countParticipantsStmt = db.prepare('SELECT COUNT(*) AS n FROM participants WHERE workshop_id = ?')
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

  findParticipantByTokenHash(tokenHash: string): ParticipantRow | undefined {
    return this.selectParticipant.get(tokenHash) as ParticipantRow | undefined
  }

  countParticipants(workshopId: string): number {
    return (this.countParticipantsStmt.get(workshopId) as { n: number }).n
  }
}
