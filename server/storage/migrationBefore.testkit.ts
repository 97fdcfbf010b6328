import Database from 'better-sqlite3'
import { expect } from 'vitest'
import { migrations, type Migration } from './migrations.ts'

const sqliteText = (migration: Migration) => (typeof migration === 'string' ? migration : migration.sqlite)

/**
 * An in-memory SQLite database migrated up to, not including, the migration whose text contains
 * `marker`, and `migrate()` to run that one: for tests of what a migration does to older rows.
 */
export function databaseBefore(marker: string): { db: Database.Database; migrate: () => void } {
  const at = migrations.findIndex((migration) => sqliteText(migration).includes(marker))
  expect(at).toBeGreaterThan(0)
  const db = new Database(':memory:')
  for (const migration of migrations.slice(0, at)) db.exec(sqliteText(migration))
  return { db, migrate: () => db.exec(sqliteText(migrations[at]!)) }
}
