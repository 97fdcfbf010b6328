import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import type { BoardRecord } from '../../shared/boardRecords.ts'
import { boardRecordsOf, shapeRecord } from '../../tests/helpers/clients.ts'
import { checkBoardUpdate, createBoardGuard } from './boardGuard.ts'
import { inspectUpdate } from './updateInspection.ts'

const limits = { maxRecordBytes: 16_384, maxRecordDepth: 12 }

/** The server's board and a participant's copy of it, in sync. */
function boards() {
  const server = new Y.Doc()
  server.getArray(BoardRoot.records).push([{ key: 'seed', val: {} }])
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  return { server, client, records: new KeyValueArray<BoardRecord>(server.getArray(BoardRoot.records)) }
}

/** What `change` did to the client's doc, as the update it would send. */
function updateOf(client: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(client)
  client.transact(change)
  return Y.encodeStateAsUpdate(client, before)
}

describe('checkBoardUpdate', () => {
  it('places a long chain of entries each inserted before the last, made and deleted in one go (each walked once)', () => {
    const { server, client, records } = boards()
    const yarray = client.getArray(BoardRoot.records)
    // Each entry is the right origin of the next, so the chain leads back to the array only at its end.
    const update = updateOf(client, () => {
      for (let i = 0; i < 3_000; i++) yarray.insert(0, [{ key: `k${i}`, val: {} }])
      yarray.delete(0, 3_000)
    })
    const check = checkBoardUpdate(inspectUpdate(server, update), server, records, limits)
    expect(check.reason).toBeNull()
  })

  it('refuses every entry of a chain that leads outside the records', () => {
    const { server, client, records } = boards()
    const elsewhere = client.getArray('elsewhere')
    const update = updateOf(client, () => {
      for (let i = 0; i < 50; i++) elsewhere.insert(0, [{ key: `k${i}`, val: {} }])
    })
    expect(checkBoardUpdate(inspectUpdate(server, update), server, records, limits).reason).toBe('writes outside the board records are not allowed')
  })

  it('counts deleted history against a share: a chain of entries made and deleted fills it, a card moved offline does not', () => {
    const { server, client, records } = boards()
    const guard = createBoardGuard(() => records, { ...limits, foreignDeletesPerMinute: 100, boardBytesPerParticipant: 16 * 1024 })
    const yarray = client.getArray(BoardRoot.records)
    const apply = (actorKey: string, update: Uint8Array) => {
      const refusal = guard(inspectUpdate(server, update), server, { actorKey })
      if (refusal === null) Y.applyUpdate(server, update)
      return refusal
    }
    // The same record replaced 500 times before it reaches the server, as a card moved offline.
    const clientRecords = boardRecordsOf(client)
    const moved = updateOf(client, () => {
      for (let i = 0; i < 500; i++) clientRecords.set('shape:moved', shapeRecord('moved', { x: i }))
    })
    expect(apply('participant:a', moved)).toBeNull()
    // 2,000 entries each put before the last and deleted: nothing to see, but 2,000 structs kept for good.
    const chain = (from: number) =>
      updateOf(client, () => {
        for (let i = 0; i < 2_000; i++) yarray.insert(0, [{ key: `k${from + i}`, val: {} }])
        yarray.delete(0, 2_000)
      })
    expect(apply('participant:b', chain(0))).toMatchObject({ reason: 'board_quota' })
  })
})

