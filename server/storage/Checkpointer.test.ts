import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Checkpointer } from './Checkpointer.ts'
import { openDatabase, type SqliteDb } from './database.ts'
import { openStorage } from './openStorage.ts'

describe('Checkpointer', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('copies the whole WAL into the main file from its own thread, so the next write starts the WAL again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-checkpointer-'))
    dirs.push(dir)
    const file = join(dir, 'parity.sqlite')
    const db = openDatabase(file)
    db.pragma('wal_autocheckpoint = 0')
    const insert = db.prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?)')
    db.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run(`secret ${i}`, Buffer.alloc(2000, i))
    })()
    const checkpointer = new Checkpointer(file)
    try {
      const result = await checkpointer.checkpoint()
      expect(result!.busy).toBe(0)
      expect(result!.log).toBeGreaterThan(100)
      expect(result!.checkpointed).toBe(result!.log)
      // Everything is in the main file now: a copy of it alone has the rows.
      expect(statSync(file).size).toBeGreaterThan(200 * 2000)
      // The main connection's next write restarts the WAL, and its own checkpoint has little to do.
      insert.run('after', Buffer.alloc(10))
      expect(db.pragma('wal_checkpoint(PASSIVE)')).toEqual([{ busy: 0, log: expect.any(Number), checkpointed: expect.any(Number) }])
      expect((db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log).toBeLessThan(10)
    } finally {
      await checkpointer.close()
      db.close()
    }
    expect(await checkpointer.checkpoint()).toBeNull()
  })

  it('holds timed write batches while it copies, so a checkpoint under steady writes completes and the WAL starts again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-checkpointer-'))
    dirs.push(dir)
    const file = join(dir, 'parity.sqlite')
    const db = openDatabase(file)
    db.pragma('wal_autocheckpoint = 0')
    const insert = db.prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?)')
    const checkpointer = new Checkpointer(file)
    const held: string[] = []
    checkpointer.holdWritesWith(() => {
      held.push('hold')
      return () => held.push('release')
    })
    try {
      for (let i = 0; i < 50; i++) insert.run(`secret ${i}`, Buffer.alloc(2000, i))
      const result = await checkpointer.checkpoint()
      expect(held).toEqual(['hold', 'release'])
      expect(result!.checkpointed).toBe(result!.log)
      insert.run('after', Buffer.alloc(10))
      expect((db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log).toBeLessThan(5)
    } finally {
      await checkpointer.close()
      db.close()
    }
  })

  it('checkpoints on its own every interval, so the server’s commits never have to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-checkpointer-'))
    dirs.push(dir)
    const file = join(dir, 'parity.sqlite')
    const storage = openStorage({ dataDir: dir, databaseUrl: null, redisUrl: null })
    const db = storage.db as SqliteDb
    try {
      // SQLite's own checkpoint only as a safety net, far above its default of 1,000 pages.
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000)
      const sizeBefore = statSync(file).size
      const insert = db.prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?)')
      db.transaction(() => {
        for (let i = 0; i < 200; i++) insert.run(`secret ${i}`, Buffer.alloc(2000, i))
      })()
      expect(statSync(file).size).toBe(sizeBefore)
      // The worker copies the WAL into the main file within about a second, unasked.
      await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(200 * 2000), { timeout: 10_000 })
    } finally {
      await storage.close()
    }
  })

  it('does nothing for an in-memory database', async () => {
    const checkpointer = new Checkpointer(null)
    expect(await checkpointer.checkpoint()).toBeNull()
    await checkpointer.close()
  })
})
