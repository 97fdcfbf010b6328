import { randomBytes } from 'node:crypto'
import type { Db } from './database.ts'

export type IdeaStatus = 'pending' | 'published' | 'hidden' | 'merged' | 'withdrawn'

export interface IdeaRow {
  ideaId: string
  workshopId: string
  sectionId: string
  kind: 'idea' | 'suggestion'
  text: string
  authorKeyHash: string
  idempotencyHash: string | null
  status: IdeaStatus
  position: number | null
  hiddenReason: string | null
  mergedInto: string | null
  /** Published with the idea (W9); null for none. */
  contentNote: string | null
}

const COLUMNS =
  'idea_id AS ideaId, workshop_id AS workshopId, section_id AS sectionId, kind, text, author_key_hash AS authorKeyHash, idempotency_hash AS idempotencyHash, status, position, hidden_reason AS hiddenReason, merged_into AS mergedInto, content_note AS contentNote'

/**
 * Ideas, the moderation log, server secrets. Never a participant id next to an idea, and no
 * per-participant rows at all (per-person counts live in IdeaService's memory: issue 12).
 */
export class IdeaStore {
  private readonly statements

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(
        'INSERT INTO ideas (idea_id, workshop_id, section_id, kind, text, author_key_hash, idempotency_hash, status, position, hidden_reason, merged_into, content_note) VALUES (@ideaId, @workshopId, @sectionId, @kind, @text, @authorKeyHash, @idempotencyHash, @status, @position, @hiddenReason, @mergedInto, @contentNote)',
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM ideas WHERE workshop_id = ? AND idea_id = ?`),
      byIdempotency: db.prepare(`SELECT ${COLUMNS} FROM ideas WHERE idempotency_hash = ?`),
      inSection: db.prepare(`SELECT ${COLUMNS} FROM ideas WHERE workshop_id = ? AND section_id = ? AND status = ?`),
      inWorkshop: db.prepare(`SELECT ${COLUMNS} FROM ideas WHERE workshop_id = ?`),
      countInWorkshop: db.prepare('SELECT COUNT(*) AS n FROM ideas WHERE workshop_id = ?'),
      maxPosition: db.prepare('SELECT COALESCE(MAX(position), -1) AS p FROM ideas WHERE workshop_id = ? AND section_id = ? AND position IS NOT NULL'),
      update: db.prepare(
        'UPDATE ideas SET text = @text, status = @status, position = @position, hidden_reason = @hiddenReason, merged_into = @mergedInto WHERE workshop_id = @workshopId AND idea_id = @ideaId',
      ),
      moveToSection: db.prepare('UPDATE ideas SET section_id = @sectionId, position = @position WHERE workshop_id = @workshopId AND idea_id = @ideaId'),
      setContentNote: db.prepare('UPDATE ideas SET content_note = ? WHERE workshop_id = ? AND idea_id = ?'),
      logModeration: db.prepare(
        'INSERT INTO moderation_log (workshop_id, section_id, action, idea_ids, reason, day) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      secret: db.prepare('SELECT value FROM server_secrets WHERE name = ?'),
      insertSecret: db.prepare('INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)'),
    }
  }

  insert(row: IdeaRow): void {
    this.statements.insert.run(row)
  }

  get(workshopId: string, ideaId: string): IdeaRow | undefined {
    return this.statements.get.get(workshopId, ideaId) as IdeaRow | undefined
  }

  findByIdempotencyHash(hash: string): IdeaRow | undefined {
    return this.statements.byIdempotency.get(hash) as IdeaRow | undefined
  }

  listInSection(workshopId: string, sectionId: string, status: IdeaStatus): IdeaRow[] {
    return this.statements.inSection.all(workshopId, sectionId, status) as IdeaRow[]
  }

  listInWorkshop(workshopId: string): IdeaRow[] {
    return this.statements.inWorkshop.all(workshopId) as IdeaRow[]
  }

  /** Rows of the workshop's ideas and suggestions, whatever their status. */
  countInWorkshop(workshopId: string): number {
    // PostgreSQL answers COUNT(*) as text (a bigint).
    return Number((this.statements.countInWorkshop.get(workshopId) as { n: number | string }).n)
  }

  /** Highest shuffled position used so far in a section (-1 if none). */
  maxPosition(workshopId: string, sectionId: string): number {
    return (this.statements.maxPosition.get(workshopId, sectionId) as { p: number }).p
  }

  update(row: IdeaRow): void {
    this.statements.update.run(row)
  }

  /** The author moved their idea to another section (before the vote). */
  moveToSection(row: IdeaRow): void {
    this.statements.moveToSection.run({ sectionId: row.sectionId, position: row.position, workshopId: row.workshopId, ideaId: row.ideaId })
  }

  setContentNote(workshopId: string, ideaId: string, note: string | null): void {
    this.statements.setContentNote.run(note, workshopId, ideaId)
  }

  logModeration(workshopId: string, sectionId: string, action: string, ideaIds: string[], reason: string, day: string): void {
    this.statements.logModeration.run(workshopId, sectionId, action, JSON.stringify(ideaIds), reason, day)
  }

  /** A 256-bit secret created once per database. */
  secret(name: string): Buffer {
    this.statements.insertSecret.run(name, randomBytes(32))
    return (this.statements.secret.get(name) as { value: Buffer }).value
  }
}
