import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, eventually, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

describe('board sync with real y-websocket providers', () => {
  let server: TestServer
  const clients: ProviderClient[] = []
  const connect = (...args: Parameters<typeof connectClient> extends [unknown, ...infer R] ? R : never) => {
    const client = connectClient(server, ...args)
    clients.push(client)
    return client
  }

  beforeEach(async () => {
    server = await startTestServer()
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server.dispose()
  })

  it('converges two clients and gives a late joiner everything', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const bob = await joinWorkshop(server, workshop.workshopId)
    const a = connect(workshop.workshopId, 'board', alice.token)
    const b = connect(workshop.workshopId, 'board', bob.token)
    await Promise.all([whenSynced(a), whenSynced(b)])

    a.doc.getMap('m').set('from-a', 1)
    b.doc.getMap('m').set('from-b', 2)
    await eventually(() => {
      expect(a.doc.getMap('m').toJSON()).toEqual({ 'from-a': 1, 'from-b': 2 })
      expect(b.doc.getMap('m').toJSON()).toEqual({ 'from-a': 1, 'from-b': 2 })
    })

    const carol = await joinWorkshop(server, workshop.workshopId)
    const c = connect(workshop.workshopId, 'board', carol.token)
    await whenSynced(c)
    await eventually(() => expect(c.doc.getMap('m').toJSON()).toEqual({ 'from-a': 1, 'from-b': 2 }))
  })

  it('restores every document exactly after a restart on the same data dir', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const a = connect(workshop.workshopId, 'board', alice.token)
    await whenSynced(a)
    for (let i = 0; i < 50; i++) a.doc.getArray('shapes').push([{ i }])
    const before = await eventually(() => {
      const room = server.rooms.acquire(workshop.workshopId)
      server.rooms.release(room)
      expect(room.board.doc.getArray('shapes').length).toBe(50)
      return { board: Y.encodeStateAsUpdate(room.board.doc), state: Y.encodeStateAsUpdate(room.state.doc) }
    })
    a.destroy()
    clients.length = 0

    server = await server.restart()
    const room = server.rooms.acquire(workshop.workshopId)
    server.rooms.release(room)
    expect(Y.encodeStateAsUpdate(room.board.doc)).toEqual(before.board)
    expect(Y.encodeStateAsUpdate(room.state.doc)).toEqual(before.state)

    const again = connect(workshop.workshopId, 'board', alice.token)
    await whenSynced(again)
    expect(again.doc.getArray('shapes').length).toBe(50)
  })
})
