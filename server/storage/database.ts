import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { migrations } from './migrations.ts'

export type Db = Database.Database

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * `:memory:` gives the in-memory twin tests use for unit-level storage checks.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
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

/** The WAL file SQLite keeps beside `file` (null for an in-memory database). */
export function walFileOf(file: string): string | null {
  return file === ':memory:' ? null : `${file}-wal`
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)')
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as { version: number }).version),
  )
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1
    if (applied.has(version)) continue
    db.transaction(() => {
      db.exec(sql)
      db.prepare('INSERT INTO schema_migrations (version) VALUES (?)').run(version)
    })()
  }
}
