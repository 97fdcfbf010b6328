import { randomInt } from 'node:crypto'
import { SqliteDb, type Db } from './database.ts'

/**
 * What a copy of the database files must not show: the order in which rows arrived.
 * SQLite puts each new cell below the last one in its page and appends each commit to the WAL,
 * so cell offsets and frame order are a timeline. These helpers erase that timeline.
 */

/** Tables that hold what people contributed, with the column naming the workshop. */
export const CONTRIBUTION_TABLES = ['ideas', 'ballots', 'consent_responses', 'tallies', 'proposals'] as const
export type ContributionTable = (typeof CONTRIBUTION_TABLES)[number]

const WORKSHOP_COLUMN: Record<ContributionTable, string> = {
  ideas: 'workshop_id',
  ballots: 'workshop_id',
  consent_responses: 'workshop_id',
  tallies: 'workshop_id',
  proposals: 'workshop_id',
}

/** Fisher–Yates with a CSPRNG: the new order owes nothing to the old one. */
export function secureShuffle<T>(items: readonly T[]): T[] {
  const result = [...items]
  for (let i = result.length - 1; i > 0; i--) {
    const j = randomInt(i + 1)
    ;[result[i], result[j]] = [result[j]!, result[i]!]
  }
  return result
}

/**
 * Deletes and re-inserts one workshop's rows of each table in a random order, in one
 * transaction, so each cell's place in its page (and each index entry's) no longer says when it
 * was written. `secure_delete` (set in openDatabase) zeroes the old cells. Follow with
 * checkpointAndTruncate, or the WAL keeps the old pages.
 */
export function rewriteInRandomOrder(db: Db, workshopId: string, tables: readonly ContributionTable[] = CONTRIBUTION_TABLES): void {
  db.transaction(() => {
    for (const table of tables) {
      const column = WORKSHOP_COLUMN[table]
      const rows = db.prepare(`SELECT * FROM ${table} WHERE ${column} = ?`).all(workshopId) as Record<string, unknown>[]
      if (rows.length === 0) continue
      db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(workshopId)
      const columns = Object.keys(rows[0]!)
      const insert = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`)
      for (const row of secureShuffle(rows)) insert.run(row)
    }
  })()
}

/**
 * SQLite: copies the WAL into the main file and truncates the WAL to zero bytes, so no earlier
 * frame (with its commit order, or a deleted row's old page) survives. Never throws: a reader
 * holding the WAL open makes this a no-op, and the next call catches up.
 *
 * PostgreSQL has no secure_delete: a plain VACUUM marks dead row versions free but leaves their
 * bytes in the page, where a deleted round's ballots keep their arrival order (measured in
 * tests/cluster/postgresAtRest.test.ts). VACUUM FULL writes each table and its indexes into new
 * files holding only live rows and drops the old files, so the heap files no longer hold that
 * order. It locks each table (all workshops) for the time it takes to copy it. A checkpoint
 * after a WAL switch then lets the old segments go (`wal_recycle = off` makes that a delete
 * rather than a reuse). docs/privacy.md says what this cannot reach.
 */
export function checkpointAndTruncate(db: Db, tables: readonly string[] = CONTRIBUTION_TABLES): void {
  if (db instanceof SqliteDb) {
    db.pragma('wal_checkpoint(TRUNCATE)')
    return
  }
  db.exec(`VACUUM (FULL) ${tables.join(', ')}`)
  for (const step of ['SELECT pg_switch_wal()', 'CHECKPOINT']) {
    try {
      db.exec(step)
    } catch {
      // Needs a superuser or pg_checkpoint; a managed database runs its own checkpoints.
    }
  }
}

/**
 * What to run after each publication and each round close: contributions rewritten in random
 * order, then the WAL emptied, so a copy taken afterwards holds no arrival order for them.
 */
export const scrubWorkshop = (db: Db) => (workshopId: string): void => {
  rewriteInRandomOrder(db, workshopId)
  checkpointAndTruncate(db)
}
