import type { Db } from './database.ts'

export interface ProgrammeRow {
  programmeId: string
  title: string
  programmeKeyHash: string
  createdDay: string
}

export interface ProgrammeWorkshopRow {
  workshopId: string
  title: string
  createdDay: string
  /** The day it was first run, if it was (see takingPartShown). */
  heldDay: string | null
  position: number
}

/** Programmes, and which workshops belong to each (a column on `workshops`). */
export class ProgrammeStore {
  private readonly s

  constructor(db: Db) {
    this.s = {
      insert: db.prepare('INSERT INTO programmes (programme_id, title, programme_key_hash, created_day) VALUES (@programmeId, @title, @programmeKeyHash, @createdDay)'),
      get: db.prepare('SELECT programme_id AS programmeId, title, programme_key_hash AS programmeKeyHash, created_day AS createdDay FROM programmes WHERE programme_id = ?'),
      byKey: db.prepare('SELECT programme_id AS programmeId FROM programmes WHERE programme_key_hash = ?'),
      attach: db.prepare(
        'UPDATE workshops SET programme_id = ?, programme_position = (SELECT COALESCE(MAX(programme_position), 0) + 1 FROM workshops WHERE programme_id = ?) WHERE workshop_id = ?',
      ),
      workshops: db.prepare(
        'SELECT workshop_id AS workshopId, title, created_day AS createdDay, held_day AS heldDay, programme_position AS position FROM workshops WHERE programme_id = ? ORDER BY programme_position',
      ),
      perspectives: db.prepare('SELECT perspective, n FROM perspective_counts WHERE workshop_id = ?'),
      programmeOf: db.prepare('SELECT programme_id AS programmeId FROM workshops WHERE workshop_id = ?'),
    }
  }

  create(row: ProgrammeRow): void {
    this.s.insert.run(row)
  }

  get(programmeId: string): ProgrammeRow | undefined {
    return this.s.get.get(programmeId) as ProgrammeRow | undefined
  }

  findByKeyHash(keyHash: string): string | null {
    return (this.s.byKey.get(keyHash) as { programmeId: string } | undefined)?.programmeId ?? null
  }

  /** Adds a workshop as the programme's latest. */
  attach(programmeId: string, workshopId: string): void {
    this.s.attach.run(programmeId, programmeId, workshopId)
  }

  workshops(programmeId: string): ProgrammeWorkshopRow[] {
    return this.s.workshops.all(programmeId) as ProgrammeWorkshopRow[]
  }

  /** How many joined a workshop with each self-declared perspective (null: not given). */
  perspectiveCounts(workshopId: string): { perspective: string | null; n: number }[] {
    return (this.s.perspectives.all(workshopId) as { perspective: string; n: number }[]).map((row) => ({ perspective: row.perspective || null, n: row.n }))
  }

  programmeOf(workshopId: string): string | null {
    return (this.s.programmeOf.get(workshopId) as { programmeId: string | null } | undefined)?.programmeId ?? null
  }
}
