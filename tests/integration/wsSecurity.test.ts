import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import { boardRecordsOf, closeCodeAfter, connectClient, eventually, serverPerTest, shapeRecord, upgradeStatus, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { roomOf, syncUpdateFrame } from '../helpers/adversary.ts'


describe('websocket auth, read-only state and bad frames', () => {
  let server: TestServer
  const clients: ProviderClient[] = []
  const wsUrl = (workshopId: string, doc: string, token?: string) =>
    `${server.url.replace('http', 'ws')}/ws/${workshopId}/${doc}${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`

  beforeEach(async () => {
    server = await startTestServer({ config: { limits: { ...(await import('../../server/config.ts')).defaultLimits, maxFrameBytes: 64 * 1024 } } })
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server.dispose()
  })

  it('refuses the upgrade with 401 for a missing or unknown token and loads no room', async () => {
    const workshop = await createWorkshop(server)
    expect(await upgradeStatus(wsUrl(workshop.workshopId, 'board'))).toBe(401)
    expect(await upgradeStatus(wsUrl(workshop.workshopId, 'board', 'not-a-real-token'))).toBe(401)
    expect(server.rooms.isLoaded(workshop.workshopId)).toBe(false)
  })

  it('refuses with 403 a token from another workshop, and 404 an unknown workshop or doc', async () => {
    const first = await createWorkshop(server)
    const second = await createWorkshop(server)
    const participant = await joinWorkshop(server, first.workshopId)
    expect(await upgradeStatus(wsUrl(second.workshopId, 'board', participant.token))).toBe(403)
    expect(await upgradeStatus(wsUrl(second.workshopId, 'board', first.facilitatorKey))).toBe(401)
    expect(await upgradeStatus(wsUrl('no-such-workshop', 'board', participant.token))).toBe(404)
    expect(await upgradeStatus(wsUrl(first.workshopId, 'secrets', participant.token))).toBe(404)
    expect(server.rooms.isLoaded(second.workshopId)).toBe(false)
  })

  it('refuses a foreign or null Origin with 403 and accepts its own origin', async () => {
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const url = wsUrl(workshop.workshopId, 'board', token)
    expect(await upgradeStatus(url, { origin: 'https://evil.example' })).toBe(403)
    expect(await upgradeStatus(url, { origin: 'null' })).toBe(403)
    expect(await upgradeStatus(url, { origin: server.url.replace('127.0.0.1', '127.0.0.1.evil.example') })).toBe(403)
    expect(await upgradeStatus(url, { origin: server.url })).toBe(101)
  })

  it('never applies, stores or broadcasts a client write to the state doc', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const bob = await joinWorkshop(server, workshop.workshopId)
    const a = connectClient(server, workshop.workshopId, 'state', alice.token)
    const b = connectClient(server, workshop.workshopId, 'state', bob.token)
    clients.push(a, b)
    await Promise.all([whenSynced(a), whenSynced(b)])
    expect(a.doc.getMap('workshop').get('title')).toBe('Our shared vision, March')

    const closed = new Promise<number>((resolve) => a.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))
    a.doc.getMap('workshop').set('title', 'Forged by Alice')
    expect(await closed).toBe(CloseCode.readOnly)

    const room = server.rooms.acquire(workshop.workshopId)
    server.rooms.release(room)
    expect(room.state.doc.getMap('workshop').get('title')).toBe('Our shared vision, March')
    // Bob stays connected and never sees the forged title.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(b.provider.wsconnected).toBe(true)
    expect(b.doc.getMap('workshop').get('title')).toBe('Our shared vision, March')
    server = await server.restart()
    const reloaded = server.rooms.acquire(workshop.workshopId)
    server.rooms.release(reloaded)
    expect(reloaded.state.doc.getMap('workshop').get('title')).toBe('Our shared vision, March')
  })

  it('accepts the empty sync step 2 every provider sends to the state doc', async () => {
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const client = connectClient(server, workshop.workshopId, 'state', token)
    clients.push(client)
    await whenSynced(client)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(client.provider.wsconnected).toBe(true)
  })

  it('closes only the socket that sends an oversized frame, text or garbage, and keeps serving others', async () => {
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const watcher = connectClient(server, workshop.workshopId, 'board', token)
    clients.push(watcher)
    await whenSynced(watcher)
    const url = wsUrl(workshop.workshopId, 'board', token)

    expect(await closeCodeAfter(url, [Buffer.alloc(100 * 1024, 1)])).toBe(CloseCode.messageTooBig)
    expect(await closeCodeAfter(url, ['hello'])).toBe(CloseCode.badFrame)
    expect(await closeCodeAfter(url, [Buffer.from([0, 2, 200, 1, 2, 3])])).toBe(CloseCode.badFrame)
    expect(await closeCodeAfter(url, [Buffer.from([0, 2, 5, 255, 255, 255, 255, 255])])).toBe(CloseCode.badFrame)
    expect(await closeCodeAfter(url, [Buffer.from([9])])).toBe(CloseCode.badFrame)
    expect(await closeCodeAfter(url, [Buffer.alloc(0)])).toBe(CloseCode.badFrame)

    // An update that depends on content the server never saw is refused, not parked as pending.
    const origin = new Y.Doc()
    origin.getArray('a').insert(0, ['first'])
    const follower = new Y.Doc()
    Y.applyUpdate(follower, Y.encodeStateAsUpdate(origin))
    const before = Y.encodeStateVector(follower)
    follower.getArray('a').insert(1, ['second'])
    const dependent = Y.encodeStateAsUpdate(follower, before)
    expect(await closeCodeAfter(url, [syncUpdateFrame(dependent)])).toBe(CloseCode.badFrame)

    // The watcher is still connected and still syncs.
    const other = await joinWorkshop(server, workshop.workshopId)
    const writer = connectClient(server, workshop.workshopId, 'board', other.token)
    clients.push(writer)
    await whenSynced(writer)
    boardRecordsOf(writer.doc).set('shape:still', shapeRecord('still'))
    await eventually(() => expect(boardRecordsOf(watcher.doc).has('shape:still')).toBe(true))
    const room = server.rooms.acquire(workshop.workshopId)
    server.rooms.release(room)
    expect(room.board.doc.store.pendingStructs).toBeNull()
  })

  it('refuses board updates written under another live connection’s clientID', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const mallory = await joinWorkshop(server, workshop.workshopId)
    const a = connectClient(server, workshop.workshopId, 'board', alice.token)
    clients.push(a)
    await whenSynced(a)
    boardRecordsOf(a.doc).set('shape:alice', shapeRecord('alice', { x: 1 }))
    await eventually(() => {
      const room = server.rooms.acquire(workshop.workshopId)
      server.rooms.release(room)
      expect(room.boardRecords.get('shape:alice')).toMatchObject({ x: 1 })
    })

    // Mallory crafts an update that claims to come from Alice's clientID.
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(a.doc))
    // Set after applying: Yjs would otherwise notice the clash and pick a new id itself.
    forged.clientID = a.doc.clientID
    const sv = Y.encodeStateVector(forged)
    boardRecordsOf(forged).set('shape:alice', shapeRecord('alice', { x: 666 }))
    const update = Y.encodeStateAsUpdate(forged, sv)
    const code = await closeCodeAfter(wsUrl(workshop.workshopId, 'board', mallory.token), [syncUpdateFrame(update)])
    expect(code).toBe(CloseCode.readOnly)
    const room = server.rooms.acquire(workshop.workshopId)
    server.rooms.release(room)
    expect(room.boardRecords.get('shape:alice')).toMatchObject({ x: 1 })
  })

  it('lets a page whose old socket has not timed out yet (a phone that changed networks) carry on at once', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const bob = await joinWorkshop(server, workshop.workshopId)
    const old = connectClient(server, workshop.workshopId, 'board', alice.token)
    const watcher = connectClient(server, workshop.workshopId, 'board', bob.token)
    clients.push(old, watcher)
    await Promise.all([whenSynced(old), whenSynced(watcher)])
    boardRecordsOf(old.doc).set('shape:phone', shapeRecord('phone', { x: 1 }))
    await eventually(() => expect(boardRecordsOf(watcher.doc).get('shape:phone')).toMatchObject({ x: 1 }))
    // The old socket stays open on the server, as one on a network the phone has left does.
    old.provider.shouldConnect = false
    const closed = new Promise<number>((resolve) => old.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))
    // The same page (its doc, its clientID) on the new network, with an edit made meanwhile.
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(old.doc))
    doc.clientID = old.doc.clientID
    boardRecordsOf(doc).set('shape:phone', shapeRecord('phone', { x: 2 }))
    const moved = connectClient(server, workshop.workshopId, 'board', alice.token, doc)
    clients.push(moved)
    await eventually(() => expect(boardRecordsOf(watcher.doc).get('shape:phone')).toMatchObject({ x: 2 }), 5_000)
    expect(await closed).toBe(CloseCode.replaced)
  })

  it('keeps serving after a raw socket disconnects mid-handshake', async () => {
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const ws = new WebSocket(wsUrl(workshop.workshopId, 'board', token))
    await new Promise((resolve) => ws.on('open', resolve))
    ws.terminate()
    const client = connectClient(server, workshop.workshopId, 'board', token)
    clients.push(client)
    await whenSynced(client)
  })
})

