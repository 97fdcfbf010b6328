import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { EditorScript, seedBoard } from '../../bench/lib/editor.ts'
import { makeShape, moved, typed } from '../../bench/lib/records.ts'
import { ramp, type LoadRunner } from '../../bench/lib/load.ts'
import { quickTiming } from '../../bench/scenarios/context.ts'
import { percentileOfSorted, Samples, summarise } from '../../bench/lib/stats.ts'
import {
  cursorFor,
  emptyStep1,
  encodeAwarenessEntry,
  findMarker,
  hocuspocusFraming,
  MSG_SYNC,
  patchMarker,
  plainFraming,
  readAwarenessEntries,
  scanMarkers,
  SYNC_UPDATE,
  usFromCursor,
} from '../../bench/lib/wire.ts'
import { rng } from '../../bench/lib/clock.ts'

/** The load generator's own logic (no sockets, no timing): markers, framing, updates, stats. */

const updateOf = (frame: Uint8Array, framing = plainFraming) => {
  const at = framing.unwrap(frame)
  // type (0), sync type (2), then a varUint length and the update.
  let pos = at + 2
  let length = 0
  let shift = 0
  for (;;) {
    const byte = frame[pos++]!
    length |= (byte & 0x7f) << shift
    if (byte < 0x80) break
    shift += 7
  }
  return frame.subarray(pos, pos + length)
}

describe('bench wire helpers', () => {
  it('patches a send time and sequence number into a marker and reads them back', () => {
    const script = new EditorScript(4242)
    const [first] = script.generate(1, plainFraming)
    expect(first!.markerAt).toBeGreaterThan(0)
    patchMarker(first!.frame, first!.markerAt, 123_456_789_012, 98_765_432)
    const seen: [number, number][] = []
    scanMarkers(first!.frame, 0, (us, seq) => seen.push([us, seq]))
    expect(seen).toEqual([[123_456_789_012, 98_765_432]])
    // Still a valid update after patching.
    const doc = new Y.Doc()
    Y.applyUpdate(doc, updateOf(first!.frame))
    expect(doc.store.pendingStructs).toBeNull()
  })

  it('skips the marker prefix bytes where a varint happens to contain them', () => {
    // A Yjs clock of 21,442 is the varint C2 A7 01: the same bytes as the "§" prefix.
    const doc = new Y.Doc()
    doc.clientID = 7
    const map = doc.getMap('m')
    for (let i = 0; i < 21_442; i++) map.set('filler', i)
    const before = Y.encodeStateAsUpdate(doc)
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    map.set('record', { meta: { bench: '§' + '0'.repeat(20) } })
    const update = updates[0]!
    const prefix = Buffer.from('§', 'utf8')
    const first = Buffer.from(update).indexOf(prefix)
    const digits = findMarker(update)
    expect(digits).toBeGreaterThan(first + prefix.length)
    patchMarker(update, digits, 123_456, 42)
    const seen: [number, number][] = []
    scanMarkers(update, 0, (us, seq) => seen.push([us, seq]))
    expect(seen).toEqual([[123_456, 42]])
    // Still a valid update after patching.
    const copy = new Y.Doc()
    Y.applyUpdate(copy, before)
    Y.applyUpdate(copy, update)
    expect(copy.store.pendingStructs).toBeNull()
    expect(copy.getMap('m').get('record')).toEqual({ meta: { bench: `§${'0'.repeat(6)}123456${'0'.repeat(6)}42` } })
  })

  it('finds every marker in a merged update', () => {
    const script = new EditorScript(99)
    const updates = script.generate(20, plainFraming)
    updates.forEach((update, i) => patchMarker(update.frame, update.markerAt, 1000 + i, i))
    const merged = Y.mergeUpdates(updates.map((update) => updateOf(update.frame)))
    const seqs: number[] = []
    scanMarkers(merged, 0, (_us, seq) => seqs.push(seq))
    expect(new Set(seqs)).toEqual(new Set(updates.map((_, i) => i)))
  })

  it('carries microseconds through a cursor the server rounds to integers', () => {
    for (const us of [0, 999, 1000, 1_234_567, 1_800_000_999]) {
      const [x, y] = cursorFor(us)
      expect(Number.isInteger(x) && Number.isInteger(y)).toBe(true)
      expect(usFromCursor([Math.round(x), Math.round(y)])).toBe(us)
    }
  })

  it('frames messages for Hocuspocus with the document name and unwraps them', () => {
    const framing = hocuspocusFraming('room-1')
    const message = emptyStep1()
    const frame = framing.wrap(message)
    const at = framing.unwrap(frame)
    expect(frame.subarray(at)).toEqual(message)
    expect(framing.unwrap(hocuspocusFraming('room-2').wrap(message))).toBe(-1)
    expect(framing.hello).toHaveLength(1)
    expect(plainFraming.unwrap(message)).toBe(0)
  })

  it('round-trips an awareness entry', () => {
    const state = JSON.stringify({ name: 'Guest 7', color: '#112233', cursor: cursorFor(5_000_123), hidden: false })
    const frame = encodeAwarenessEntry(77, 3, state)
    expect(readAwarenessEntries(frame, 0)).toEqual([{ clientId: 77, clock: 3, stateJson: state }])
  })
})

