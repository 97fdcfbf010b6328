import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { defaultFanoutDelay, FanoutTick, type FanoutScheduler } from './FanoutTick.ts'
import { decodeAwareness, encodeAwareness, encodeSyncUpdate, MessageType, parseMessage, SyncType } from './protocol.ts'

class Peer {
  frames: Uint8Array[] = []
  bufferedAmount = 0
  send(data: Uint8Array): void {
    this.frames.push(data)
  }
}

/** Feeds an encoded sync update or awareness message, as a room's doc hands them over. */
function enqueue(tick: FanoutTick<Peer>, message: Uint8Array): void {
  const decoder = decoding.createDecoder(message)
  const type = decoding.readVarUint(decoder)
  if (type === MessageType.sync && decoding.readVarUint(decoder) === SyncType.update) return tick.addUpdate(decoding.readVarUint8Array(decoder))
  if (type === MessageType.awareness) return tick.addAwareness(decodeAwareness(decoding.readVarUint8Array(decoder), Number.MAX_SAFE_INTEGER))
  throw new Error('the fan-out tick takes document updates and awareness only')
}

/** A scheduler the test drives by hand: nothing runs until `run()`. */
function manualScheduler() {
  const queued: { flush: () => void; delayMs: number; cancelled: boolean }[] = []
  const scheduler: FanoutScheduler = (flush, delayMs) => {
    const entry = { flush, delayMs, cancelled: false }
    queued.push(entry)
    return () => {
      entry.cancelled = true
    }
  }
  return {
    scheduler,
    live: () => queued.filter((entry) => !entry.cancelled),
    run: () => {
      for (const entry of queued.splice(0)) if (!entry.cancelled) entry.flush()
    },
  }
}

function setup(peerCount = 3, options: { flushAtBytes?: number; maxBufferedBytes?: number; delayMs?: number } = {}) {
  const peers = new Set(Array.from({ length: peerCount }, () => new Peer()))
  const dropped: Peer[] = []
  const timers = manualScheduler()
  const clock = { now: 1000 }
  const tick = new FanoutTick<Peer>({
    now: () => clock.now,
    peers,
    slowPeers: {
      dropSlow: (peer) => {
        dropped.push(peer)
        peers.delete(peer)
      },
    },
    maxBufferedBytes: options.maxBufferedBytes ?? 1024,
    scheduler: timers.scheduler,
    ...(options.flushAtBytes ? { flushAtBytes: options.flushAtBytes } : {}),
    ...(options.delayMs === undefined ? {} : { delayFor: () => options.delayMs! }),
  })
  return { peers: [...peers], peerSet: peers, dropped, timers, tick, clock }
}

/**
 * A room with a 10 ms tick that has just flushed an update and a cursor (frames cleared): what
 * comes next within the tick is coalesced. After a quiet spell the first message goes at once.
 */
function busyRoom(peerCount = 3) {
  const room = setup(peerCount, { delayMs: 10 })
  room.tick.addUpdate(edits(999, 1).updates[0]!)
  room.tick.addAwareness([{ clientId: 999, clock: 1, stateJson: '{}' }])
  room.timers.run()
  for (const peer of room.peers) peer.frames.length = 0
  return room
}

/** Edits on a doc of its own, returning each transaction's update. */
function edits(clientId: number, count: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let i = 0; i < count; i++) {
    doc.transact(() => {
      doc.getArray<number>('a').push([i])
      doc.getMap<number>('m').set('last', i)
      if (i % 3 === 2) doc.getArray<number>('a').delete(0, 1)
    })
  }
  return { doc, updates }
}

const awarenessOf = (frame: Uint8Array) => {
  const message = parseMessage(frame)
  if (message.type !== 'awareness') throw new Error(`expected awareness, got ${message.type}`)
  return decodeAwareness(message.update, 1000)
}

const updateOf = (frame: Uint8Array) => {
  const message = parseMessage(frame)
  if (message.type !== 'syncUpdate' || message.isStep2) throw new Error(`expected a sync update, got ${message.type}`)
  return message.update
}

