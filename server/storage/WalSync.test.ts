import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, walFileOf, type SqliteDb } from './database.ts'
import { WalSync } from './WalSync.ts'

describe('WalSync', () => {
  const cleanups: (() => void | Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  const openTemp = (): { db: SqliteDb; sync: WalSync } => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-walsync-'))
    const file = join(dir, 'test.sqlite')
    const db = openDatabase(file)
    const sync = new WalSync(walFileOf(file))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => void db.close(), () => sync.close())
    return { db, sync }
  }

  it('runs on a WAL database without fsync on commit', () => {
    const { db } = openTemp()
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    // 1 = NORMAL: commits leave the fsync to WalSync.
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
  })

  it('answers at once for an in-memory database', async () => {
    const sync = new WalSync(walFileOf(':memory:'))
    await expect(sync.sync()).resolves.toBeUndefined()
    expect(sync.syncs).toBe(0)
  })

  it('shares one fsync between everyone waiting at the same moment', async () => {
    const { db, sync } = openTemp()
    db.exec('CREATE TABLE t (n INTEGER)')
    const insert = db.prepare('INSERT INTO t (n) VALUES (?)')
    const waits: Promise<void>[] = []
    for (let n = 0; n < 100; n++) {
      insert.run(n)
      waits.push(sync.sync())
    }
    await Promise.all(waits)
    // The first caller starts one; the 99 who asked while it ran share the next.
    expect(sync.syncs).toBe(2)
    await sync.sync()
    expect(sync.syncs).toBe(3)
  })

  it('resolves when there is no WAL file (everything is in the main file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-walsync-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const sync = new WalSync(join(dir, 'missing.sqlite-wal'))
    await expect(sync.sync()).resolves.toBeUndefined()
    expect(sync.syncs).toBe(0)
  })

  it('refuses after close', async () => {
    const { sync } = openTemp()
    await sync.close()
    await expect(sync.sync()).rejects.toThrow(/closed/)
  })
})
