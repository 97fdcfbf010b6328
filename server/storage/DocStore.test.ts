import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from './database.ts'
import { DocStore } from './DocStore.ts'
import { UpdateWriter } from './UpdateWriter.ts'

describe('DocStore and UpdateWriter', () => {
  it('appends updates, groups them into one write, and compacts them into a snapshot', () => {
    const db = openDatabase(':memory:')
    const docs = new DocStore(db)
    const errors: unknown[] = []
    const writer = new UpdateWriter(db, docs, 1000, (error) => errors.push(error))
    const doc = new Y.Doc()
    doc.on('update', (update: Uint8Array) => writer.enqueue('w1', 'board', update))
    for (let i = 0; i < 10; i++) doc.getArray('a').push([i])

    expect(docs.load('w1', 'board').updates).toHaveLength(0)
    expect(writer.pending).toBe(10)
    expect(writer.flush()).toBe(true)
    expect(docs.load('w1', 'board').updateCount).toBe(10)

    docs.compact('w1', 'board', Y.encodeStateAsUpdate(doc))
    const stored = docs.load('w1', 'board')
    expect(stored.updateCount).toBe(0)
    const restored = new Y.Doc()
    for (const update of stored.updates) Y.applyUpdate(restored, update)
    expect(Y.encodeStateAsUpdate(restored)).toEqual(Y.encodeStateAsUpdate(doc))
    expect(errors).toEqual([])
  })

  it('snapshots first and deletes the covered updates a few at a time, keeping later ones', () => {
    const db = openDatabase(':memory:')
    const docs = new DocStore(db)
    const doc = new Y.Doc()
    const list = doc.getArray<number>('a')
    doc.on('update', (update: Uint8Array) => docs.append('w1', 'board', update))
    for (let i = 0; i < 7; i++) list.push([i])
    // Another room's rows, interleaved, are never touched.
    docs.append('w2', 'board', Y.encodeStateAsUpdate(new Y.Doc()))
    const upTo = docs.snapshot('w1', 'board', Y.encodeStateAsUpdate(doc))
    expect(upTo).not.toBeNull()
    expect(docs.snapshot('w3', 'board', Y.encodeStateAsUpdate(new Y.Doc()))).toBeNull()
    list.push([7]) // stored after the snapshot: must survive every trim
    const loaded = () => {
      const restored = new Y.Doc()
      for (const update of docs.load('w1', 'board').updates) Y.applyUpdate(restored, update)
      return restored.getArray<number>('a').toArray()
    }
    // Half-way through, loading still gives exactly the doc (covered rows apply as no-ops).
    expect(docs.trim('w1', 'board', upTo!, 3)).toBe(3)
    expect(loaded()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(docs.trim('w1', 'board', upTo!, 3)).toBe(3)
    expect(docs.trim('w1', 'board', upTo!, 3)).toBe(1)
    expect(docs.trim('w1', 'board', upTo!, 3)).toBe(0)
    expect(docs.load('w1', 'board').updateCount).toBe(1)
    expect(docs.load('w2', 'board').updateCount).toBe(1)
    expect(loaded()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('keeps queued updates when the disk refuses a write', () => {
    const db = openDatabase(':memory:')
    const docs = new DocStore(db)
    const errors: unknown[] = []
    const writer = new UpdateWriter(db, docs, 1000, (error) => errors.push(error))
    writer.enqueue('w1', 'board', new Uint8Array([0, 0]))
    db.exec('DROP TABLE doc_updates')
    expect(writer.flush()).toBe(false)
    expect(writer.pending).toBe(1)
    expect(errors).toHaveLength(1)
  })

  it('runs each migration once', () => {
    const db = openDatabase(':memory:')
    const versions = db.prepare('SELECT version FROM schema_migrations').all()
    expect(versions.length).toBeGreaterThan(0)
  })
})
