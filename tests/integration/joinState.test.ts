import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import { DocName } from '../../shared/docs.ts'
import type { JoinedWorkshop } from '../../shared/intents.ts'
import { readState } from '../../shared/stateDoc.ts'
import { eventually, serverPerTest, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { api, testLimits, type TestServer } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/**
 * Issue 17, target 6b: the join response carries the `state` doc, so a phone can show the list
 * view (and the idea form) before its state socket has synced. What it carries must be exactly
 * what that socket gives, and nothing more.
 */
const join = async (server: TestServer, workshopId: string) => {
  const response = await api<JoinedWorkshop>(server, `/api/workshops/${workshopId}/join`, { body: {} })
  expect(response.status).toBe(201)
  return response.body
}

const seeded = (joined: JoinedWorkshop) => {
  const doc = new Y.Doc()
  expect(joined.state).toEqual(expect.any(String))
  Y.applyUpdate(doc, Buffer.from(joined.state!, 'base64'))
  return doc
}

/** Close codes a provider saw (a refusal of its first sync would show here). */
const closeCodes = (client: ProviderClient) => {
  const codes: number[] = []
  client.provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) codes.push(event.code)
  })
  return codes
}

/** A workshop with something in every part people see: revealed ideas, a hidden one, a phase moved. */
async function busyWorkshop(server: TestServer) {
  const flow = await workshopFlow(server, 'Join state')
  const people = await flow.join(3)
  await flow.addAndReveal('vision', people, ['Care that listens', 'No waiting lists', 'Staff who stay'])
  // Held back until a reveal: it must not travel with anyone's join.
  const held = await api(server, `/api/workshops/${flow.workshop.workshopId}/sections/values/ideas`, { body: { text: 'A secret not yet shown' }, token: people[0]! })
  expect(held.status).toBe(201)
  await flow.facilitate('/sections/vision/phase', { phase: 'discuss' })
  return { flow, people }
}

describe('the state doc in the join response', () => {
  const fixture = serverPerTest()

  it('is what a y-websocket client syncing the state doc receives, counting the new person, and nothing private', async () => {
    const { server } = fixture
    const { flow, people } = await busyWorkshop(server)
    const { workshopId } = flow.workshop
    const joined = await join(server, workshopId)
    const fromJoin = seeded(joined)

    const socket = fixture.connect(workshopId, DocName.state, joined.token)
    await whenSynced(socket)
    expect(readState(fromJoin)).toEqual(readState(socket.doc))
    expect(Y.encodeStateVector(fromJoin)).toEqual(Y.encodeStateVector(socket.doc))
    const view = readState(fromJoin)
    expect(view.workshop).toMatchObject({ title: 'Join state', participantCount: 4 })
    expect(view.sections.find((section) => section.sectionId === 'vision')?.phase).toBe('discuss')
    expect(view.ideas.map((idea) => idea.text).sort()).toEqual(['Care that listens', 'No waiting lists', 'Staff who stay'])

    // No token, participant id or unrevealed text anywhere in the bytes.
    const bytes = Buffer.from(joined.state!, 'base64').toString('latin1')
    for (const secret of [joined.token, joined.participantId, ...people, flow.workshop.facilitatorKey, 'A secret not yet shown']) expect(bytes).not.toContain(secret)
  })

  it('loads the workshop for a join after a restart, and carries the stored state', async () => {
    const { flow } = await busyWorkshop(fixture.server)
    const { workshopId } = flow.workshop
    const server = await fixture.restart()
    expect(server.rooms.isLoaded(workshopId)).toBe(false)
    const fromJoin = seeded(await join(server, workshopId))
    const socket = fixture.connect(workshopId, DocName.state, (await join(server, workshopId)).token)
    await whenSynced(socket)
    expect(readState(fromJoin).ideas).toHaveLength(3)
    expect({ ...readState(fromJoin), workshop: null }).toEqual({ ...readState(socket.doc), workshop: null })
    expect(readState(fromJoin).workshop?.participantCount).toBe(4)
  })

  it('lets the seeded doc sync over its socket without a refusal, and then follow changes', async () => {
    const { server } = fixture
    const { flow } = await busyWorkshop(server)
    const { workshopId } = flow.workshop
    const joined = await join(server, workshopId)
    const doc = seeded(joined)
    // Someone else joins between this person's join and their socket: the socket brings the difference.
    await join(server, workshopId)

    const client = fixture.connect(workshopId, DocName.state, joined.token, doc)
    const codes = closeCodes(client)
    await whenSynced(client)
    expect(readState(doc).workshop?.participantCount).toBe(5)
    await flow.facilitate('/sections/values/phase', { phase: 'discuss' })
    await eventually(() => expect(readState(doc).sections.find((section) => section.sectionId === 'values')?.phase).toBe('discuss'))
    expect(client.provider.wsconnected).toBe(true)
    expect(codes).not.toContain(CloseCode.readOnly)
    expect(codes).toEqual([])
  })
})

describe('a state doc larger than maxJoinStateBytes', () => {
  const fixture = serverPerTest({ config: { limits: { ...testLimits, maxJoinStateBytes: 64 } } })

  it('is left out of the join response, and the state socket still brings it', async () => {
    const { server } = fixture
    const { flow } = await busyWorkshop(server)
    const joined = await join(server, flow.workshop.workshopId)
    expect(Object.keys(joined).sort()).toEqual(['participantId', 'token'])

    const socket = fixture.connect(flow.workshop.workshopId, DocName.state, joined.token)
    await whenSynced(socket)
    expect(readState(socket.doc).workshop?.participantCount).toBe(4)
  })
})