describe('bench edits', () => {
  const schema = createTLSchema({ shapes: defaultShapeSchemas, bindings: defaultBindingSchemas })

  it('writes records tldraw itself accepts', () => {
    const random = rng(1)
    for (let n = 0; n < 300; n++) {
      const kind = (['geo', 'note', 'draw'] as const)[n % 3]!
      const record = moved(makeShape(kind, `shape:t${n}`, n, random, n % 2 === 0), 5, -5)
      expect(() => schema.types.shape.validate(kind === 'draw' ? record : typed(record, 'x'))).not.toThrow()
    }
  })

  it('generates updates that apply in order, each with one marker, and depend on nothing else', () => {
    const script = new EditorScript(31337)
    const updates = script.generate(300, plainFraming)
    expect(updates.length).toBe(300)
    const doc = new Y.Doc()
    let clock = 0
    for (const update of updates) {
      let markers = 0
      scanMarkers(update.frame, 0, () => (markers += 1))
      expect(markers).toBe(1)
      expect(update.frame[0]).toBe(MSG_SYNC)
      expect(update.frame[1]).toBe(SYNC_UPDATE)
      Y.applyUpdate(doc, updateOf(update.frame))
      expect(doc.store.pendingStructs).toBeNull()
      expect(update.endClock).toBeGreaterThan(clock)
      clock = update.endClock
    }
    expect(Y.getState(doc.store, 31337)).toBe(clock)
    // More batches continue the same history.
    for (const update of script.generate(50, plainFraming)) Y.applyUpdate(doc, updateOf(update.frame))
    expect(doc.store.pendingStructs).toBeNull()
  })

  it('seeds a board in chunks from several clients without markers', () => {
    const doc = new Y.Doc()
    for (let k = 0; k < 3; k++) {
      const seed = seedBoard(400, 500 + k, 150, k * 400)
      expect(seed.updates).toHaveLength(3)
      for (const update of seed.updates) {
        expect(findMarker(update)).toBe(-1)
        Y.applyUpdate(doc, update)
      }
    }
    const keys = new Set(doc.getArray<{ key: string }>('records').toArray().map((entry) => entry.key))
    expect(keys.size).toBe(1200)
  })

  it('frames an update for Hocuspocus the same way, marker included', () => {
    const framing = hocuspocusFraming('doc')
    const [update] = new EditorScript(5).generate(1, framing)
    expect(update!.markerAt).toBeGreaterThan(framing.wrap(new Uint8Array()).length)
    expect(updateOf(update!.frame, framing).length).toBeGreaterThan(0)
  })
})

describe('bench stats', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentileOfSorted(sorted, 50)).toBe(50)
    expect(percentileOfSorted(sorted, 99)).toBe(99)
    expect(percentileOfSorted(sorted, 100)).toBe(100)
    expect(percentileOfSorted(new Float64Array(), 50)).toBeNaN()
  })

  it('summarises samples as they grow past their first buffer', () => {
    const samples = new Samples()
    for (let i = 2000; i >= 1; i--) samples.push(i)
    const summary = samples.summary()
    expect(summary).toMatchObject({ count: 2000, p50: 1000, p99: 1980, max: 2000 })
    expect(summary.mean).toBeCloseTo(1000.5)
    expect(summarise([]).count).toBe(0)
  })
})

describe('bench ramp', () => {
  it('runs no step once the time budget is used up, and says the machine was busy', async () => {
    let steps = 0
    const runner = {
      target: { name: 'parity' },
      runStep: async () => {
        steps += 1
        throw new Error('no step may run past the deadline')
      },
    } as unknown as LoadRunner
    const lines: string[] = []
    const result = await ramp(runner, { start: 1 / 16, max: 1, bisect: 2, timing: quickTiming, log: (line) => lines.push(line), deadline: Date.now() - 1 })
    expect(steps).toBe(0)
    expect(result.ceiling).toBe('machine busy')
    expect(result.sustained).toBeNull()
    expect(lines.join('\n')).toContain('invalid: machine busy')
  })
})
