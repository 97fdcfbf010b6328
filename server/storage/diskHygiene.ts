import { randomInt } from 'node:crypto'
import { SqliteDb, type Db } from './database.ts'
import type { Logger } from '../logger.ts'

/**
 * What a copy of the database files must not show: the order in which rows arrived.
 * SQLite puts each new cell below the last one in its page and appends each commit to the WAL,
 * so cell offsets and frame order are a timeline. These helpers erase that timeline.
 */

/** Tables that hold what people contributed, with the column naming the workshop. */
export const CONTRIBUTION_TABLES = ['ideas', 'ballots', 'consent_responses', 'tallies', 'proposals', 'perspective_counts', 'vote_takers'] as const
export type ContributionTable = (typeof CONTRIBUTION_TABLES)[number]

const WORKSHOP_COLUMN: Record<ContributionTable, string> = {
  ideas: 'workshop_id',
  ballots: 'workshop_id',
  consent_responses: 'workshop_id',
  tallies: 'workshop_id',
  proposals: 'workshop_id',
  perspective_counts: 'workshop_id',
  vote_takers: 'workshop_id',
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

/** How long the truncate may wait on the event loop for a checkpoint or reader elsewhere. */
const TRUNCATE_WAIT_MS = 100
/** Then it is tried again this often, for about ten seconds, off any request's path. */
const TRUNCATE_RETRY_MS = 250
const TRUNCATE_TRIES = 40
/** Databases with a truncate retry under way: later scrubs ride on it. */
const retrying = new WeakSet<SqliteDb>()

/** True once the WAL is empty. Waits at most TRUNCATE_WAIT_MS (the connection's own wait is 5 s). */
function truncateSqliteWal(db: SqliteDb): boolean {
  const previous = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`)
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
    return result?.busy === 0
  } finally {
    db.pragma(`busy_timeout = ${previous}`)
  }
}

function retryTruncate(db: SqliteDb, triesLeft: number, onStuck: (() => void) | undefined): void {
  retrying.add(db)
  setTimeout(() => {
    let done: boolean
    try {
      done = truncateSqliteWal(db)
    } catch {
      // The database was closed meanwhile (the server stopped): nothing left to do here.
      done = true
    }
    if (done) retrying.delete(db)
    else if (triesLeft > 1) retryTruncate(db, triesLeft - 1, onStuck)
    else {
      retrying.delete(db)
      onStuck?.()
    }
  }, TRUNCATE_RETRY_MS).unref()
}

/**
 * SQLite: copies the WAL into the main file and truncates the WAL to zero bytes, so no earlier
 * frame (with its commit order, or a deleted row's old page) survives. Another connection's
 * checkpoint under way (the Checkpointer's, every second) or a reader in an older snapshot (a
 * backup, say) makes the truncate give up; it used to stay given up until the next scrub, and to
 * hold the event loop for the connection's whole 5-second busy wait first. Now it waits at most
 * 100 ms inline, then tries again on a timer for about ten seconds, and calls `onStuck` if the
 * WAL is still not empty by then. Never throws.
 *
 * PostgreSQL has no secure_delete: a plain VACUUM marks dead row versions free but leaves their
 * bytes in the page, where a deleted round's ballots keep their arrival order (measured in
 * tests/cluster/postgresAtRest.test.ts). VACUUM FULL writes each table and its indexes into new
 * files holding only live rows and drops the old files, so the heap files no longer hold that
 * order. It locks each table (all workshops) for the time it takes to copy it. A checkpoint
 * after a WAL switch then lets the old segments go (`wal_recycle = off` makes that a delete
 * rather than a reuse). docs/privacy.md says what this cannot reach. Inline on PostgreSQL only
 * in the operator CLI; a server runs it later and off the event loop (DeferredVacuum).
 */
export function checkpointAndTruncate(db: Db, tables: readonly string[] = CONTRIBUTION_TABLES, onStuck?: () => void): void {
  if (db instanceof SqliteDb) {
    if (!truncateSqliteWal(db) && !retrying.has(db)) retryTruncate(db, TRUNCATE_TRIES, onStuck)
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

/** The warning for an operator when the WAL could not be emptied (a long reader holds it). */
export const walStuck = (log: Logger) => (): void =>
  log.warn('storage.wal_not_truncated', { message: 'The database log could not be emptied for ten seconds: a reader (a backup?) holds an old snapshot.' })

/** What the scrub needs of the rewrite that runs later on PostgreSQL (DeferredVacuum). */
export interface LaterRewrite {
  /** Marks the contribution tables due, inside the scrub's transaction. */
  markDue(): void
  /** Runs the rewrite at its next slot, seconds away. */
  request(): void
}

/**
 * What to run after each publication and each round close: contributions rewritten in random
 * order, the state doc's history folded into one snapshot (its updates stepped with each ballot
 * and join), then the WAL emptied, so a copy taken afterwards holds no arrival order for them.
 *
 * PostgreSQL (`later` given): the `VACUUM (FULL)` that drops the old row versions runs within
 * seconds, coalesced and off the event loop (DeferredVacuum); inline it held this instance's
 * event loop and locked the tables for every workshop after every batch and round close, as
 * often as a facilitator liked. The tables are marked due in the rewrite's own transaction, so a
 * crash before the run leaves them due for the next start.
 * The folded rows' dead versions stay in `doc_updates` until their pages are reused: rewriting
 * that table (every workshop's board edits) at each batch would lock every board in the cluster
 * that often (docs/privacy.md).
 */
export const scrubWorkshop =
  (db: Db, foldStateHistory: (workshopId: string) => void, onStuck?: () => void, later?: LaterRewrite) =>
  (workshopId: string): void => {
    if (!later) {
      rewriteInRandomOrder(db, workshopId)
      foldStateHistory(workshopId)
      checkpointAndTruncate(db, CONTRIBUTION_TABLES, onStuck)
      return
    }
    db.transaction(() => {
      rewriteInRandomOrder(db, workshopId)
      later.markDue()
    })()
    foldStateHistory(workshopId)
    later.request()
  }
