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
})
