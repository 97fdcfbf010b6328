import { describe, expect, it } from 'vitest'
import { openDatabase } from './database.ts'
import { DocStore } from './DocStore.ts'
import { UpdateWriter } from './UpdateWriter.ts'

describe('UpdateWriter while storage refuses writes', () => {
  it('holds edits up to its bound, says when it is full, and writes them all once storage is back', () => {
    const db = openDatabase(':memory:')
    const docs = new DocStore(db)
    const errors: unknown[] = []
    const writer = new UpdateWriter(db, docs, 60_000, (error) => errors.push(error))
    writer.maxPendingBytes = 1000
    // A real refusal: the table the writer appends to is gone (as a dropped disk would be).
    db.exec('ALTER TABLE doc_updates RENAME TO doc_updates_away')
    writer.enqueue('w', 'board', new Uint8Array(600))
    expect(writer.flush()).toBe(false)
    expect([writer.failing, writer.full]).toEqual([true, false])
    writer.enqueue('w', 'board', new Uint8Array(600))
    expect(writer.flush()).toBe(false)
    expect(writer.full).toBe(true)
    expect(errors.length).toBe(2)

    db.exec('ALTER TABLE doc_updates_away RENAME TO doc_updates')
    expect(writer.flush()).toBe(true)
    expect([writer.failing, writer.full, writer.pending]).toEqual([false, false, 0])
    expect(docs.load('w', 'board').updateCount).toBe(2)
    writer.stop()
  })
})

describe('UpdateWriter held by a checkpoint', () => {
  it('keeps timed batches back until released, still writes explicit flushes, and writes the held batch on release', async () => {
    const db = openDatabase(':memory:')
    const docs = new DocStore(db)
    const writer = new UpdateWriter(db, docs, 5, () => undefined)
    const release = writer.hold()
    writer.enqueue('w', 'board', new Uint8Array(10))
    await new Promise((resolve) => setTimeout(resolve, 30))
    // The timer fired while held: nothing written yet.
    expect([writer.pending, docs.load('w', 'board').updateCount]).toEqual([1, 0])
    // Compaction and shutdown flush explicitly, held or not.
    expect(writer.flush()).toBe(true)
    expect(docs.load('w', 'board').updateCount).toBe(1)
    writer.enqueue('w', 'board', new Uint8Array(10))
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(writer.pending).toBe(1)
    release()
    expect([writer.pending, docs.load('w', 'board').updateCount]).toEqual([0, 2])
    // A second release changes nothing.
    release()
    writer.stop()
  })

  it('keeps the slower retry while storage refuses writes, instead of trying again at every release', async () => {
    const db = openDatabase(':memory:')
    const docs = new DocStore(db)
    const errors: unknown[] = []
    const writer = new UpdateWriter(db, docs, 5, (error) => errors.push(error))
    db.exec('ALTER TABLE doc_updates RENAME TO doc_updates_away')
    writer.enqueue('w', 'board', new Uint8Array(10))
    expect(writer.flush()).toBe(false)
    expect(errors.length).toBe(1)
    writer.hold()()
    // Released at once: no new attempt (the retry waits 10 × 5 ms).
    expect(errors.length).toBe(1)
    db.exec('ALTER TABLE doc_updates_away RENAME TO doc_updates')
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect([writer.failing, writer.pending, docs.load('w', 'board').updateCount]).toEqual([false, 0, 1])
    writer.stop()
  })
})
