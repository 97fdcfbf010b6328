import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ServerDoc } from './ServerDoc.ts'

describe('ServerDoc', () => {
  const withOwner = () => {
    const seen: { update: Uint8Array; origin: unknown }[] = []
    const doc = new ServerDoc({ docUpdated: (update, origin) => seen.push({ update, origin }), writerOf: (origin) => (typeof origin === 'number' ? origin : null) })
    return { doc, seen }
  }

  it('hands every update to its owner, with its origin, and nothing else', () => {
    const { doc, seen } = withOwner()
    doc.transact(() => doc.getMap('m').set('a', 1), 'server')
    const client = new Y.Doc()
    client.getArray('records').push([{ key: 'shape:1', val: { x: 1 } }])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client), 'peer')
    expect(seen.map((entry) => entry.origin)).toEqual(['server', 'peer'])
    // What the owner is handed is the change itself: replayed elsewhere, it gives the same doc.
    const replay = new Y.Doc()
    for (const { update } of seen) Y.applyUpdate(replay, update)
    expect(replay.getMap('m').toJSON()).toEqual({ a: 1 })
    expect(replay.getArray('records').toJSON()).toEqual([{ key: 'shape:1', val: { x: 1 } }])
  })

  it('refuses listeners instead of never calling them', () => {
    const { doc } = withOwner()
    expect(() => doc.on('update', () => undefined)).toThrow(/no listeners/)
    expect(() => doc.on('afterTransaction', () => undefined)).toThrow(/no listeners/)
    // Another doc is untouched by the attempt.
    const { doc: other, seen } = withOwner()
    other.getMap('m').set('b', 2)
    expect(seen).toHaveLength(1)
  })

  it('keeps values intact when it copies them at their exact size', () => {
    const { doc } = withOwner()
    const client = new Y.Doc()
    const values = [{ key: 'a', val: { nested: [1, 2, 3] } }, { key: 'b', val: 'text' }]
    client.getArray('records').push(values)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client))
    client.getArray('records').push([{ key: 'c', val: null }])
    // From a socket writing under its own client (only that client is looked at)…
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(client, Y.encodeStateVector(doc)), client.clientID)
    expect(doc.getArray('records').toJSON()).toEqual([...values, { key: 'c', val: null }])
    expect(Y.encodeStateAsUpdate(doc)).toEqual(Y.encodeStateAsUpdate(client))
    // …and one carrying another client's values too: left as Yjs made them, content intact.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(client))
    other.getArray('records').push([{ key: 'd', val: [4] }])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), client.clientID)
    expect(doc.getArray('records').toJSON()).toEqual(other.getArray('records').toJSON())
  })

  it('copies only the struct lists that changed, content intact, and then none until the next change', () => {
    const { doc } = withOwner()
    const a = new Y.Doc()
    const b = new Y.Doc()
    a.getArray('records').push(['a1', 'a2', 'a3'])
    b.getArray('records').push(['b1'])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a), a.clientID)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(b), b.clientID)
    doc.trimStructLists()
    const lists = doc.store.clients
    const [listA, listB] = [lists.get(a.clientID), lists.get(b.clientID)]
    // Nothing changed since: nothing is copied.
    doc.trimStructLists()
    expect(lists.get(a.clientID)).toBe(listA)
    // A writes again: only A's list is copied.
    Y.applyUpdate(b, Y.encodeStateAsUpdate(doc))
    a.getArray('records').push(['a4'])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a, Y.encodeStateVector(doc)), a.clientID)
    doc.trimStructLists()
    expect(lists.get(a.clientID)).not.toBe(listA)
    expect(lists.get(b.clientID)).toBe(listB)
    // B deletes one of A's values: A's list is copied again (deletions split and mark A's structs).
    const listA2 = lists.get(a.clientID)
    Y.applyUpdate(b, Y.encodeStateAsUpdate(doc))
    const records = b.getArray<string>('records')
    records.delete(records.toArray().indexOf('a2'), 1)
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(b, Y.encodeStateVector(doc)), b.clientID)
    doc.trimStructLists()
    expect(lists.get(a.clientID)).not.toBe(listA2)
    expect(doc.getArray('records').toJSON()).toEqual(records.toJSON())
    expect(records.toJSON()).not.toContain('a2')
  })

  it('keeps no subdocument in the set every server doc shares', () => {
    const { doc } = withOwner()
    const { doc: other } = withOwner()
    doc.subdocs.add(new Y.Doc())
    expect(doc.subdocs.size).toBe(0)
    expect(other.subdocs.size).toBe(0)
  })
})
