import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { JoinSnapshot } from './JoinSnapshot.ts'

/** A server doc whose updates feed a JoinSnapshot, plus a counter of full encodes. */
function setup(maxDeltaBytes = 1000, minRefreshMs = 100) {
  const doc = new Y.Doc()
  const clock = { now: 0 }
  let encodes = 0
  const snapshot = new JoinSnapshot(doc, { maxDeltaBytes, minRefreshMs, now: () => clock.now }, {
    encodeState: () => {
      encodes += 1
      return Y.encodeStateAsUpdate(doc)
    },
  })
  doc.on('update', () => snapshot.record())
  return { doc, snapshot, clock, encodes: () => encodes }
}

/** What a client ends up with after applying a join's two frames in the order they are sent. */
function join(snapshot: JoinSnapshot): Y.Doc {
  const client = new Y.Doc()
  const { state, since } = snapshot.forEmptyClient()
  if (since) Y.applyUpdate(client, since)
  Y.applyUpdate(client, state)
  return client
}

const same = (a: Y.Doc, b: Y.Doc) => {
  expect(Y.encodeStateVector(a)).toEqual(Y.encodeStateVector(b))
  expect(a.getMap('m').toJSON()).toEqual(b.getMap('m').toJSON())
  expect(a.getArray('a').toJSON()).toEqual(b.getArray('a').toJSON())
  expect(a.store.pendingStructs).toBeNull()
}

describe('JoinSnapshot', () => {
  it('gives every joiner the whole doc while edits continue, encoding the doc once', () => {
    const { doc, snapshot, encodes } = setup(1_000_000)
    doc.getArray('a').push(['x'.repeat(100)])
    same(join(snapshot), doc)
    for (let i = 0; i < 50; i++) {
      doc.getMap('m').set(`k${i % 5}`, i)
      if (i % 10 === 0) doc.getArray('a').delete(0, 1)
      doc.getArray('a').push([i])
      same(join(snapshot), doc)
    }
    expect(encodes()).toBe(1)
  })

  it('sends no second frame when nothing changed since the base', () => {
    const { doc, snapshot } = setup()
    doc.getMap('m').set('a', 1)
    expect(snapshot.forEmptyClient().since).toBeNull()
    expect(snapshot.forEmptyClient().since).toBeNull()
  })

  it('re-encodes the base once the updates since pass the limit, but not more often than allowed', () => {
    const { doc, snapshot, clock, encodes } = setup(200, 100)
    doc.getMap('m').set('start', 0)
    join(snapshot)
    expect(encodes()).toBe(1)
    for (let i = 0; i < 20; i++) doc.getMap('m').set(`k${i}`, 'v'.repeat(20))
    // Too soon: still base + difference, and still complete.
    clock.now = 50
    same(join(snapshot), doc)
    expect(snapshot.pendingBytes).toBeGreaterThan(200)
    expect(encodes()).toBe(1)
    clock.now = 150
    same(join(snapshot), doc)
    expect(encodes()).toBe(2)
    expect(snapshot.pendingBytes).toBe(0)
    expect(snapshot.forEmptyClient().since).toBeNull()
  })

  it('keeps the difference small while the same records are rewritten (moves), with no re-encode', () => {
    const { doc, snapshot, clock, encodes } = setup(4000, 0)
    // The board's own binding: a rewritten record's old entry is deleted from an array.
    const records = new KeyValueArray<{ x: number; text: string }>(doc.getArray('a'))
    for (let i = 0; i < 200; i++) records.set(`shape${i}`, { x: 0, text: 'note '.repeat(10) })
    join(snapshot)
    for (let move = 0; move < 2000; move++) {
      clock.now += 1
      records.set(`shape${move % 10}`, { x: move, text: 'note '.repeat(10) })
      if (move % 100 === 0) same(join(snapshot), doc)
    }
    same(join(snapshot), doc)
    // Old versions of moved records are collected in the live doc, so the difference stays bounded.
    expect(snapshot.pendingBytes).toBeLessThan(4000)
    expect(encodes()).toBe(1)
  })

  it('refreshes a base taken while the doc was small even when it changes between every two joins', () => {
    // The bench's join storm: the first joiner arrives before the board is filled, then every
    // join finds an edit since the last one. The base must still be renewed.
    const { doc, snapshot, clock, encodes } = setup(1000, 100)
    doc.getMap('m').set('start', 0)
    join(snapshot)
    for (let i = 0; i < 100; i++) doc.getMap('m').set(`k${i}`, 'v'.repeat(50))
    for (let step = 0; step < 30; step++) {
      clock.now += 10
      doc.getMap('m').set('moving', step)
      same(join(snapshot), doc)
    }
    expect(encodes()).toBe(2)
    expect(snapshot.pendingBytes).toBeLessThan(1000)
  })

  it('stays correct across a refresh with concurrent writers', () => {
    const { doc, snapshot, clock } = setup(300, 10)
    const other = new Y.Doc()
    other.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update))
    for (let i = 0; i < 100; i++) {
      clock.now += 3
      ;(i % 2 === 0 ? doc : other).getArray('a').push([`${i}`.repeat(5)])
      if (i % 7 === 0) same(join(snapshot), doc)
    }
    same(join(snapshot), doc)
  })

  it('starts again after reset', () => {
    const { doc, snapshot, encodes } = setup()
    doc.getMap('m').set('a', 1)
    join(snapshot)
    snapshot.reset()
    doc.getMap('m').set('b', 2)
    same(join(snapshot), doc)
    expect(encodes()).toBe(2)
  })
})
