import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, walFileOf, type SqliteDb } from './database.ts'
import { allCells } from '../../tests/helpers/sqlitePages.ts'
import { checkpointAndTruncate, rewriteInRandomOrder } from './diskHygiene.ts'

describe('disk hygiene', () => {
  const dirs: string[] = []
  const open = (): { db: SqliteDb; file: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'parity-hygiene-'))
    dirs.push(dir)
    const file = join(dir, 'parity.sqlite')
    return { db: openDatabase(file), file }
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  const insertIdea = (db: SqliteDb, workshopId: string, n: number) =>
    db
      .prepare("INSERT INTO ideas (idea_id, workshop_id, section_id, text, author_key_hash, idempotency_hash, status) VALUES (?, ?, 'values', ?, 'h', ?, 'pending')")
      .run(`${workshopId}-idea-${n}`, workshopId, `text ${n}`, `idem-${workshopId}-${n}`)

  /** Idea ids in the order their cells were placed in the main file (a page fills from its end). */
  const physicalOrder = (file: string, workshopId: string): string[] =>
    allCells({ db: file, wal: null })
      .filter((cell) => cell.values.length >= 12 && cell.values[1] === workshopId)
      .sort((a, b) => a.pageNo - b.pageNo || b.offset - a.offset)
      .map((cell) => String(cell.values[0]))

  it('rewrites one workshop’s rows unchanged, in a new physical order, and leaves others alone', () => {
    const { db, file } = open()
    for (let n = 0; n < 10; n++) insertIdea(db, 'w1', n)
    for (let n = 0; n < 5; n++) insertIdea(db, 'w2', n)
    const rows = () => db.prepare('SELECT * FROM ideas ORDER BY idea_id').all()
    const before = rows()
    checkpointAndTruncate(db)
    const inserted = physicalOrder(file, 'w1')
    expect(inserted).toEqual(Array.from({ length: 10 }, (_, n) => `w1-idea-${n}`))
    const otherBefore = physicalOrder(file, 'w2')
    rewriteInRandomOrder(db, 'w1', ['ideas'])
    checkpointAndTruncate(db)
    expect(rows()).toEqual(before)
    const rewritten = physicalOrder(file, 'w1')
    expect(new Set(rewritten)).toEqual(new Set(inserted))
    // 1 in 10! that a CSPRNG order equals the insertion order.
    expect(rewritten).not.toEqual(inserted)
    expect(physicalOrder(file, 'w2')).toEqual(otherBefore)
    db.close()
  })

  it('empties the WAL once a reader holding an old snapshot lets go, and says so if it never does', async () => {
    const { db, file } = open()
    for (let n = 0; n < 20; n++) insertIdea(db, 'w1', n)
    const reader = new Database(file)
    reader.prepare('BEGIN').run()
    reader.prepare('SELECT count(*) FROM ideas').get()
    insertIdea(db, 'w1', 20)
    let stuck = 0
    checkpointAndTruncate(db, undefined, () => stuck++)
    // The reader's snapshot needs the WAL's frames: it cannot be emptied yet.
    expect(statSync(walFileOf(file)!).size).toBeGreaterThan(0)
    reader.prepare('COMMIT').run()
    await vi.waitFor(() => expect(statSync(walFileOf(file)!).size).toBe(0), { timeout: 5_000, interval: 50 })
    expect(stuck).toBe(0)
    // A reader that never lets go: after its retries, the truncate reports it.
    vi.useFakeTimers()
    try {
      reader.prepare('BEGIN').run()
      reader.prepare('SELECT count(*) FROM ideas').get()
      insertIdea(db, 'w1', 21)
      checkpointAndTruncate(db, undefined, () => stuck++)
      await vi.advanceTimersByTimeAsync(15_000)
      expect(stuck).toBe(1)
    } finally {
      vi.useRealTimers()
      reader.prepare('COMMIT').run()
      reader.close()
    }
    db.close()
  })

  it('empties the WAL', () => {
    const { db, file } = open()
    for (let n = 0; n < 20; n++) insertIdea(db, 'w1', n)
    expect(statSync(walFileOf(file)!).size).toBeGreaterThan(0)
    checkpointAndTruncate(db)
    expect(statSync(walFileOf(file)!).size).toBe(0)
    db.close()
  })
})
