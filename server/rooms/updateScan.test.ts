import * as encoding from 'lib0/encoding'
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
    // One client header and its one struct.
    expect(scanUpdate(gc, 100, true)).toEqual({ ok: true, units: 2 })
    expect(scanUpdate(Uint8Array.from([1, 1, 7, 0, 10, 3, 0]), 100, true)).toEqual({ ok: false, code: 'gc_or_skip' })
    const text = new Y.Doc()
    text.getText('t').insert(0, 'hello')
    expect(scanUpdate(Y.encodeStateAsUpdate(text), 100, false)).toEqual({ ok: false, code: 'unsupported_content' })
  })

  it('refuses delete sets Yjs never writes: a range repeated or overlapping, out of order, or a writer twice', () => {
    const deletes = (writers: [client: number, ranges: [clock: number, length: number][]][]) => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, 0)
      encoding.writeVarUint(encoder, writers.length)
      for (const [client, ranges] of writers) {
        encoding.writeVarUint(encoder, client)
        encoding.writeVarUint(encoder, ranges.length)
        for (const [clock, length] of ranges) {
          encoding.writeVarUint(encoder, clock)
          encoding.writeVarUint(encoder, length)
        }
      }
      return encoding.toUint8Array(encoder)
    }
    expect(scanUpdate(deletes([[7, [[0, 5], [5, 2], [9, 1]]], [8, [[0, 1]]]]), 100, false)).toMatchObject({ ok: true })
    // 20,000 copies of one range held the event loop for 27 s (December robustness review).
    expect(scanUpdate(deletes([[7, [[0, 30], [0, 30]]]]), 100, false)).toEqual({ ok: false, code: 'unordered_deletes' })
    expect(scanUpdate(deletes([[7, [[0, 5], [4, 2]]]]), 100, false)).toEqual({ ok: false, code: 'unordered_deletes' })
    expect(scanUpdate(deletes([[7, [[9, 1], [0, 5]]]]), 100, false)).toEqual({ ok: false, code: 'unordered_deletes' })
    expect(scanUpdate(deletes([[7, [[0, 5]]], [8, [[0, 1]]], [7, [[0, 5]]]]), 100, false)).toEqual({ ok: false, code: 'unordered_deletes' })
  })

  it('accepts the delete sets Yjs writes: deletions scattered by two writers, and updates merged', () => {
    const doc = new Y.Doc()
    const other = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    const records = doc.getArray<number>('records')
    records.push([...Array(40).keys()])
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    other.getArray<number>('records').push([...Array(40).keys()])
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
    for (let i = 70; i > 0; i -= 7) records.delete(i, 2)
    for (const update of [Y.encodeStateAsUpdate(doc), Y.mergeUpdates(updates), ...updates]) expect(scanUpdate(update, 10_000, true)).toMatchObject({ ok: true })
  })

  it('counts clients with no structs and deletions of no ranges: headers alone are not free', () => {
    const bytes = (numbers: number[]) => {
      const encoder = encoding.createEncoder()
      for (const n of numbers) encoding.writeVarUint(encoder, n)
      return encoding.toUint8Array(encoder)
    }
    // 200 clients of 0 structs each (count, client, clock), no deletions.
    const headers = bytes([200, ...Array.from({ length: 200 }, (_, i) => [0, i + 1, 0]).flat(), 0])
    expect(scanUpdate(headers, 100, true)).toEqual({ ok: false, code: 'too_many_parts' })
    // No structs; deletions for 120 clients of 0 ranges each (client, ranges).
    const deletions = bytes([0, 120, ...Array.from({ length: 120 }, (_, i) => [i + 1, 0]).flat()])
    expect(scanUpdate(deletions, 100, true)).toEqual({ ok: false, code: 'too_many_parts' })
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
