import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type SqliteDb } from './database.ts'

describe('SqliteDb.changeWatcher', () => {
  let dir: string | null = null
  let db: SqliteDb | null = null
  afterEach(() => {
    db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('sees commits by other connections only', () => {
    dir = mkdtempSync(join(tmpdir(), 'parity-watch-'))
    const file = join(dir, 'parity.sqlite')
    db = openDatabase(file)
    const changedElsewhere = db.changeWatcher()
    expect(changedElsewhere()).toBe(true)
    expect(changedElsewhere()).toBe(false)
    db.exec("INSERT INTO server_secrets (name, value) VALUES ('ours', 'x')")
    expect(changedElsewhere()).toBe(false)
    // Another process (the operator's CLI) writing the same file.
    const other = new Database(file)
    other.exec("INSERT INTO server_secrets (name, value) VALUES ('theirs', 'y')")
    expect(changedElsewhere()).toBe(true)
    expect(changedElsewhere()).toBe(false)
    // The checkpoint worker's connection runs every second: its checkpoints commit nothing.
    expect(other.pragma('wal_checkpoint(PASSIVE)')).toEqual([{ busy: 0, log: expect.any(Number), checkpointed: expect.any(Number) }])
    expect(changedElsewhere()).toBe(false)
    other.close()
  })
})
