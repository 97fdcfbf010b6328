import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { boardRecordsOf, eventually, serverPerTest, shapeRecord, whenSynced } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

describe('board sync with real y-websocket providers', () => {
  const fixture = serverPerTest({ captureLogs: true })
  const connect = fixture.connect.bind(fixture)

  /** A new workshop with two people on its board, both synced. */
  const twoOnTheBoard = async () => {
    const workshop = await createWorkshop(fixture.server)
    const [alice, bob] = [await joinWorkshop(fixture.server, workshop.workshopId), await joinWorkshop(fixture.server, workshop.workshopId)]
    const a = connect(workshop.workshopId, 'board', alice.token)
    const b = connect(workshop.workshopId, 'board', bob.token)
    await Promise.all([whenSynced(a), whenSynced(b)])
    return { workshop, a, b }
  }

  it('converges two clients and gives a late joiner everything', async () => {
    const { server } = fixture
    const { workshop, a, b } = await twoOnTheBoard()

    const ra = boardRecordsOf(a.doc)
    const rb = boardRecordsOf(b.doc)
    ra.set('shape:from-a', shapeRecord('from-a'))
    rb.set('shape:from-b', shapeRecord('from-b'))
    const shapeIds = (doc: Y.Doc) => [...boardRecordsOf(doc).keys()].filter((key) => key.startsWith('shape:from')).sort()
    await eventually(() => {
      expect(shapeIds(a.doc)).toEqual(['shape:from-a', 'shape:from-b'])
      expect(shapeIds(b.doc)).toEqual(['shape:from-a', 'shape:from-b'])
    })

    const carol = await joinWorkshop(server, workshop.workshopId)
    const c = connect(workshop.workshopId, 'board', carol.token)
    await whenSynced(c)
    await eventually(() => expect(shapeIds(c.doc)).toEqual(['shape:from-a', 'shape:from-b']))
  })

  it('takes several edits made offline to the same card, and to a card made offline, when the client comes back', async () => {
    const { server } = fixture
    const { a, b } = await twoOnTheBoard()
    const records = boardRecordsOf(a.doc)
    records.set('shape:moved', shapeRecord('moved', { x: 0 }))
    await eventually(() => expect(boardRecordsOf(b.doc).get('shape:moved')).toMatchObject({ x: 0 }))

    // Each set replaces the record's entry: offline, the entries in between are made and deleted
    // here without the server ever seeing them, and reach it as deleted history.
    a.provider.disconnect()
    for (const x of [10, 20, 30]) records.set('shape:moved', shapeRecord('moved', { x }))
    records.set('shape:offline', shapeRecord('offline', { x: 1 }))
    records.set('shape:offline', shapeRecord('offline', { x: 2 }))
    a.provider.connect()

    await eventually(() => {
      expect(boardRecordsOf(b.doc).get('shape:moved')).toMatchObject({ x: 30 })
      expect(boardRecordsOf(b.doc).get('shape:offline')).toMatchObject({ x: 2 })
    }, 10_000)
    expect(server.logs.join('\n')).not.toContain('ws.refused')
  })

  it('gives joiners the board as it is now when others edit between joins (cached join state)', async () => {
    const { server } = fixture
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const a = connect(workshop.workshopId, 'board', alice.token)
    await whenSynced(a)
    const records = boardRecordsOf(a.doc)
    const serverBoard = () => {
      const room = server.rooms.acquire(workshop.workshopId)
      server.rooms.release(room)
      return room.board.doc
    }
    const snapshot = (doc: Y.Doc) => {
      const kv = boardRecordsOf(doc)
      return Object.fromEntries([...kv.keys()].sort().map((key) => [key, kv.get(key)]))
    }
    const sameAsServer = (doc: Y.Doc) => expect(snapshot(doc)).toEqual(snapshot(serverBoard()))
    const joinAndCompare = async (expectedMoves: number) => {
      const person = await joinWorkshop(server, workshop.workshopId)
      const joiner = connect(workshop.workshopId, 'board', person.token)
      await whenSynced(joiner)
      // Complete the moment the provider says synced, not a frame later.
      expect(boardRecordsOf(joiner.doc).get('shape:moving')).toMatchObject({ x: expectedMoves })
      sameAsServer(joiner.doc)
    }

    records.set('shape:moving', shapeRecord('moving', { x: 0 }))
    await eventually(() => expect(boardRecordsOf(serverBoard()).get('shape:moving')).toBeDefined())
    // The first joiner makes the server encode a base; later joiners get it plus the moves since.
    await joinAndCompare(0)
    for (let round = 1; round <= 3; round++) {
      for (let move = 1; move <= 10; move++) records.set('shape:moving', shapeRecord('moving', { x: (round - 1) * 10 + move }))
      records.set(`shape:added-${round}`, shapeRecord(`added-${round}`))
      await eventually(() => expect(boardRecordsOf(serverBoard()).get(`shape:added-${round}`)).toBeDefined())
      await joinAndCompare(round * 10)
    }
  })

  it('restores every document exactly after a restart on the same data dir', async () => {
    const { server: first } = fixture
    const workshop = await createWorkshop(first)
    const alice = await joinWorkshop(first, workshop.workshopId)
    const a = connect(workshop.workshopId, 'board', alice.token)
    await whenSynced(a)
    const records = boardRecordsOf(a.doc)
    for (let i = 0; i < 50; i++) records.set(`shape:n${i}`, shapeRecord(`n${i}`, { x: i }))
    const before = await eventually(() => {
      const room = first.rooms.acquire(workshop.workshopId)
      first.rooms.release(room)
      expect([...room.boardRecords.keys()].filter((key) => key.startsWith('shape:n'))).toHaveLength(50)
      return { board: Y.encodeStateAsUpdate(room.board.doc), state: Y.encodeStateAsUpdate(room.state.doc) }
    })
    const server = await fixture.restart()
    const room = server.rooms.acquire(workshop.workshopId)
    server.rooms.release(room)
    expect(Y.encodeStateAsUpdate(room.board.doc)).toEqual(before.board)
    expect(Y.encodeStateAsUpdate(room.state.doc)).toEqual(before.state)

    const again = connect(workshop.workshopId, 'board', alice.token)
    await whenSynced(again)
    expect(boardRecordsOf(again.doc).get('shape:n49')).toMatchObject({ x: 49 })
  })
})