describe('the walk Yjs takes to place new items, and deleted history', () => {
  const guardLimits = { ...limits, foreignDeletesPerMinute: 100, boardBytesPerParticipant: 16 * 1024 }

  /** The server's board, a participant who keeps up with it, and one who stopped hearing it after the seed. */
  function threeBoards() {
    const { server, client, records } = boards()
    const stale = new Y.Doc()
    Y.applyUpdate(stale, Y.encodeStateAsUpdate(server))
    const guard = createBoardGuard(() => records, guardLimits)
    const apply = (actorKey: string, update: Uint8Array) => {
      const refusal = guard(inspectUpdate(server, update), server, { actorKey })
      if (refusal === null) Y.applyUpdate(server, update)
      return refusal
    }
    return { server, client, stale, apply }
  }

  it('refuses records placed before tens of thousands of entries their sender never saw, and lets an honest late append through', () => {
    const { server, stale, apply } = threeBoards()
    // 60,000 entries inserted at the front and deleted, already on the server (each its own struct).
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(server))
    const otherArray = other.getArray(BoardRoot.records)
    const front = updateOf(other, () => {
      for (let i = 0; i < 60_000; i++) otherArray.insert(0, [{ key: `f${i}`, val: {} }])
      otherArray.delete(0, 60_000)
    })
    Y.applyUpdate(server, front)
    // The stale copy puts records at the front too: Yjs would walk all 60,000 for each one.
    const staleArray = stale.getArray(BoardRoot.records)
    const before = updateOf(stale, () => {
      for (let i = 0; i < 20; i++) staleArray.insert(0, [{ key: `shape:b${i}`, val: shapeRecord(`b${i}`) }])
    })
    expect(apply('participant:b', before)).toMatchObject({ reason: 'board_walk', closeCode: 4429 })
    // Appending after what it last saw is what clients do: that walk is the entries since.
    const late = new Y.Doc()
    Y.applyUpdate(late, Y.encodeStateAsUpdate(server))
    const lateArray = late.getArray(BoardRoot.records)
    for (let i = 0; i < 1_000; i++) Y.applyUpdate(server, updateOf(other, () => otherArray.push([{ key: `shape:o${i}`, val: shapeRecord(`o${i}`) }])))
    expect(apply('participant:c', updateOf(late, () => lateArray.push([{ key: 'shape:c', val: shapeRecord('c') }])))).toBeNull()
  })

  it('refuses many new items squeezed in at one place (each would walk past all the others)', () => {
    const { server, apply } = threeBoards()
    // 100 copies each appending after the seed, without seeing the others, sent as one update.
    const appends = Array.from({ length: 100 }, (_, i) => {
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(server))
      return updateOf(copy, () => copy.getArray(BoardRoot.records).push([{ key: `shape:s${i}`, val: shapeRecord(`s${i}`) }]))
    })
    expect(apply('participant:b', Y.mergeUpdates(appends))).toBe('new board items must follow the items they were added after')
    // A few at once, as after a restart that lost a moment of edits, are fine.
    expect(apply('participant:b', Y.mergeUpdates(appends.slice(0, 10)))).toBeNull()
  })

  /**
   * Records put at the front and deleted in turn, each in its own update, until the guard refuses:
   * how many it took. Each leaves a deleted struct that nothing merges with.
   */
  function churnUntilRefused(actorKey: string): { cycles: number; refusal: unknown } {
    const { client, apply } = threeBoards()
    const yarray = client.getArray(BoardRoot.records)
    let refusal: unknown = null
    let cycles = 0
    for (; cycles < 10_000 && refusal === null; cycles++) {
      refusal = apply(actorKey, updateOf(client, () => yarray.insert(0, [{ key: `shape:c${cycles}`, val: shapeRecord(`c${cycles}`) }])))
      if (refusal === null) refusal = apply(actorKey, updateOf(client, () => yarray.delete(0, 1)))
    }
    return { cycles, refusal }
  }

  it('never refuses one person dragging a card, however long: the deleted versions merge', () => {
    const { client, apply } = threeBoards()
    const records = boardRecordsOf(client)
    // Over twice what the share (16 KiB) would allow at 16 bytes a move.
    for (let i = 0; i < 2_500; i++) expect(apply('participant:a', updateOf(client, () => records.set('shape:dragged', shapeRecord('dragged', { x: i }))))).toBeNull()
  })

  it('charges records made and then deleted, in separate updates, so one person cannot fill the board with deleted history', () => {
    const participant = churnUntilRefused('participant:a')
    expect(participant.refusal).toMatchObject({ reason: 'board_quota' })
    // 16 KiB of share, 16 bytes per deleted struct.
    expect(participant.cycles).toBeLessThan(1_100)
  })

  it('gives the facilitator a share too, bigger than a participant’s', () => {
    const participant = churnUntilRefused('participant:a')
    const facilitator = churnUntilRefused('facilitator')
    expect(facilitator.refusal).toMatchObject({ reason: 'board_quota' })
    expect(facilitator.cycles).toBeGreaterThan(3 * participant.cycles)
  })
})
