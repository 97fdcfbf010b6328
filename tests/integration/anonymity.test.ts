import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import { newPresenceKey } from '../../shared/presence.ts'
import type { AddedIdea } from '../../shared/intents.ts'
import { readIdeas } from '../../shared/stateDoc.ts'
import { boardRecordsOf, closeCodeAfter, connectClient, eventually, presenceNamed, shapeRecord, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { FrameRecorder } from '../helpers/recorder.ts'
import { awarenessFrame, syncUpdateFrame } from '../helpers/adversary.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'


describe('nobody can tell who wrote an idea', () => {
  let server: TestServer
  const clients: ProviderClient[] = []
  beforeAll(async () => {
    server = await startTestServer({ captureLogs: true })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server.dispose()
  })
  const ws = (workshopId: string, doc: string, token: string) => `${server.url.replace('http', 'ws')}/ws/${workshopId}/${doc}?token=${token}`

  it('shows no idea text before reveal, and afterwards only server-authored structs carry it', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const bob = await joinWorkshop(server, workshop.workshopId)
    // Alice and Bob use the board like real clients (with pseudonyms in presence).
    const aliceBoard = connectClient(server, workshop.workshopId, 'board', alice.token)
    const bobBoard = connectClient(server, workshop.workshopId, 'board', bob.token)
    clients.push(aliceBoard, bobBoard)
    await Promise.all([whenSynced(aliceBoard), whenSynced(bobBoard)])
    aliceBoard.provider.awareness.setLocalState({ name: 'Alice Pseudonym', color: '#1f4e79', cursor: [1, 2], hidden: false })
    bobBoard.provider.awareness.setLocalState({ name: 'Bob Pseudonym', color: '#8a3b12', cursor: [3, 4], hidden: false })
    const participantClientIds = new Set([aliceBoard.doc.clientID, bobBoard.doc.clientID])

    // What Bob and the facilitator receive on every doc, from join to after reveal.
    const recorders = [
      new FrameRecorder(ws(workshop.workshopId, 'state', bob.token)),
      new FrameRecorder(ws(workshop.workshopId, 'board', bob.token)),
      new FrameRecorder(ws(workshop.workshopId, 'state', workshop.facilitatorKey)),
      new FrameRecorder(ws(workshop.workshopId, 'board', workshop.facilitatorKey)),
    ]
    await Promise.all(recorders.map((recorder) => recorder.opened))

    const secretIdeas = ['Alice secret idea one', 'Alice secret idea two', 'Bob secret idea']
    const responses: { status: number; body: unknown }[] = []
    for (const [index, text] of secretIdeas.entries()) {
      const token = index < 2 ? alice.token : bob.token
      responses.push(await api<AddedIdea>(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text }, token }))
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (const recorder of recorders) for (const text of secretIdeas) expect(recorder.contains(text)).toBe(false)

    const reveal = await api(server, `/api/workshops/${workshop.workshopId}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    expect(reveal.status).toBe(200)
    await eventually(() => expect(recorders[0]!.contains('Bob secret idea')).toBe(true))

    for (const recorder of recorders) {
      for (const text of secretIdeas) for (const author of recorder.authorsOf(text)) expect(participantClientIds.has(author)).toBe(false)
      const everything = Buffer.concat(recorder.frames).toString('latin1')
      for (const person of [alice, bob]) {
        expect(everything).not.toContain(person.participantId)
        expect(everything).not.toContain(person.token)
      }
      expect(everything).not.toContain(workshop.facilitatorKey)
    }
    // Pseudonyms travel in presence, but never in the same frame as idea text.
    for (const recorder of recorders) {
      for (const frame of recorder.frames) {
        const text = frame.toString('utf8')
        if (secretIdeas.some((idea) => text.includes(idea))) expect(text).not.toMatch(/Pseudonym/)
      }
    }
    // HTTP: only the author's own create response carries the author key.
    const state = await api(server, `/api/workshops/${workshop.workshopId}/facilitator`, { token: workshop.facilitatorKey })
    for (const person of [alice, bob]) expect(JSON.stringify(state.body)).not.toContain(person.participantId)
    for (const response of responses) expect(Object.keys(response.body as object).sort()).toEqual(['authorKey', 'ideaId'])
    // Logs hold no idea text, tokens or pseudonyms.
    const logs = server.logs.join('\n')
    for (const text of [...secretIdeas, alice.token, bob.token, 'Pseudonym']) expect(logs).not.toContain(text)
    for (const recorder of recorders) recorder.close()
  })

  it('publishes in an order unrelated to the order ideas were sent', async () => {
    // Over many reveals of 6 ideas, the published position should carry no information about
    // the submission index: the mean rank correlation stays near 0 and identical orders are rare.
    const runs = 40
    let identical = 0
    let correlationSum = 0
    for (let run = 0; run < runs; run++) {
      const workshop = await createWorkshop(server)
      const person = await joinWorkshop(server, workshop.workshopId)
      for (let i = 0; i < 6; i++) {
        await api(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: `idea ${i}` }, token: person.token })
      }
      await api(server, `/api/workshops/${workshop.workshopId}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
      const positions = server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc, 'values'))
        .sort((a, b) => a.position - b.position)
        .map((idea) => Number(idea.text.split(' ')[1]))
      if (positions.every((value, index) => value === index)) identical++
      // Spearman's rho between submission index and published position.
      const d2 = positions.reduce((sum, submitted, position) => sum + (submitted - position) ** 2, 0)
      correlationSum += 1 - (6 * d2) / (6 * (36 - 1))
    }
    expect(identical).toBeLessThanOrEqual(2)
    expect(Math.abs(correlationSum / runs)).toBeLessThan(0.35)
  })

  it('refuses board updates that create, delete or re-point idea cards', async () => {
    const workshop = await createWorkshop(server)
    const person = await joinWorkshop(server, workshop.workshopId)
    await api(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: 'A real idea' }, token: person.token })
    await api(server, `/api/workshops/${workshop.workshopId}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    const ideaId = server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc)[0]!.ideaId)
    const cardId = `shape:idea-${ideaId}`

    const client = connectClient(server, workshop.workshopId, 'board', person.token)
    clients.push(client)
    await whenSynced(client)
    const records = boardRecordsOf(client.doc)
    const card = records.get(cardId)!
    expect(card).toMatchObject({ type: 'idea-card' })

    const attempt = async (change: (doc: Y.Doc) => void) => {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(client.doc))
      const sv = Y.encodeStateVector(doc)
      change(doc)
      return closeCodeAfter(ws(workshop.workshopId, 'board', person.token), [syncUpdateFrame(Y.encodeStateAsUpdate(doc, sv))])
    }
    expect(await attempt((doc) => boardRecordsOf(doc).set('shape:idea-forged', { ...card, id: 'shape:idea-forged' }))).toBe(CloseCode.readOnly)
    expect(await attempt((doc) => boardRecordsOf(doc).set('shape:my-card', { ...card, id: 'shape:my-card' }))).toBe(CloseCode.readOnly)
    expect(await attempt((doc) => boardRecordsOf(doc).delete(cardId))).toBe(CloseCode.readOnly)
    expect(await attempt((doc) => boardRecordsOf(doc).set(cardId, { ...card, props: { ...(card.props as object), ideaId: 'other' } }))).toBe(CloseCode.readOnly)
    expect(await attempt((doc) => boardRecordsOf(doc).delete('shape:section-values'))).toBe(CloseCode.readOnly)
    expect(await attempt((doc) => doc.getMap('sneaky').set('x', 1))).toBe(CloseCode.readOnly)

    // Moving the card is what people are meant to do.
    records.set(cardId, { ...card, x: 500, y: 600 })
    await eventually(() => server.rooms.withRoom(workshop.workshopId, (room) => expect(room.boardRecords.get(cardId)).toMatchObject({ x: 500, y: 600 })))
    server.rooms.withRoom(workshop.workshopId, (room) => {
      expect(room.boardRecords.has('shape:idea-forged')).toBe(false)
      expect(room.boardRecords.get(cardId)).toMatchObject({ props: { ideaId } })
    })
  })

  it('shows nobody which nickname made which board change: presence is never filed under a writer’s clientID', async () => {
    const workshop = await createWorkshop(server)
    const [alice, bob, carol] = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    const [a, b, c] = [alice, bob, carol].map((person) => connectClient(server, workshop.workshopId, 'board', person!.token)) as [ProviderClient, ProviderClient, ProviderClient]
    clients.push(a, b, c)
    await Promise.all([a, b, c].map((client) => whenSynced(client)))
    // Alice's page asks for a key, as the app does; Bob's sends none (a stock provider) or asks for his own clientID.
    a.provider.awareness.setLocalState({ name: 'Alice', color: '#1f4e79', cursor: [1, 2], hidden: false, presenceKey: newPresenceKey() })
    b.provider.awareness.setLocalState({ name: 'Bob', color: '#8a3b12', cursor: [3, 4], hidden: false })
    boardRecordsOf(a.doc).set('shape:alice-note', shapeRecord('alice-note'))
    boardRecordsOf(b.doc).set('shape:bob-note', shapeRecord('bob-note'))
    b.provider.awareness.setLocalState({ name: 'Bob', color: '#8a3b12', cursor: [5, 6], hidden: false, presenceKey: b.doc.clientID })

    await eventually(() => {
      expect(boardRecordsOf(c.doc).get('shape:alice-note')).toBeDefined()
      expect(boardRecordsOf(c.doc).get('shape:bob-note')).toBeDefined()
      expect(presenceNamed(c, 'Alice')).toBeDefined()
      expect(presenceNamed(c, 'Bob')).toMatchObject({ cursor: [5, 6] })
    })
    // Carol holds every struct's clientID and every presence key: no key is a writer's id.
    const writers = new Set(c.doc.store.clients.keys())
    expect(writers).toContain(a.doc.clientID)
    expect(writers).toContain(b.doc.clientID)
    const presenceKeys = [...c.provider.awareness.getStates().keys()].filter((key) => key !== c.doc.clientID)
    expect(presenceKeys).toHaveLength(2)
    for (const key of presenceKeys) expect(writers.has(key)).toBe(false)
    expect(JSON.stringify([...c.provider.awareness.getStates().values()])).not.toContain('presenceKey')
  })

  it('refuses board writes under someone else’s live presence key (they would be credited to that nickname)', async () => {
    const workshop = await createWorkshop(server)
    const [alice, mallory] = await Promise.all([0, 1].map(() => joinWorkshop(server, workshop.workshopId)))
    const a = connectClient(server, workshop.workshopId, 'board', alice!.token)
    clients.push(a)
    await whenSynced(a)
    const key = newPresenceKey()
    a.provider.awareness.setLocalState({ name: 'Alice', color: '#1f4e79', cursor: [1, 2], hidden: false, presenceKey: key })
    await eventually(() => expect(server.rooms.withRoom(workshop.workshopId, (room) => room.board.hasPresenceKey(key))).toBe(true))

    const posing = new Y.Doc()
    posing.clientID = key
    const m = connectClient(server, workshop.workshopId, 'board', mallory!.token, posing)
    clients.push(m)
    const closes: number[] = []
    m.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code))
    await whenSynced(m)
    boardRecordsOf(posing).set('shape:posing', shapeRecord('posing'))
    await eventually(() => expect(closes).toContain(CloseCode.readOnly))
    server.rooms.withRoom(workshop.workshopId, (room) => expect(room.boardRecords.has('shape:posing')).toBe(false))
  })

  it('drops awareness entries for clientIDs other than the socket’s own and keeps only allowlisted fields', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const mallory = await joinWorkshop(server, workshop.workshopId)
    const a = connectClient(server, workshop.workshopId, 'board', alice.token)
    clients.push(a)
    await whenSynced(a)
    a.provider.awareness.setLocalState({ name: 'Alice', color: '#1f4e79', cursor: null, hidden: false })

    const watcher = new FrameRecorder(ws(workshop.workshopId, 'board', alice.token))
    await watcher.opened
    const raw = new WebSocket(ws(workshop.workshopId, 'board', mallory.token))
    await new Promise((resolve) => raw.on('open', resolve))
    raw.send(awarenessFrame([[424242, 1, JSON.stringify({ name: 'Mallory', color: '#000000', participantId: mallory.participantId, typing: 'secret' })]]))
    // Renaming Alice, then removing her presence, from Mallory's socket.
    raw.send(awarenessFrame([[a.doc.clientID, 99, JSON.stringify({ name: 'Alice is a liar', color: '#000000' })]]))
    raw.send(awarenessFrame([[a.doc.clientID, 100, 'null']]))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const seen = Buffer.concat(watcher.frames).toString('utf8')
    expect(seen).toContain('Mallory')
    expect(seen).not.toContain(mallory.participantId)
    expect(seen).not.toContain('typing')
    expect(seen).not.toContain('Alice is a liar')
    expect(a.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({ name: 'Alice' })
    raw.close()
    watcher.close()
  })
})
