import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { defaultLimits } from '../../server/config.ts'
import { ideaCardId, PAGE_ID, sectionFrameId } from '../../shared/boardRecords.ts'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { AddedIdea } from '../../shared/intents.ts'
import { readIdeas } from '../../shared/stateDoc.ts'
import { craftUpdate, openRaw, outcomeOf, roomOf, sleep, syncStep2Frame, syncUpdateFrame, within, wsUrl } from '../helpers/adversary.ts'
import { boardRecordsOf, connectClient, eventually, shapeRecord, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * Document integrity against a participant with a valid token and a raw socket. (Plain client
 * writes to `state`, squatting a live peer's clientID and forging idea cards are in
 * tests/integration/wsSecurity.test.ts and anonymity.test.ts; these extend them.)
 */

describe('document integrity', () => {
  let server: TestServer
  const clients: ProviderClient[] = []
  beforeAll(async () => {
    server = await startTestServer({ config: { ideaBatchIntervalMs: 50 } })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.dispose()
  })

  const setup = async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const mallory = await joinWorkshop(server, workshop.workshopId)
    const board = () => roomOf(server, workshop.workshopId)
    const serverBoard = () => {
      const copy = new Y.Doc()
      Y.applyUpdate(copy, board().board.encodeState())
      return copy
    }
    /** Sends one update on a fresh socket of `token`; the close code, or 'open' if accepted. */
    const push = async (token: string, update: Uint8Array, doc: 'board' | 'state' = 'board', frame = syncUpdateFrame) => {
      const client = await openRaw(wsUrl(server, workshop.workshopId, doc, token))
      client.send(frame(update))
      const code = await outcomeOf(client)
      client.close()
      return code
    }
    return { workshop, alice, mallory, board, serverBoard, push }
  }

  it('refuses every client change to the state doc, sent as sync step 2 or as a deletion', async () => {
    const { workshop, mallory, push } = await setup()
    const state = () => roomOf(server, workshop.workshopId).state
    const before = Y.encodeStateAsUpdate(state().doc)
    const copy = new Y.Doc()
    Y.applyUpdate(copy, before)
    const forgedTitle = craftUpdate(copy, (doc) => doc.getMap('workshop').set('title', 'Forged'))
    const deleteSections = craftUpdate(copy, (doc) => doc.getMap('sections').forEach((_value, key, map) => map.delete(key)))
    expect(await push(mallory.token, forgedTitle, 'state', syncStep2Frame)).toBe(CloseCode.readOnly)
    expect(await push(mallory.token, deleteSections, 'state')).toBe(CloseCode.readOnly)
    expect(await push(workshop.facilitatorKey, forgedTitle, 'state')).toBe(CloseCode.readOnly)
    expect(Y.encodeStateAsUpdate(state().doc)).toEqual(before)
  })

  it('refuses updates under the server’s clientID or a departed participant’s', async () => {
    const { workshop, alice, mallory, board, serverBoard, push } = await setup()
    const asServer = craftUpdate(serverBoard(), (doc) => boardRecordsOf(doc).set('shape:as-server', shapeRecord('as-server')), board().board.doc.clientID)
    expect(await push(mallory.token, asServer)).toBe(CloseCode.readOnly)

    // Alice writes, then leaves. Her clientID stays hers for as long as the room is loaded.
    const aliceClient = connectClient(server, workshop.workshopId, 'board', alice.token)
    await whenSynced(aliceClient)
    boardRecordsOf(aliceClient.doc).set('shape:alice', shapeRecord('alice'))
    await eventually(() => expect(board().boardRecords.has('shape:alice')).toBe(true))
    const aliceId = aliceClient.doc.clientID
    aliceClient.destroy()
    await sleep(50)
    const asAlice = craftUpdate(serverBoard(), (doc) => boardRecordsOf(doc).set('shape:alice', shapeRecord('alice', { x: 666 })), aliceId)
    expect(await push(mallory.token, asAlice)).toBe(CloseCode.readOnly)
    expect(board().boardRecords.get('shape:alice')).toMatchObject({ x: 0 })
  })

  it('refuses writes to root types, keys and shapes of content the board does not use', async () => {
    const { mallory, board, serverBoard, push } = await setup()
    const base = serverBoard()
    const attempts: [string, (doc: Y.Doc) => void][] = [
      ['a root text', (doc) => doc.getText('notes').insert(0, 'hello')],
      ['a root xml fragment', (doc) => doc.getXmlFragment('xml').insert(0, [new Y.XmlText('x')])],
      ['a root array', (doc) => doc.getArray('shadow').push([{ key: 'shape:x', val: shapeRecord('x') }])],
      ['a nested shared type inside the records', (doc) => doc.getArray('records').push([new Y.Map()])],
      ['a plain string among the records', (doc) => doc.getArray('records').push(['not a record'])],
      ['a record under someone else’s key', (doc) => doc.getArray('records').push([{ key: 'shape:a', val: shapeRecord('b') }])],
      ['a tldraw user record (names people)', (doc) => boardRecordsOf(doc).set('user:me', { id: 'user:me', typeName: 'user', name: 'Alice' })],
      ['a session record (camera)', (doc) => boardRecordsOf(doc).set('camera:page:page', { id: 'camera:page:page', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} })],
    ]
    for (const [name, change] of attempts) expect([name, await push(mallory.token, craftUpdate(base, change))]).toEqual([name, CloseCode.readOnly])
    const after = board().board.doc
    for (const root of ['notes', 'xml', 'shadow']) expect(after.share.has(root)).toBe(false)
    expect(board().boardRecords.size).toBe(new Set(boardRecordsOf(base).keys()).size)
  })

  it('refuses tldraw records that fail tldraw’s own validators, and accepts valid ones', async () => {
    const { mallory, board, serverBoard, push } = await setup()
    const base = serverBoard()
    const geo = (extra: Record<string, unknown>, props: Record<string, unknown> = {}) => {
      const record = shapeRecord('bad', extra)
      return { ...record, props: { ...record.props, ...props } }
    }
    const megabyte = 'x'.repeat(1024 * 1024)
    const invalid: [string, unknown][] = [
      ['NaN coordinates', geo({ x: NaN })],
      ['infinite coordinates', geo({ y: Infinity })],
      ['a javascript: link', geo({}, { url: 'javascript:alert(document.cookie)' })],
      ['a data: link', geo({}, { url: 'data:text/html,<script>alert(1)</script>' })],
      ['a megabyte of label text', geo({}, { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: megabyte }] }] } })],
      ['a megabyte in meta', geo({ meta: { blob: megabyte } })],
      ['an unknown shape type', geo({ type: 'iframe' })],
      ['a missing prop', geo({}, { w: undefined })],
      ['a negative size', geo({}, { w: -5 })],
      ['an unknown colour', geo({}, { color: 'url(javascript:x)' })],
      ['an id of the wrong kind', geo({ id: 'page:bad' })],
      ['a note naming its last editor', {
        ...shapeRecord('bad', { type: 'note' }),
        props: {
          color: 'yellow', labelColor: 'black', size: 'm', font: 'draw', fontSizeAdjustment: 1, align: 'middle', verticalAlign: 'middle',
          growY: 0, url: '', scale: 1, richText: { type: 'doc', content: [{ type: 'paragraph', content: [] }] }, textLastEditedBy: 'user:alice',
        },
      }],
      ['an asset with a javascript: source', {
        id: 'asset:bad', typeName: 'asset', type: 'image', meta: {},
        props: { name: 'x.png', src: 'javascript:alert(1)', w: 10, h: 10, mimeType: 'image/png', isAnimated: false },
      }],
    ]
    for (const [name, value] of invalid) {
      const id = (value as { id: string }).id
      const update = craftUpdate(base, (doc) => boardRecordsOf(doc).set(id, value as Record<string, unknown>))
      expect([name, await push(mallory.token, update)]).toEqual([name, CloseCode.readOnly])
    }
    expect(board().boardRecords.has('shape:bad')).toBe(false)
    expect(board().boardRecords.has('asset:bad')).toBe(false)

    // The same shape, valid, is accepted: the guard refuses bad records, not drawing.
    const valid = craftUpdate(base, (doc) => boardRecordsOf(doc).set('shape:bad', geo({ x: 12.5 }, { url: 'https://example.org/' })))
    expect(await push(mallory.token, valid)).toBe('open')
    expect(board().boardRecords.get('shape:bad')).toMatchObject({ x: 12.5 })
  })

  it('refuses any change to a section frame, and lets cards move into another section or onto the page', async () => {
    const { workshop, alice, mallory, board, serverBoard, push } = await setup()
    const base = `/api/workshops/${workshop.workshopId}`
    await api(server, `${base}/sections/values/ideas`, { body: { text: 'Listen first' }, token: alice.token })
    await api(server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    const cardId = ideaCardId(readIdeas(board().state.doc)[0]!.ideaId)
    const frameId = sectionFrameId('values')
    const frame = board().boardRecords.get(frameId)!
    const props = frame.props as Record<string, unknown>
    // Frames are not locked (so tldraw lets people drag the cards inside), hence every field counts.
    const changes: [string, Record<string, unknown>][] = [
      ['moved', { x: 500 }],
      ['resized', { props: { ...props, w: 3000 } }],
      ['renamed', { props: { ...props, name: 'Mine now' } }],
      ['locked', { isLocked: true }],
      ['rotated', { rotation: 1 }],
      ['faded out', { opacity: 0 }],
      ['put inside another section', { parentId: sectionFrameId('vision'), x: 0 }],
      ['sent behind', { index: 'a0' }],
    ]
    const before = serverBoard()
    for (const [name, change] of changes) {
      const update = craftUpdate(before, (doc) => boardRecordsOf(doc).set(frameId, { ...frame, ...change }))
      expect([name, await push(mallory.token, update)]).toEqual([name, CloseCode.readOnly])
    }
    expect(board().boardRecords.get(frameId)).toEqual(frame)

    // tldraw re-parents a card dropped over another section, or outside every section.
    for (const parentId of [sectionFrameId('ground-rules'), PAGE_ID]) {
      const now = serverBoard()
      const card = boardRecordsOf(now).get(cardId)!
      expect(await push(mallory.token, craftUpdate(now, (doc) => boardRecordsOf(doc).set(cardId, { ...card, parentId, x: 40, y: 80 })))).toBe('open')
      expect(board().boardRecords.get(cardId)).toMatchObject({ parentId, x: 40, y: 80 })
    }
  })

  it('applies nothing a socket sends after it was refused, even frames already on the wire', async () => {
    // Used to happen: the frames behind a refused one were still handled and applied.
    const { mallory, board, serverBoard } = await setup()
    const base = serverBoard()
    // Same clientID for both, as one real client would use.
    const refused = craftUpdate(base, (doc) => boardRecordsOf(doc).set('shape:nan', shapeRecord('nan', { x: NaN })), 4242)
    const behind = craftUpdate(base, (doc) => boardRecordsOf(doc).set('shape:behind', shapeRecord('behind')), 4242)
    const client = await openRaw(wsUrl(server, board().workshopId, 'board', mallory.token))
    client.send(syncUpdateFrame(refused))
    for (let i = 0; i < 5; i++) client.send(syncUpdateFrame(behind))
    expect(await within(client.closed, 15_000, 'open')).toBe(CloseCode.readOnly)
    await sleep(50)
    expect(board().boardRecords.has('shape:behind')).toBe(false)
  })

  it('lets a participant delete their own shapes freely but not wipe other people’s', async () => {
    const { workshop, alice, mallory, board } = await setup()
    const aliceClient = connectClient(server, workshop.workshopId, 'board', alice.token)
    const malloryClient = connectClient(server, workshop.workshopId, 'board', mallory.token)
    clients.push(aliceClient, malloryClient)
    await Promise.all([whenSynced(aliceClient), whenSynced(malloryClient)])
    const limit = defaultLimits.foreignDeletesPerMinute
    const aliceRecords = boardRecordsOf(aliceClient.doc)
    const malloryRecords = boardRecordsOf(malloryClient.doc)
    aliceClient.doc.transact(() => {
      for (let i = 0; i < limit + 40; i++) aliceRecords.set(`shape:alice-${i}`, shapeRecord(`alice-${i}`))
    })
    malloryClient.doc.transact(() => {
      for (let i = 0; i < 100; i++) malloryRecords.set(`shape:mallory-${i}`, shapeRecord(`mallory-${i}`))
    })
    await eventually(() => expect(board().boardRecords.size).toBeGreaterThanOrEqual(limit + 140))
    await eventually(() => expect(malloryRecords.has(`shape:alice-${limit + 39}`)).toBe(true))

    // Mallory removes all of her own: fine.
    malloryClient.doc.transact(() => {
      for (let i = 0; i < 100; i++) malloryRecords.delete(`shape:mallory-${i}`)
    })
    await eventually(() => expect(board().boardRecords.has('shape:mallory-99')).toBe(false))
    expect(malloryClient.provider.wsconnected).toBe(true)

    // Moving someone's shape first does not make it hers.
    malloryRecords.set('shape:alice-0', { ...malloryRecords.get('shape:alice-0')!, x: 300 })
    await eventually(() => expect(board().boardRecords.get('shape:alice-0')).toMatchObject({ x: 300 }))

    // A few of Alice's: fine. All of them at once: refused, and nothing of it applied.
    const closed = new Promise<number>((resolve) => malloryClient.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))
    malloryRecords.delete('shape:alice-1')
    await eventually(() => expect(board().boardRecords.has('shape:alice-1')).toBe(false))
    malloryClient.doc.transact(() => {
      for (let i = 0; i < limit + 40; i++) malloryRecords.delete(`shape:alice-${i}`)
    })
    expect(await closed).toBe(CloseCode.readOnly)
    malloryClient.destroy()
    expect(board().boardRecords.has('shape:alice-0')).toBe(true)
    expect(board().boardRecords.has(`shape:alice-${limit + 39}`)).toBe(true)

    // The facilitator moderates: not limited.
    const facilitator = connectClient(server, workshop.workshopId, 'board', workshop.facilitatorKey)
    clients.push(facilitator)
    await whenSynced(facilitator)
    const facilitatorRecords = boardRecordsOf(facilitator.doc)
    facilitator.doc.transact(() => {
      for (let i = 0; i < limit + 40; i++) facilitatorRecords.delete(`shape:alice-${i}`)
    })
    await eventually(() => expect(board().boardRecords.has(`shape:alice-${limit + 39}`)).toBe(false))
    expect(facilitator.provider.wsconnected).toBe(true)
  })

  it('treats replayed updates as no-ops: nothing duplicated, nothing resurrected', async () => {
    const { workshop, alice, mallory, board } = await setup()
    const aliceClient = connectClient(server, workshop.workshopId, 'board', alice.token)
    clients.push(aliceClient)
    await whenSynced(aliceClient)
    const captured: Uint8Array[] = []
    aliceClient.doc.on('update', (update: Uint8Array) => captured.push(update))
    const aliceRecords = boardRecordsOf(aliceClient.doc)
    aliceRecords.set('shape:replayed', shapeRecord('replayed'))
    aliceRecords.delete('shape:replayed')
    await eventually(() => expect(board().board.doc.store.clients.has(aliceClient.doc.clientID)).toBe(true))
    await eventually(() => expect(board().boardRecords.has('shape:replayed')).toBe(false))
    const before = board().board.encodeState()

    // Mallory captured Alice's creation and replays it, twice, on one socket and on another.
    const socket = await openRaw(wsUrl(server, workshop.workshopId, 'board', mallory.token))
    socket.send(syncUpdateFrame(captured[0]!))
    socket.send(syncUpdateFrame(captured[0]!))
    const second = await openRaw(wsUrl(server, workshop.workshopId, 'board', alice.token))
    second.send(syncUpdateFrame(Y.mergeUpdates(captured)))
    await sleep(200)
    expect(socket.isOpen && second.isOpen).toBe(true)
    expect(board().boardRecords.has('shape:replayed')).toBe(false)
    expect(board().board.encodeState()).toEqual(before)
    socket.close()
    second.close()
  })

  it('makes one idea from ten concurrent retries of one intent', async () => {
    const { workshop, alice } = await setup()
    const path = `/api/workshops/${workshop.workshopId}/sections/values/ideas`
    const headers = { 'idempotency-key': 'flaky-phone-1' }
    const responses = await Promise.all(Array.from({ length: 10 }, () => api<AddedIdea>(server, path, { body: { text: 'Sent ten times' }, token: alice.token, headers })))
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([201]))
    expect(new Set(responses.map((response) => response.body.ideaId)).size).toBe(1)
    expect(new Set(responses.map((response) => response.body.authorKey)).size).toBe(1)
    const stored = server.db.prepare("SELECT COUNT(*) AS n FROM ideas WHERE workshop_id = ? AND text = 'Sent ten times'").get(workshop.workshopId) as { n: number }
    expect(stored.n).toBe(1)
    // A replay by someone else with the same key is a different intent, not Alice's idea.
    const bob = await joinWorkshop(server, workshop.workshopId)
    const other = await api<AddedIdea>(server, path, { body: { text: 'Sent ten times' }, token: bob.token, headers })
    expect(other.body.ideaId).not.toBe(responses[0]!.body.ideaId)
    await api(server, `/api/workshops/${workshop.workshopId}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    await eventually(() => expect(server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc, 'values'))).toHaveLength(2))
  })
})

describe('document size', () => {
  it('refuses edits past the board size limit with 4413, still allows tidying, and keeps others working', async () => {
    const limit = 96 * 1024
    const server = await startTestServer({ config: { limits: { ...defaultLimits, maxBoardBytes: limit } } })
    try {
      const workshop = await createWorkshop(server)
      const alice = await joinWorkshop(server, workshop.workshopId)
      const client = connectClient(server, workshop.workshopId, 'board', alice.token)
      await whenSynced(client)
      const closed = new Promise<number>((resolve) => client.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))
      const filler = 'y'.repeat(4000)
      const records = boardRecordsOf(client.doc)
      for (let i = 0; i < 40; i++) records.set(`shape:fill-${i}`, shapeRecord(`fill-${i}`, { meta: { filler } }))
      expect(await closed).toBe(CloseCode.tooLarge)
      client.destroy()
      const board = roomOf(server, workshop.workshopId).board
      expect(board.encodeState().length).toBeLessThanOrEqual(limit)

      // Someone else can still delete to make room, and then draw again.
      const bob = connectClient(server, workshop.workshopId, 'board', workshop.facilitatorKey)
      await whenSynced(bob)
      const bobRecords = boardRecordsOf(bob.doc)
      const present = [...bobRecords.keys()].filter((key) => key.startsWith('shape:fill-'))
      expect(present.length).toBeGreaterThan(0)
      bob.doc.transact(() => present.forEach((key) => bobRecords.delete(key)))
      await eventually(() => expect(roomOf(server, workshop.workshopId).boardRecords.has(present[0]!)).toBe(false))
      await sleep(1100)
      bobRecords.set('shape:after', shapeRecord('after'))
      await eventually(() => expect(roomOf(server, workshop.workshopId).boardRecords.has('shape:after')).toBe(true))
      expect(bob.provider.wsconnected).toBe(true)
      bob.destroy()
    } finally {
      await server.dispose()
    }
  })
})
