import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { ErrorBody } from '../../shared/errors.ts'
import type { GroundRules } from '../../shared/groundRules.ts'
import type { AddedIdea, MySignals, WelcomeInfo } from '../../shared/intents.ts'
import { readState } from '../../shared/stateDoc.ts'
import type { SoftTimer } from '../../shared/wellbeing.ts'
import { connectClient, eventually, whenSynced } from '../helpers/clients.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

describe('wellbeing: pause, signals, timer, support and content notes', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  const state = (workshopId: string) => server.rooms.withRoom(workshopId, (room) => readState(room.state.doc))
  const setup = async () => {
    const workshop = await createWorkshop(server)
    const people = await Promise.all([1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    const as = (token: string) => (path: string, body?: unknown, method?: string) =>
      api<ErrorBody & Record<string, unknown>>(server, `/api/workshops/${workshop.workshopId}${path}`, { ...(body === undefined ? {} : { body }), token, ...(method ? { method } : {}) })
    return { workshop, people, facilitate: as(workshop.facilitatorKey), asPerson: as }
  }

  it('publishes only a count of pause requests, after a short wait, and never who asked', { timeout: 20_000 }, async () => {
    const { workshop, people, facilitate, asPerson } = await setup()
    const watcher = connectClient(server, workshop.workshopId, 'state', people[1]!.token)
    const frames: Uint8Array[] = []
    watcher.doc.on('update', (update: Uint8Array) => frames.push(update))
    await whenSynced(watcher)

    const asked = await asPerson(people[0]!.token)('/wellbeing/signal', { signal: 'pause', on: true })
    expect(asked.status).toBe(200)
    expect((asked.body as unknown as MySignals).pauseRequested).toBe(true)
    // Asking twice is still one person.
    await asPerson(people[0]!.token)('/wellbeing/signal', { signal: 'pause', on: true })
    await eventually(() => expect(readState(watcher.doc).wellbeing.pauseRequests).toBe(1), 8000)

    // Nothing that crossed the wire names the person: no participant id, no token.
    const wire = frames.map((frame) => Buffer.from(frame).toString('latin1')).join('')
    for (const person of people) {
      expect(wire).not.toContain(person.participantId)
      expect(wire).not.toContain(person.token)
    }
    expect(JSON.stringify(Y.encodeStateAsUpdate(watcher.doc))).not.toContain(people[0]!.participantId)

    // A participant cannot clear or pause; the facilitator can.
    expect((await asPerson(people[0]!.token)('/wellbeing/pause', { paused: true })).status).toBe(403)
    expect((await facilitate('/wellbeing/clear', { signal: 'pause' })).status).toBe(200)
    expect(state(workshop.workshopId).wellbeing.pauseRequests).toBe(0)
    watcher.destroy()
  })

  it('stops the timer while the room is paused and restarts it with the same time left', async () => {
    const { workshop, facilitate } = await setup()
    const started = await facilitate('/wellbeing/timer', { sectionId: 'values', minutes: 10 })
    expect(started.status).toBe(201)
    const timer = started.body as unknown as SoftTimer
    expect(timer.phase).toBe('gather')
    expect(timer.endsAt! - Date.now()).toBeGreaterThan(9 * 60_000)

    expect((await facilitate('/wellbeing/pause', { paused: true })).status).toBe(200)
    let view = state(workshop.workshopId).wellbeing
    expect(view.paused).toBe(true)
    expect(view.timer?.endsAt).toBeNull()
    expect(view.timer?.remainingMs).toBeGreaterThan(9 * 60_000)

    expect((await facilitate('/wellbeing/pause', { paused: false })).status).toBe(200)
    view = state(workshop.workshopId).wellbeing
    expect(view.paused).toBe(false)
    expect(view.timer?.remainingMs).toBeNull()
    expect(view.timer!.endsAt! - Date.now()).toBeGreaterThan(9 * 60_000)

    await facilitate('/wellbeing/timer/extend', { minutes: 5 })
    expect(state(workshop.workshopId).wellbeing.timer!.endsAt! - Date.now()).toBeGreaterThan(14 * 60_000)
    expect((await facilitate('/wellbeing/timer', undefined, 'DELETE')).status).toBe(200)
    expect(state(workshop.workshopId).wellbeing.timer).toBeNull()

    const tooLong = await facilitate('/wellbeing/timer', { sectionId: 'values', minutes: 500 })
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.error.message).toContain('120 minutes at most')
  })

  it('shows the content note and support contacts on the join page, before joining', async () => {
    const { workshop, facilitate } = await setup()
    const saved = await facilitate('/wellbeing/settings', { supportContacts: ['Sam, peer support worker, in the room', 'Quiet room: first floor'], contentNote: 'We will talk about crisis care.' }, 'PUT')
    expect(saved.status).toBe(200)
    const welcome = await api<WelcomeInfo>(server, `/api/workshops/${workshop.workshopId}/welcome`)
    expect(welcome.body).toEqual({ title: 'Our shared vision, March', contentNote: 'We will talk about crisis care.', supportContacts: ['Sam, peer support worker, in the room', 'Quiet room: first floor'] })
    expect(state(workshop.workshopId).wellbeing.supportContacts).toHaveLength(2)
    expect((await api(server, '/api/workshops/nope/welcome')).status).toBe(404)
  })

  it('publishes an idea with its content note, and lets the facilitator add one later', async () => {
    const { workshop, people, facilitate, asPerson } = await setup()
    const add = (token: string, text: string, contentNote?: string) =>
      api<AddedIdea>(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text, ...(contentNote ? { contentNote } : {}) }, token })
    const noted = (await add(people[0]!.token, 'Something hard that happened to me', 'mentions self-harm')).body
    const plain = (await add(people[1]!.token, 'Be kind')).body
    // Waiting ideas are not in the doc at all, notes included.
    expect(JSON.stringify(state(workshop.workshopId))).not.toContain('self-harm')
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    const ideas = state(workshop.workshopId).ideas
    expect(ideas.find((idea) => idea.ideaId === noted.ideaId)?.contentNote).toBe('mentions self-harm')
    expect(ideas.find((idea) => idea.ideaId === plain.ideaId)?.contentNote ?? null).toBeNull()

    // Another participant cannot mark someone else's idea; the facilitator can.
    const notMine = await asPerson(people[0]!.token)(`/ideas/${plain.ideaId}/content-note`, { note: 'mentions violence' }, 'PUT')
    expect(notMine.status).toBe(403)
    expect((await facilitate(`/ideas/${plain.ideaId}/content-note`, { note: 'mentions violence' }, 'PUT')).status).toBe(200)
    expect(state(workshop.workshopId).ideas.find((idea) => idea.ideaId === plain.ideaId)?.contentNote).toBe('mentions violence')
    const tooLong = await facilitate(`/ideas/${plain.ideaId}/content-note`, { note: 'x'.repeat(200) }, 'PUT')
    expect(tooLong.status).toBe(422)
    expect(tooLong.body.error.message).toContain('Keep the content note short')
  })

  it('gives the ground rules as agreed, as a draft, or as the ideas so far', async () => {
    const { workshop, people, facilitate, asPerson } = await setup()
    const rules = async () => (await asPerson(people[0]!.token)('/ground-rules')).body as unknown as GroundRules
    expect((await rules()).status).toBe('none')
    await api(server, `/api/workshops/${workshop.workshopId}/sections/ground-rules/ideas`, { body: { text: 'One voice at a time' }, token: people[0]!.token })
    await facilitate('/sections/ground-rules/reveal', { publishAnyway: true })
    expect(await rules()).toMatchObject({ status: 'ideas', rules: [{ text: 'One voice at a time' }] })
    await facilitate('/sections/ground-rules/phase', { phase: 'agree' })
    const proposal = await facilitate('/sections/ground-rules/proposals', { items: ['One voice at a time', 'Breaks are fine'] })
    expect((await rules()).status).toBe('draft')
    await asPerson(people[1]!.token)(`/proposals/${proposal.body.proposalId}/response`, { response: 'agree' }, 'PUT')
    await facilitate(`/proposals/${proposal.body.proposalId}/close`, { publishAnyway: true })
    expect(await rules()).toMatchObject({ status: 'agreed', rules: [{ text: 'One voice at a time' }, { text: 'Breaks are fine' }] })
    expect((await api(server, `/api/workshops/${workshop.workshopId}/ground-rules`)).status).toBe(401)
  })
})
