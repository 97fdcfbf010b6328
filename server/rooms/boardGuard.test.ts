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