describe('FanoutTick', () => {
  it('within a tick sends nothing until it ends, then one merged update that converges a fresh doc', () => {
    const { peers, timers, tick } = busyRoom()
    const a = edits(11, 20)
    const b = edits(22, 15)
    // Interleaved, as they would arrive from two sockets.
    for (let i = 0; i < 20; i++) {
      enqueue(tick, encodeSyncUpdate(a.updates[i]!))
      if (b.updates[i]) enqueue(tick, encodeSyncUpdate(b.updates[i]!))
    }
    expect(peers.every((peer) => peer.frames.length === 0)).toBe(true)
    expect(timers.live()).toHaveLength(1)

    timers.run()
    for (const peer of peers) expect(peer.frames).toHaveLength(1)
    // One encoding shared by all peers.
    expect(peers[1]!.frames[0]).toBe(peers[0]!.frames[0])

    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, updateOf(peers[0]!.frames[0]!))
    const expected = new Y.Doc()
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(a.doc))
    Y.applyUpdate(expected, Y.encodeStateAsUpdate(b.doc))
    expect(fresh.store.pendingStructs).toBeNull()
    expect(fresh.getArray('a').toJSON()).toEqual(expected.getArray('a').toJSON())
    expect(fresh.getMap('m').toJSON()).toEqual(expected.getMap('m').toJSON())
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(expected))
    expect(tick.pending).toBe(false)
  })

  it('skips the one peer a whole tick came from, and sends a tick from several peers to all', () => {
    const { peers, timers, tick } = busyRoom(4)
    const [alice, bob] = [peers[0]!, peers[1]!]
    const a = edits(11, 2)
    tick.addUpdate(a.updates[0]!, alice)
    tick.addAwareness([{ clientId: 11, clock: 1, stateJson: '{}' }], alice)
    timers.run()
    expect(alice.frames).toHaveLength(0)
    for (const peer of peers.slice(1)) expect(peer.frames).toHaveLength(2)

    const b = edits(22, 1)
    tick.addUpdate(a.updates[1]!, alice)
    tick.addUpdate(b.updates[0]!, bob)
    timers.run()
    for (const peer of peers) expect(peer.frames.at(-1)).toBe(peers[3]!.frames.at(-1))
    expect(alice.frames).toHaveLength(1)
    expect(bob.frames).toHaveLength(3)

    // A server write (no origin) in the tick reaches everyone, the writer of the rest included.
    tick.addAwareness([{ clientId: 11, clock: 2, stateJson: '{}' }], alice)
    tick.addAwareness([{ clientId: 22, clock: 1, stateJson: 'null' }])
    timers.run()
    expect(alice.frames).toHaveLength(2)
  })

  it('hands peers that can share a frame one object with the encoded message', () => {
    const { peers, timers, tick } = setup(2)
    const shared: unknown[] = []
    for (const peer of peers) Object.assign(peer, { sendShared: (frame: unknown) => shared.push(frame) })
    tick.addUpdate(edits(11, 1).updates[0]!)
    timers.run()
    expect(shared).toHaveLength(2)
    expect(shared[0]).toBe(shared[1])
    expect(peers[0]!.frames).toHaveLength(0)
  })

  it('keeps consecutive ticks applicable in order', () => {
    const { peers, timers, tick } = busyRoom(1)
    const a = edits(5, 12)
    const fresh = new Y.Doc()
    for (const [start, end] of [
      [0, 4],
      [4, 5],
      [5, 12],
    ] as const) {
      for (const update of a.updates.slice(start, end)) enqueue(tick, encodeSyncUpdate(update))
      timers.run()
      Y.applyUpdate(fresh, updateOf(peers[0]!.frames.at(-1)!))
      expect(fresh.store.pendingStructs).toBeNull()
    }
    expect(peers[0]!.frames).toHaveLength(3)
    expect(fresh.getArray('a').toJSON()).toEqual(a.doc.getArray('a').toJSON())
  })

  it('coalesces awareness to the latest entry per client, removals included', () => {
    const { peers, timers, tick } = busyRoom()
    const state = (x: number) => JSON.stringify({ name: 'A', color: '#112233', cursor: [x, 0], hidden: false })
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 1, stateJson: state(1) }]))
    enqueue(tick, encodeAwareness([{ clientId: 2, clock: 7, stateJson: state(70) }]))
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 3, stateJson: state(3) }]))
    // Out of order: an older clock never replaces a newer one.
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 2, stateJson: state(2) }]))
    enqueue(tick, encodeAwareness([{ clientId: 3, clock: 4, stateJson: state(4) }]))
    enqueue(tick, encodeAwareness([{ clientId: 3, clock: 5, stateJson: 'null' }]))
    // At an equal clock the removal stands.
    enqueue(tick, encodeAwareness([{ clientId: 2, clock: 7, stateJson: 'null' }]))
    enqueue(tick, encodeAwareness([{ clientId: 2, clock: 7, stateJson: state(71) }]))
    timers.run()

    for (const peer of peers) expect(peer.frames).toHaveLength(1)
    const entries = awarenessOf(peers[0]!.frames[0]!).sort((x, y) => x.clientId - y.clientId)
    expect(entries).toEqual([
      { clientId: 1, clock: 3, stateJson: state(3) },
      { clientId: 2, clock: 7, stateJson: 'null' },
      { clientId: 3, clock: 5, stateJson: 'null' },
    ])
  })

  it('sends the document update before the awareness update of the same tick', () => {
    const { peers, timers, tick } = busyRoom(1)
    enqueue(tick, encodeAwareness([{ clientId: 9, clock: 1, stateJson: '{}' }]))
    enqueue(tick, encodeSyncUpdate(edits(9, 1).updates[0]!))
    timers.run()
    const types = peers[0]!.frames.map((frame) => decoding.readVarUint(decoding.createDecoder(frame)))
    expect(types).toEqual([MessageType.sync, MessageType.awareness])
  })

  it('schedules one flush per tick, not one per message', () => {
    const { timers, tick } = busyRoom()
    for (const update of edits(4, 10).updates) enqueue(tick, encodeSyncUpdate(update))
    enqueue(tick, encodeAwareness([{ clientId: 4, clock: 1, stateJson: '{}' }]))
    expect(timers.live()).toHaveLength(1)
    timers.run()
    enqueue(tick, encodeAwareness([{ clientId: 4, clock: 2, stateJson: '{}' }]))
    expect(timers.live()).toHaveLength(1)
  })

  it('flushes at once when pending updates pass the byte limit', () => {
    const { peers, tick, timers } = setup(1, { flushAtBytes: 200 })
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    doc.getArray('a').push(['x'.repeat(300)])
    enqueue(tick, encodeSyncUpdate(updates[0]!))
    expect(peers[0]!.frames).toHaveLength(1)
    expect(timers.live()).toHaveLength(0)
  })

  it('drops a peer whose backlog is too big and still serves the others', () => {
    const { peers, peerSet, dropped, timers, tick } = setup(3, { maxBufferedBytes: 100 })
    peers[1]!.bufferedAmount = 101
    enqueue(tick, encodeSyncUpdate(edits(8, 1).updates[0]!))
    timers.run()
    expect(dropped).toEqual([peers[1]])
    expect(peerSet.has(peers[1]!)).toBe(false)
    expect(peers[0]!.frames).toHaveLength(1)
    expect(peers[1]!.frames).toHaveLength(0)
    expect(peers[2]!.frames).toHaveLength(1)
  })

  it('queues what a peer dropped mid-flush leaves behind for the next flush, not inside this one', () => {
    const peers = new Set([new Peer(), new Peer(), new Peer()])
    const [slow, other] = [...peers] as [Peer, Peer]
    slow.bufferedAmount = 101
    const timers = manualScheduler()
    const tick: FanoutTick<Peer> = new FanoutTick<Peer>({
      peers,
      maxBufferedBytes: 100,
      scheduler: timers.scheduler,
      // As the doc does: the dropped peer's cursor is removed for everyone else.
      slowPeers: { dropSlow: (peer) => (peers.delete(peer), tick.addAwareness([{ clientId: 7, clock: 2, stateJson: 'null' }])) },
    })
    tick.addUpdate(edits(8, 1).updates[0]!)
    expect(other.frames.map((frame) => parseMessage(frame).type)).toEqual(['syncUpdate'])
    expect(timers.live()).toHaveLength(1)
    timers.run()
    expect(other.frames.map((frame) => parseMessage(frame).type)).toEqual(['syncUpdate', 'awareness'])
    expect(slow.frames).toHaveLength(0)
  })

  it('gives every room a tick for bursts, longer in bigger rooms, never more than 50 ms', () => {
    expect(defaultFanoutDelay(1)).toBeGreaterThan(0)
    let previous = 0
    for (let peers = 1; peers <= 1000; peers += 1) {
      const delay = defaultFanoutDelay(peers)
      expect(delay).toBeGreaterThanOrEqual(previous)
      expect(delay).toBeLessThanOrEqual(50)
      previous = delay
    }
    expect(defaultFanoutDelay(300)).toBe(50)
  })

  it('sends at once after a quiet spell, in the handler that read the message, then no sooner than one tick after the last flush', () => {
    const { peers, timers, tick, clock } = setup(200)
    const tickMs = defaultFanoutDelay(200)
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 1, stateJson: '{}' }]))
    expect(peers[0]!.frames).toHaveLength(1)
    expect(timers.live()).toHaveLength(0)
    clock.now += 10
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 2, stateJson: '{}' }]))
    expect(timers.live()[0]!.delayMs).toBe(tickMs - 10)
    clock.now += tickMs
    timers.run()
    expect(peers[0]!.frames).toHaveLength(2)
    // Quiet for longer than a tick: the next message goes out at once again.
    clock.now += tickMs + 1
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 3, stateJson: '{}' }]))
    expect(peers[0]!.frames).toHaveLength(3)
    expect(timers.live()).toHaveLength(0)
  })

  it('uses the tick of the room size at the time of scheduling', () => {
    const { timers, tick, peerSet } = setup(5)
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 1, stateJson: '{}' }]))
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 2, stateJson: '{}' }]))
    expect(timers.live()[0]!.delayMs).toBe(defaultFanoutDelay(5))
    timers.run()
    for (let i = 0; i < 200; i++) peerSet.add(new Peer())
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 3, stateJson: '{}' }]))
    expect(timers.live()[0]!.delayMs).toBe(defaultFanoutDelay(205))
  })

  it('sends a lone edit at once while cursors keep the tick busy, and coalesces only bursts of edits', () => {
    const { peers, timers, tick, clock } = setup(30)
    const tickMs = defaultFanoutDelay(30)
    expect(tickMs).toBeGreaterThan(0)
    // Cursors flushed just now: a cursor move waits for the tick...
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 1, stateJson: '{}' }]))
    clock.now += 1
    enqueue(tick, encodeAwareness([{ clientId: 1, clock: 2, stateJson: '{}' }]))
    expect(timers.live().map((t) => t.delayMs)).toEqual([tickMs - 1])
    // ...but the first edit after a quiet spell of edits goes at once, cursors with it.
    const { updates } = edits(5, 3)
    enqueue(tick, encodeSyncUpdate(updates[0]!))
    expect(timers.live()).toHaveLength(0)
    expect(peers[0]!.frames.map((frame) => parseMessage(frame).type)).toEqual(['awareness', 'syncUpdate', 'awareness'])
    // A second edit within the tick is part of a burst: it waits for the tick.
    clock.now += 1
    enqueue(tick, encodeSyncUpdate(updates[1]!))
    expect(timers.live().map((t) => t.delayMs)).toEqual([tickMs - 1])
  })
})
