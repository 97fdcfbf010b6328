import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { KeyValueArray } from './KeyValueArray.ts'

const pair = () => {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, update, 'remote'))
  b.on('update', (update: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, update, 'remote'))
  return { a, b, ka: new KeyValueArray<{ x: number }>(a.getArray('r')), kb: new KeyValueArray<{ x: number }>(b.getArray('r')) }
}

describe('KeyValueArray', () => {
  it('sets, overwrites and deletes keys, and peers see the same', () => {
    const { ka, kb } = pair()
    ka.set('s1', { x: 1 })
    ka.set('s2', { x: 2 })
    kb.set('s1', { x: 10 })
    ka.delete('s2')
    expect([...ka.entries()]).toEqual([['s1', { x: 10 }]])
    expect([...kb.entries()]).toEqual([['s1', { x: 10 }]])
  })

  it('reports remote changes as updated and removed keys', () => {
    const { ka, kb } = pair()
    const seen: { updated: string[]; removed: string[] }[] = []
    kb.observe((change, transaction) => {
      if (!transaction.local) seen.push({ updated: [...change.updated.keys()], removed: [...change.removed] })
    })
    ka.set('s1', { x: 1 })
    ka.set('s1', { x: 2 })
    ka.delete('s1')
    expect(seen).toEqual([
      { updated: ['s1'], removed: [] },
      { updated: ['s1'], removed: [] },
      { updated: [], removed: ['s1'] },
    ])
  })

  it('keeps the document small when one key is overwritten many times', () => {
    const doc = new Y.Doc()
    const kv = new KeyValueArray<{ x: number; y: number }>(doc.getArray('r'))
    for (let i = 0; i < 50; i++) kv.set(`shape:${i}`, { x: i, y: i })
    const before = Y.encodeStateAsUpdate(doc).length
    for (let i = 0; i < 10_000; i++) kv.set('shape:7', { x: i, y: i })
    const growth = Y.encodeStateAsUpdate(doc).length - before
    // A plain Y.Map grows ~96 KB for the same 10,000 writes.
    expect(growth).toBeLessThan(1024)
  })

  it('converges on one value when two peers write the same key concurrently', () => {
    const a = new Y.Doc()
    const b = new Y.Doc()
    const ka = new KeyValueArray<string>(a.getArray('r'))
    const kb = new KeyValueArray<string>(b.getArray('r'))
    ka.set('k', 'from a')
    kb.set('k', 'from b')
    // Exchange in both directions, then once more for the loser cleanup each peer writes.
    for (let round = 0; round < 2; round++) {
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    }
    expect(ka.get('k')).toBe(kb.get('k'))
    expect(a.getArray('r').length).toBe(1)
    expect(b.getArray('r').length).toBe(1)
  })

  it('loads existing entries from a doc that already has them', () => {
    const { a, ka } = pair()
    ka.set('s1', { x: 1 })
    ka.set('s1', { x: 3 })
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(a))
    expect(new KeyValueArray<{ x: number }>(copy.getArray('r')).get('s1')).toEqual({ x: 3 })
  })
})
