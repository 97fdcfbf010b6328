import type { CommitmentStatus, CommitmentUpdate } from '../../shared/coproduction.ts'
import type { Db } from './database.ts'

export interface CommitmentRow {
  commitmentId: string
  workshopId: string
  programmeId: string | null
  text: string
  ownerRole: string
  sectionId: string | null
  ideaIds: string[]
  due: string | null
  createdDay: string
}

interface StoredCommitment extends Omit<CommitmentRow, 'ideaIds'> {
  ideaIds: string
}

/** Commitments ("we did") and their dated updates. Written by staff, so kept in order. */
export class CommitmentStore {
  private readonly s

  constructor(db: Db) {
    const columns =
      'commitment_id AS commitmentId, workshop_id AS workshopId, programme_id AS programmeId, text, owner_role AS ownerRole, section_id AS sectionId, idea_ids AS ideaIds, due, created_day AS createdDay'
    this.s = {
      insert: db.prepare(
        'INSERT INTO commitments (commitment_id, workshop_id, programme_id, text, owner_role, section_id, idea_ids, due, created_day) VALUES (@commitmentId, @workshopId, @programmeId, @text, @ownerRole, @sectionId, @ideaIds, @due, @createdDay)',
      ),
      get: db.prepare(`SELECT ${columns} FROM commitments WHERE commitment_id = ?`),
      inWorkshop: db.prepare(`SELECT ${columns} FROM commitments WHERE workshop_id = ? ORDER BY created_day, commitment_id`),
      addUpdate: db.prepare(
        'INSERT INTO commitment_updates (commitment_id, workshop_id, seq, status, note, day) SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM commitment_updates WHERE commitment_id = ?',
      ),
      updates: db.prepare('SELECT status, note, day FROM commitment_updates WHERE commitment_id = ? ORDER BY seq'),
      // Through commitments' index by workshop, then the updates' own key.
      updatesInWorkshop: db.prepare(
        'SELECT u.commitment_id AS commitmentId, u.status, u.note, u.day FROM commitments c JOIN commitment_updates u ON u.commitment_id = c.commitment_id WHERE c.workshop_id = ? ORDER BY u.commitment_id, u.seq',
      ),
      count: db.prepare('SELECT COUNT(*) AS n FROM commitments WHERE workshop_id = ?'),
      remove: db.prepare('DELETE FROM commitments WHERE commitment_id = ?'),
      removeUpdates: db.prepare('DELETE FROM commitment_updates WHERE commitment_id = ?'),
      countUpdates: db.prepare('SELECT COUNT(*) AS n FROM commitment_updates WHERE commitment_id = ?'),
    }
  }

  /** Deletes the commitment and its updates (call inside a transaction). */
  remove(commitmentId: string): void {
    this.s.removeUpdates.run(commitmentId)
    this.s.remove.run(commitmentId)
  }

  count(workshopId: string): number {
    return Number((this.s.count.get(workshopId) as { n: number | string }).n)
  }

  countUpdates(commitmentId: string): number {
    return Number((this.s.countUpdates.get(commitmentId) as { n: number | string }).n)
  }

  /** Every update of a workshop's commitments, by commitment, in one read. */
  updatesInWorkshop(workshopId: string): Map<string, CommitmentUpdate[]> {
    const byCommitment = new Map<string, CommitmentUpdate[]>()
    for (const { commitmentId, ...update } of this.s.updatesInWorkshop.all(workshopId) as (CommitmentUpdate & { commitmentId: string })[]) {
      const list = byCommitment.get(commitmentId) ?? []
      list.push(update)
      byCommitment.set(commitmentId, list)
    }
    return byCommitment
  }

  create(row: CommitmentRow): void {
    this.s.insert.run({ ...row, ideaIds: JSON.stringify(row.ideaIds) })
  }

  get(commitmentId: string): CommitmentRow | undefined {
    const row = this.s.get.get(commitmentId) as StoredCommitment | undefined
    return row && parse(row)
  }

  inWorkshop(workshopId: string): CommitmentRow[] {
    return (this.s.inWorkshop.all(workshopId) as StoredCommitment[]).map(parse)
  }

  addUpdate(commitmentId: string, workshopId: string, status: CommitmentStatus, note: string, day: string): void {
    this.s.addUpdate.run(commitmentId, workshopId, status, note, day, commitmentId)
  }

  updates(commitmentId: string): CommitmentUpdate[] {
    return this.s.updates.all(commitmentId) as CommitmentUpdate[]
  }
}

const parse = (row: StoredCommitment): CommitmentRow => ({ ...row, ideaIds: JSON.parse(row.ideaIds) as string[] })