describe('dead peers', () => {
  const fixture = serverPerTest({ config: { pingIntervalMs: 150 } })

  const open = (url: string, autoPong: boolean) =>
    new Promise<{ socket: WebSocket; closed: Promise<number> }>((resolve, reject) => {
      const socket = new WebSocket(url, { autoPong })
      const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)))
      socket.on('open', () => resolve({ socket, closed }))
      socket.on('error', reject)
    })

  it('closes a socket that answers no ping and sends nothing, and keeps one that answers', async () => {
    const server = fixture.server
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const url = `${server.url.replace('http', 'ws')}/ws/${workshop.workshopId}/board?token=${encodeURIComponent(token)}`
    const silent = await open(url, false)
    const answering = await open(url, true)
    try {
      // Cut without a close handshake: a peer that answers no ping would not answer that either.
      expect(await silent.closed).toBe(1006)
      expect(roomOf(server, workshop.workshopId).board.connectionCount).toBe(1)
      // Several ping rounds later the answering peer is still there.
      await new Promise((resolve) => setTimeout(resolve, 600))
      expect(answering.socket.readyState).toBe(WebSocket.OPEN)
      expect(roomOf(server, workshop.workshopId).board.connectionCount).toBe(1)
    } finally {
      silent.socket.terminate()
      answering.socket.terminate()
    }
  })
})
