import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { migrations, type Migration } from './migrations.ts'
import { PostgresDb } from './postgres/PostgresDb.ts'
import { translateSchema } from './postgres/translate.ts'
import type { Db, Statement } from './sql.ts'

export type { Db, Statement } from './sql.ts'

/** better-sqlite3 already has the `Db` shape; this adds the dialect and keeps SQLite's extras. */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const
  constructor(readonly raw: Database.Database) {}

  prepare(sql: string): Statement {
    // better-sqlite3's Statement takes the same parameters; its types are only wider.
    return this.raw.prepare(sql) as unknown as Statement
  }

  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    return this.raw.transaction(fn)
  }

  exec(sql: string): void {
    this.raw.exec(sql)
  }

  pragma(source: string, options?: Database.PragmaOptions): unknown {
    return this.raw.pragma(source, options)
  }

  /**
   * A function telling whether another connection (another process, a worker thread) committed
   * anything since it was last called; the first call says yes. SQLite's `data_version` changes
   * only for other connections' commits, never for this one's.
   */
  changeWatcher(): () => boolean {
    let seen: number | null = null
    return () => {
      const version = this.raw.pragma('data_version', { simple: true }) as number
      const changed = version !== seen
      seen = version
      return changed
    }
  }

  close(): void {
    this.raw.close()
  }
}

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * `:memory:` gives the in-memory twin tests use for unit-level storage checks.
 */
export function openDatabase(file: string): SqliteDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new SqliteDb(new Database(file))
  db.pragma('journal_mode = WAL')
  // NORMAL: a commit does not fsync on the event loop. Answers and broadcasts wait for WalSync,
  // which fsyncs the WAL off-thread, so a 2xx still means the change survives a power cut.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  // Deleted rows (detached ballots, consent responses) are overwritten with zeros on disk.
  db.pragma('secure_delete = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

/**
 * Connects to PostgreSQL (`DATABASE_URL`) and brings its schema up to date. Instances starting
 * together take turns (an advisory lock), so each migration runs once.
 */
export function openPostgres(url: string, answerMs?: number): PostgresDb {
  let db: PostgresDb
  try {
    db = new PostgresDb(url, answerMs)
  } catch (error) {
    throw new Error(`PostgreSQL (DATABASE_URL) could not be reached: ${error instanceof Error ? error.message : String(error)}`)
  }
  db.exec(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`)
  try {
    migrate(db)
  } finally {
    db.exec(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`)
  }
  return db
}

/** Advisory lock keys (PostgreSQL): one place, so no two uses collide. */
export const MIGRATION_LOCK = 7_276_001
export const INSTANCE_LOCK = 7_276_002

/** The WAL file SQLite keeps beside `file` (null for an in-memory database). */
export function walFileOf(file: string): string | null {
  return file === ':memory:' ? null : `${file}-wal`
}

function migrationText(db: Db, migration: Migration): string {
  if (typeof migration !== 'string') return migration[db.dialect]
  return db.dialect === 'postgres' ? translateSchema(migration) : migration
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)')
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  )
  for (const [index, migration] of migrations.entries()) {
    const version = index + 1
    if (applied.has(version)) continue
    db.transaction(() => {
      db.exec(migrationText(db, migration))
      db.prepare('INSERT INTO schema_migrations (version) VALUES (?)').run(version)
    })()
  }
}
