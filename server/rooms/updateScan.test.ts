import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { scanUpdate } from './updateScan.ts'

const recordsUpdate = (count: number) => {
  const doc = new Y.Doc()
  const records = doc.getArray('records')
  doc.transact(() => {
    for (let i = 0; i < count; i++) records.push([{ key: `shape:${i}`, val: { id: `shape:${i}` } }])
  })
  return Y.encodeStateAsUpdate(doc)
}

describe('scanUpdate', () => {
  it('counts the parts of a plain update and accepts it', () => {
    const result = scanUpdate(recordsUpdate(10), 1000, false)
    expect(result).toEqual({ ok: true, units: expect.any(Number) })
    expect(result.ok && result.units).toBeGreaterThanOrEqual(10)
  })

  it('stops at the cap without reading the rest', () => {
    expect(scanUpdate(recordsUpdate(500), 100, false)).toEqual({ ok: false, code: 'too_many_parts' })
  })

  it('refuses GC structs outside the handshake, Skip structs always, and content no doc of ours holds', () => {
    const gc = Uint8Array.from([1, 1, 7, 0, 0, 3, 0])
    expect(scanUpdate(gc, 100, false)).toEqual({ ok: false, code: 'gc_or_skip' })
    expect(scanUpdate(gc, 100, true)).toEqual({ ok: true, units: 1 })
    expect(scanUpdate(Uint8Array.from([1, 1, 7, 0, 10, 3, 0]), 100, true)).toEqual({ ok: false, code: 'gc_or_skip' })
    const text = new Y.Doc()
    text.getText('t').insert(0, 'hello')
    expect(scanUpdate(Y.encodeStateAsUpdate(text), 100, false)).toEqual({ ok: false, code: 'unsupported_content' })
  })

  it('never accepts an update cut short anywhere (it throws or refuses)', () => {
    const update = recordsUpdate(3)
    const accepted: number[] = []
    for (let cut = 1; cut < update.length; cut++) {
      try {
        if (scanUpdate(update.subarray(0, cut), 1000, false).ok) accepted.push(cut)
      } catch {
        // Malformed: what a cut should be.
      }
    }
    expect(accepted).toEqual([])
  })
})
