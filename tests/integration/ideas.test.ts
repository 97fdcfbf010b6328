import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../../server/domain/tokens.ts'
import * as Y from 'yjs'
import { DocStore } from '../../server/storage/DocStore.ts'
import { sectionFrameId, type BoardRecord } from '../../shared/boardRecords.ts'
import { BoardRoot, DocName } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { AddedIdea } from '../../shared/intents.ts'
import type { OwnIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import { readSection, readState } from '../../shared/stateDoc.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { eventually } from '../helpers/clients.ts'
import { textsStored } from '../helpers/dataScan.ts'
import { columnNames } from '../../server/storage/schemaInfo.ts'

describe('anonymous ideas, sections and phases', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ config: { ideaBatchIntervalMs: 100 } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  const state = (workshopId: string) => server.rooms.withRoom(workshopId, (room) => readState(room.state.doc))
  const setup = async () => {
    const workshop = await createWorkshop(server)
    const people = await Promise.all([1, 2, 3].map(() => joinWorkshop(server, workshop.workshopId)))
    const addIdea = (token: string, text: string, sectionId = 'values', headers: Record<string, string> = {}) =>
      api<AddedIdea & ErrorBody>(server, `/api/workshops/${workshop.workshopId}/sections/${sectionId}/ideas`, { body: { text }, token, headers })
    const facilitate = (path: string, body: unknown = {}, method = 'POST') =>
      api<ErrorBody & Record<string, unknown>>(server, `/api/workshops/${workshop.workshopId}${path}`, { body, token: workshop.facilitatorKey, method })
    return { workshop, people, addIdea, facilitate }
  }

  it('starts with the three standard sections in gather, each with a prompt', async () => {
    const { workshop } = await setup()
    const view = state(workshop.workshopId)
    expect(view.sections.map((s) => [s.sectionId, s.kind, s.phase])).toEqual([
      ['vision', 'vision', 'gather'],
      ['values', 'values', 'gather'],
      ['ground-rules', 'ground-rules', 'gather'],
    ])
    for (const section of view.sections) expect(section.prompt.length).toBeGreaterThan(20)
  })

  it('holds ideas until reveal, showing only a count, then publishes all at once', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    for (const [i, person] of people.entries()) expect((await addIdea(person.token, `Idea number ${i}`)).status).toBe(201)
    let view = state(workshop.workshopId)
    expect(view.ideas).toEqual([])
    // Coarse: 1 means "a few" (1–9), so the count does not step with each Send.
    expect(view.sections.find((s) => s.sectionId === 'values')?.pendingCount).toBe(1)
    expect(JSON.stringify(view)).not.toContain('Idea number')

    const reveal = await facilitate('/sections/values/reveal')
    expect(reveal.body).toEqual({ published: 3 })
    view = state(workshop.workshopId)
    expect(view.ideas.map((idea) => idea.text).sort()).toEqual(['Idea number 0', 'Idea number 1', 'Idea number 2'])
    expect(view.ideas.map((idea) => idea.position).sort()).toEqual([0, 1, 2])
    expect(view.sections.find((s) => s.sectionId === 'values')).toMatchObject({ revealed: true, pendingCount: 0 })
    // Every shown idea has a card in the Values frame on the board.
    server.rooms.withRoom(workshop.workshopId, (room) => {
      for (const idea of view.ideas) expect(room.boardRecords.get(`shape:idea-${idea.ideaId}`)).toMatchObject({ type: 'idea-card', parentId: 'shape:section-values' })
    })
  })

  it('grows a section frame to show every card, and keeps that height when the section is renamed', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    for (const [i, person] of people.entries()) for (let n = 0; n < 9; n++) expect((await addIdea(person.token, `Idea ${i}.${n}`)).status).toBe(201)
    expect((await facilitate('/sections/values/reveal')).body).toEqual({ published: 27 })
    const frameHeight = () => server.rooms.withRoom(workshop.workshopId, (room) => (room.boardRecords.get(sectionFrameId('values'))!.props as { h: number }).h)
    const lowestCardBottom = server.rooms.withRoom(workshop.workshopId, (room) =>
      Math.max(...state(workshop.workshopId).ideas.map((idea) => {
        const card = room.boardRecords.get(`shape:idea-${idea.ideaId}`) as unknown as { y: number; props: { h: number } }
        return card.y + card.props.h
      })),
    )
    // A frame clips whatever sticks out of it: the 21st card onwards used to be out of sight.
    expect(frameHeight()).toBeGreaterThanOrEqual(lowestCardBottom)
    const grown = frameHeight()
    expect((await facilitate('/sections/values', { title: 'What we value' }, 'PATCH')).status).toBe(200)
    expect(frameHeight()).toBe(grown)
  })

  it('publishes later ideas only in batches from at least three different people, never three from two', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    for (const [i, person] of people.entries()) await addIdea(person.token, `Before reveal ${i}`)
    expect((await facilitate('/sections/values/reveal')).status).toBe(200)
    // Three ideas, but from two people: the person who sent two could tell the third apart.
    await addIdea(people[0]!.token, 'Late one')
    await addIdea(people[0]!.token, 'Late two')
    await addIdea(people[1]!.token, 'Late three')
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(state(workshop.workshopId).ideas).toHaveLength(3)
    const tooFew = await facilitate('/sections/values/reveal')
    expect(tooFew.status).toBe(409)
    expect(tooFew.body.error.code).toBe('too_few_people')
    expect(state(workshop.workshopId).ideas).toHaveLength(3)
    await addIdea(people[2]!.token, 'Late four')
    await eventually(() => expect(state(workshop.workshopId).ideas).toHaveLength(7), 3000)
  })

  it('after a restart, counts ideas whose author it forgot as nobody new: no batch of three from two people', async () => {
    let own = await startTestServer({ config: { ideaBatchIntervalMs: 100 } })
    try {
      const workshop = await createWorkshop(own)
      const people = await Promise.all([1, 2, 3].map(() => joinWorkshop(own, workshop.workshopId)))
      const addIdea = (token: string, text: string) => api(own, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text }, token })
      const shown = () => own.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas.length)
      for (const [i, person] of people.entries()) await addIdea(person.token, `First ${i}`)
      expect((await api(own, `/api/workshops/${workshop.workshopId}/sections/values/reveal`, { body: {}, token: workshop.facilitatorKey })).status).toBe(200)
      // One idea from the first person waits; the server restarts and forgets whose it was.
      await addIdea(people[0]!.token, 'Before the restart')
      own = await own.restart()
      await addIdea(people[0]!.token, 'After the restart')
      await addIdea(people[1]!.token, 'From the second person')
      // Three ideas from two people: the second person could tell the first person's two apart.
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(shown()).toBe(3)
      await addIdea(people[2]!.token, 'From the third person')
      await eventually(() => expect(shown()).toBe(7), 3000)
    } finally {
      await own.dispose()
    }
  })

  it('after a restart, still counts a change to a shown idea as waiting: one person’s edit is not shown alone', async () => {
    let own = await startTestServer({ config: { ideaBatchIntervalMs: 100 } })
    try {
      const workshop = await createWorkshop(own)
      const w = `/api/workshops/${workshop.workshopId}`
      const people = await Promise.all([1, 2, 3].map(() => joinWorkshop(own, workshop.workshopId)))
      const added = []
      for (const [i, person] of people.entries()) added.push(await api<AddedIdea>(own, `${w}/sections/values/ideas`, { body: { text: `First ${i}` }, token: person.token }))
      const reveal = (body: object = {}) => api<ErrorBody>(own, `${w}/sections/values/reveal`, { body, token: workshop.facilitatorKey })
      expect((await reveal()).status).toBe(200)
      const edit = await api(own, `${w}/ideas/${added[0]!.body.ideaId}`, { method: 'PATCH', body: { text: 'First 0, edited' }, token: people[0]!.token, headers: { 'x-author-key': added[0]!.body.authorKey } })
      expect(edit.status).toBe(200)
      expect((await reveal()).body.error.code).toBe('too_few_people')
      // The server forgets whose change it was, not that it waits.
      own = await own.restart()
      const shownText = () => own.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas.map((idea) => idea.text))
      const again = await reveal()
      expect([again.status, again.body.error?.code]).toEqual([409, 'too_few_people'])
      expect(shownText()).not.toContain('First 0, edited')
      // Published anyway, everyone sees that it was.
      expect((await reveal({ publishAnyway: true })).status).toBe(200)
      expect(shownText()).toContain('First 0, edited')
      expect(own.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).moderation.map((line) => line.action))).toContain('published-early')
    } finally {
      await own.dispose()
    }
  })

  it('takes the words of a waiting idea its author withdrew or rewrote out of the database’s files too, soon after', async () => {
    const { people, addIdea, workshop } = await setup()
    const withdrawn = await addIdea(people[0]!.token, 'Words taken back before anyone saw them')
    const rewritten = await addIdea(people[1]!.token, 'Words replaced before anyone saw them')
    const asAuthor = (i: number, added: typeof withdrawn) => ({ token: people[i]!.token, headers: { 'x-author-key': added.body.authorKey } })
    const ideaPath = (added: typeof withdrawn) => `/api/workshops/${workshop.workshopId}/ideas/${added.body.ideaId}`
    expect((await api(server, ideaPath(withdrawn), { method: 'DELETE', ...asAuthor(0, withdrawn) })).status).toBe(200)
    expect((await api(server, ideaPath(rewritten), { method: 'PATCH', body: { text: 'Other words' }, ...asAuthor(1, rewritten) })).status).toBe(200)
    // The rows are blanked at once; the files (SQLite's WAL) within one batch interval.
    await eventually(() => expect(textsStored(server, ['Words taken back', 'Words replaced'])).toEqual([]), 5_000)
  })

  it('counts the day a batch timer shows ideas as the day the workshop is run', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    // Ideas show as they come (no reveal): only the batch timer publishes them.
    expect((await facilitate('/sections/values', { hiddenUntilReveal: false }, 'PATCH')).status).toBe(200)
    const heldDay = () => (server.db.prepare('SELECT held_day AS day FROM workshops WHERE workshop_id = ?').get(workshop.workshopId) as { day: string | null }).day
    expect(heldDay()).toBeNull()
    for (const [i, person] of people.entries()) await addIdea(person.token, `Shown by the timer ${i}`)
    await eventually(() => expect(state(workshop.workshopId).ideas).toHaveLength(3), 3000)
    expect(heldDay()).toBe(new Date().toISOString().slice(0, 10))
  })

  it('never shows a first reveal from fewer than three people unless the facilitator insists, in public', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    await addIdea(people[0]!.token, 'Only me one')
    await addIdea(people[0]!.token, 'Only me two')
    await addIdea(people[1]!.token, 'And me')
    const refused = await facilitate('/sections/values/reveal')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('too_few_people')
    expect(state(workshop.workshopId).ideas).toEqual([])
    expect((await facilitate('/sections/values/reveal', { publishAnyway: true })).body).toEqual({ published: 3 })
    const view = state(workshop.workshopId)
    expect(view.ideas).toHaveLength(3)
    expect(view.moderation).toEqual([{ sectionId: 'values', action: 'published-early', reason: expect.stringMatching(/fewer than 3 people/) }])
  })

  it('holds edits and withdrawals of shown ideas until the next batch', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const added = await Promise.all(people.map((person, i) => addIdea(person.token, `Shown ${i}`)))
    await facilitate('/sections/values/reveal')
    const ideaPath = (i: number) => `/api/workshops/${workshop.workshopId}/ideas/${added[i]!.body.ideaId}`
    const asAuthor = (i: number) => ({ token: people[i]!.token, headers: { 'x-author-key': added[i]!.body.authorKey } })
    const pendingBefore = state(workshop.workshopId).sections.find((s) => s.sectionId === 'values')!.pendingCount
    expect((await api(server, ideaPath(0), { method: 'PATCH', body: { text: 'Shown 0, edited' }, ...asAuthor(0) })).status).toBe(200)
    expect((await api(server, ideaPath(1), { method: 'DELETE', ...asAuthor(1) })).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 300))
    let view = state(workshop.workshopId)
    // Nothing changed for everyone yet: neither the edit nor the withdrawal points at anyone.
    expect(view.ideas.map((idea) => idea.text).sort()).toEqual(['Shown 0', 'Shown 1', 'Shown 2'])
    expect(view.sections.find((s) => s.sectionId === 'values')!.pendingCount).toBeGreaterThan(pendingBefore)
    // A third person's idea makes a batch from three people: everything goes out together.
    await addIdea(people[2]!.token, 'New from the third')
    await eventually(() => expect(state(workshop.workshopId).ideas.map((idea) => idea.text).sort()).toEqual(['New from the third', 'Shown 0, edited', 'Shown 2']), 3000)
    view = state(workshop.workshopId)
    server.rooms.withRoom(workshop.workshopId, (room) => expect(room.boardRecords.has(`shape:idea-${added[1]!.body.ideaId}`)).toBe(false))
  })

  it('counts nobody whose change is gone by the batch: two edits put back and a hidden idea do not make a lone new idea a batch', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const fourth = await joinWorkshop(server, workshop.workshopId)
    const everyone = [...people, fourth]
    const added = await Promise.all(everyone.map((person, i) => addIdea(person.token, `Shown ${i}`)))
    await facilitate('/sections/values/reveal')
    await eventually(() => expect(state(workshop.workshopId).ideas).toHaveLength(4))
    const ideaPath = (i: number) => `/api/workshops/${workshop.workshopId}/ideas/${added[i]!.body.ideaId}`
    const asAuthor = (i: number) => ({ token: everyone[i]!.token, headers: { 'x-author-key': added[i]!.body.authorKey } })
    // Two people edit, then put their words back; a third edits an idea the facilitator then hides.
    for (const i of [0, 1]) {
      expect((await api(server, ideaPath(i), { method: 'PATCH', body: { text: `Shown ${i}, edited` }, ...asAuthor(i) })).status).toBe(200)
      expect((await api(server, ideaPath(i), { method: 'PATCH', body: { text: `Shown ${i}` }, ...asAuthor(i) })).status).toBe(200)
    }
    expect((await api(server, ideaPath(2), { method: 'PATCH', body: { text: 'Shown 2, edited' }, ...asAuthor(2) })).status).toBe(200)
    expect((await facilitate(`/sections/values/ideas/${added[2]!.body.ideaId}/hide`, { reason: 'off topic' })).status).toBe(200)
    // The fourth person's new idea would be the batch's only change: it waits.
    expect((await addIdea(fourth.token, 'New from the fourth')).status).toBe(201)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(state(workshop.workshopId).ideas.map((idea) => idea.text)).not.toContain('New from the fourth')
    // Two more people's new ideas make a real batch of three.
    for (const i of [0, 1]) await addIdea(everyone[i]!.token, `Later from ${i}`)
    await eventually(() => expect(state(workshop.workshopId).ideas.map((idea) => idea.text)).toContain('New from the fourth'), 3000)
  })

  it('keeps an author’s waiting content note when the facilitator adds one meanwhile: the facilitator’s shows now, the author’s with the batch', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const added = await Promise.all(people.map((person, i) => addIdea(person.token, `Shown ${i}`)))
    await facilitate('/sections/values/reveal')
    const ideaId = added[0]!.body.ideaId
    const noteOf = () => state(workshop.workshopId).ideas.find((idea) => idea.ideaId === ideaId)?.contentNote ?? null
    const byAuthor = await api(server, `/api/workshops/${workshop.workshopId}/ideas/${ideaId}/content-note`, {
      method: 'PUT',
      body: { note: 'mentions loss' },
      token: people[0]!.token,
      headers: { 'x-author-key': added[0]!.body.authorKey },
    })
    expect(byAuthor.status).toBe(200)
    expect(noteOf()).toBeNull()
    expect((await facilitate(`/ideas/${ideaId}/content-note`, { note: 'mentions grief' }, 'PUT')).status).toBe(200)
    expect(noteOf()).toBe('mentions grief')
    for (const [i, person] of people.entries()) await addIdea(person.token, `Later ${i}`)
    await eventually(() => expect(noteOf()).toBe('mentions loss'), 3000)
  })

  it('answers the facilitator the same for an idea whose author has a withdrawal or an edit waiting, and publishes neither early', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const added = await Promise.all(people.map((person, i) => addIdea(person.token, `Shown ${i}`)))
    await facilitate('/sections/values/reveal')
    const [withdrawn, edited, untouched] = added.map((a) => a.body.ideaId) as [string, string, string]
    const asAuthor = (i: number) => ({ token: people[i]!.token, headers: { 'x-author-key': added[i]!.body.authorKey } })
    const ideaPath = (ideaId: string) => `/api/workshops/${workshop.workshopId}/ideas/${ideaId}`
    expect((await api(server, ideaPath(withdrawn), { method: 'DELETE', ...asAuthor(0) })).status).toBe(200)
    expect((await api(server, ideaPath(edited), { method: 'PATCH', body: { text: 'Shown 1, edited' }, ...asAuthor(1) })).status).toBe(200)

    // Probes that change nothing, or change only what everyone sees anyway: one answer for all three.
    const probes = async (ideaId: string) => [
      (await facilitate('/sections/values/merge', { keepIdeaId: ideaId, mergeIdeaIds: ['no-such-idea'] })).status,
      (await facilitate('/sections/values/merge', { keepIdeaId: 'no-such-idea', mergeIdeaIds: [ideaId] })).status,
      (await facilitate('/commitments', { text: 'We will look at this', ownerRole: 'Ward manager', ideaIds: [ideaId] })).status,
      (await facilitate(`/ideas/${ideaId}/content-note`, { note: '' }, 'PUT')).status,
    ]
    const expected = await probes(untouched)
    expect(await probes(withdrawn)).toEqual(expected)
    expect(await probes(edited)).toEqual(expected)

    // A merge writes ideas as everyone sees them: the waiting edit is not published by it.
    const merged = await facilitate('/sections/values/merge', { keepIdeaId: edited, mergeIdeaIds: [untouched] })
    expect(merged.status).toBe(200)
    expect(merged.body).toMatchObject({ ideaId: edited, text: 'Shown 1' })
    expect(JSON.stringify(state(workshop.workshopId).ideas)).not.toContain('edited')
  })

  it('lands authors’ waiting changes with the next batch even after the facilitator hid or merged those ideas', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const texts = ['Kept A', 'Merged into A', 'Hidden one', 'Merged with a note', 'Keep B']
    const added: AddedIdea[] = []
    for (const [i, text] of texts.entries()) added.push((await addIdea(people[i % 3]!.token, text)).body)
    await facilitate('/sections/values/reveal')
    await eventually(() => expect(state(workshop.workshopId).ideas).toHaveLength(5))
    const [keptA, intoA, hidden, noted, keptB] = added.map((a) => a.ideaId) as [string, string, string, string, string]
    const author = (i: number) => ({ token: people[i % 3]!.token, headers: { 'x-author-key': added[i]!.authorKey } })
    const ideaPath = (ideaId: string) => `/api/workshops/${workshop.workshopId}/ideas/${ideaId}`
    // Authors act; everything waits for the batch.
    expect((await api(server, ideaPath(keptA), { method: 'DELETE', ...author(0) })).status).toBe(200)
    expect((await api(server, ideaPath(hidden), { method: 'DELETE', ...author(2) })).status).toBe(200)
    expect((await api(server, `${ideaPath(noted)}/content-note`, { method: 'PUT', body: { note: 'mentions loss' }, ...author(3) })).status).toBe(200)
    // The facilitator, seeing only what everyone sees, hides and merges those very ideas.
    expect((await facilitate('/sections/values/merge', { keepIdeaId: keptA, mergeIdeaIds: [intoA] })).status).toBe(200)
    expect((await facilitate(`/sections/values/ideas/${hidden}/hide`, { reason: 'off topic' })).status).toBe(200)
    expect((await facilitate('/sections/values/merge', { keepIdeaId: keptB, mergeIdeaIds: [noted] })).status).toBe(200)

    // A batch from three people brings the waiting changes out.
    for (const [i, person] of people.entries()) expect((await addIdea(person.token, `New from person ${i}`)).status).toBe(201)
    await eventually(() => expect(state(workshop.workshopId).ideas.filter((idea) => idea.text.startsWith('New from')).length).toBeGreaterThan(0), 3000)
    const byId = new Map(state(workshop.workshopId).ideas.map((idea) => [idea.ideaId, idea]))
    // The withdrawn ideas leave, even the hidden one; what was merged into a withdrawn idea comes back on its own.
    expect(byId.has(keptA)).toBe(false)
    expect(byId.has(hidden)).toBe(false)
    expect(byId.get(intoA)).toMatchObject({ status: 'published', mergedInto: null, text: 'Merged into A' })
    server.rooms.withRoom(workshop.workshopId, (room) => expect(room.boardRecords.has(`shape:idea-${intoA}`)).toBe(true))
    // The note on an idea merged meanwhile is not lost.
    expect(byId.get(noted)).toMatchObject({ status: 'merged', contentNote: 'mentions loss' })
  })

  it('makes one idea from a retried request with the same idempotency key', async () => {
    const { workshop, people, addIdea } = await setup()
    const headers = { 'idempotency-key': 'retry-123' }
    const first = await addIdea(people[0]!.token, 'Retry me', 'values', headers)
    const second = await addIdea(people[0]!.token, 'Retry me', 'values', headers)
    expect(second.body).toEqual(first.body)
    expect(state(workshop.workshopId).sections.find((s) => s.sectionId === 'values')?.pendingCount).toBe(1)
  })

  it('lets only the author see, edit and withdraw their idea, with the author key', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const [alice, bob] = people
    const added = (await addIdea(alice!.token, 'My private draft')).body
    const path = `/api/workshops/${workshop.workshopId}/ideas/${added.ideaId}`
    const mine = await api<{ ideas: OwnIdea[] }>(server, `/api/workshops/${workshop.workshopId}/ideas/mine`, {
      body: { ideas: [{ ideaId: added.ideaId, authorKey: added.authorKey }] },
      token: alice!.token,
    })
    expect(mine.body.ideas).toEqual([{ ideaId: added.ideaId, sectionId: 'values', kind: 'idea', text: 'My private draft', status: 'pending', mergedInto: null }])

    const wrongKey = await api<ErrorBody>(server, path, { method: 'PATCH', body: { text: 'hijack' }, token: bob!.token, headers: { 'x-author-key': 'guess' } })
    expect(wrongKey.status).toBe(403)
    const noKey = await api<ErrorBody>(server, path, { method: 'DELETE', token: bob!.token })
    expect(noKey.status).toBe(403)
    const facilitatorTry = await api<ErrorBody>(server, path, { method: 'DELETE', token: workshop.facilitatorKey, headers: { 'x-author-key': added.authorKey } })
    expect(facilitatorTry.status).toBe(403)

    const edited = await api<OwnIdea>(server, path, { method: 'PATCH', body: { text: 'My better draft' }, token: alice!.token, headers: { 'x-author-key': added.authorKey } })
    expect(edited.body.text).toBe('My better draft')
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    expect(state(workshop.workshopId).ideas[0]?.text).toBe('My better draft')

    const withdrawn = await api<OwnIdea>(server, path, { method: 'DELETE', token: alice!.token, headers: { 'x-author-key': added.authorKey } })
    expect(withdrawn.body.status).toBe('withdrawn')
    // A shown idea leaves everyone's screen with the next batch.
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    expect(state(workshop.workshopId).ideas).toEqual([])
    server.rooms.withRoom(workshop.workshopId, (room) => expect(room.boardRecords.has(`shape:idea-${added.ideaId}`)).toBe(false))
    const editAfter = await api<ErrorBody>(server, path, { method: 'PATCH', body: { text: 'again' }, token: alice!.token, headers: { 'x-author-key': added.authorKey } })
    expect(editAfter.status).toBe(409)
  })

  it.each([
    ['empty text', '   ', 422],
    ['text over 500 characters', 'x'.repeat(501), 422],
    ['control characters', 'hello\u0007there', 422],
  ])('refuses %s with a clear message and changes nothing', async (_name, text, status) => {
    const { workshop, people, addIdea } = await setup()
    const response = await addIdea(people[0]!.token, text)
    expect(response.status).toBe(status)
    expect(response.body.error.message).toMatch(/idea/i)
    expect(state(workshop.workshopId).sections.find((s) => s.sectionId === 'values')?.pendingCount).toBe(0)
  })

  it('keeps HTML as plain text', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    await addIdea(people[0]!.token, '<script>alert(1)</script> & <b>bold</b>')
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    expect(state(workshop.workshopId).ideas[0]?.text).toBe('<script>alert(1)</script> & <b>bold</b>')
  })

  it('answers wrong phase with 409, unknown section with 404, facilitator-only actions with 403', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    expect((await facilitate('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    const late = await addIdea(people[0]!.token, 'Too late')
    expect(late.status).toBe(409)
    expect(late.body.error.code).toBe('wrong_phase')
    expect((await addIdea(people[0]!.token, 'Nowhere', 'no-such-section')).status).toBe(404)
    const asParticipant = await api(server, `/api/workshops/${workshop.workshopId}/sections/values/reveal`, { body: {}, token: people[0]!.token })
    expect(asParticipant.status).toBe(403)
    const ideaAsFacilitator = await api(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: 'hi' }, token: workshop.facilitatorKey })
    expect(ideaAsFacilitator.status).toBe(403)
    expect((await facilitate('/sections/values/phase', { phase: 'later' })).status).toBe(400)
    // Back again: phases move both ways.
    expect((await facilitate('/sections/values/phase', { phase: 'gather' })).status).toBe(200)
    expect((await addIdea(people[0]!.token, 'Now fine')).status).toBe(201)
  })

  it('hides an idea with a reason and merges duplicates, leaving a public trace', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    for (const [i, text] of ['Be kind', 'Be kind to each other', 'Buy a boat'].entries()) await addIdea(people[i]!.token, text)
    await facilitate('/sections/values/reveal')
    const ideas = state(workshop.workshopId).ideas
    const id = (text: string) => ideas.find((idea) => idea.text === text)!.ideaId
    expect((await facilitate(`/sections/values/ideas/${id('Buy a boat')}/hide`, { reason: 'off-topic' })).status).toBe(200)
    expect((await facilitate('/sections/values/merge', { keepIdeaId: id('Be kind to each other'), mergeIdeaIds: [id('Be kind')] })).status).toBe(200)

    const view = state(workshop.workshopId)
    const hidden = view.ideas.find((idea) => idea.ideaId === id('Buy a boat'))!
    expect(hidden).toMatchObject({ status: 'hidden', text: '', hiddenReason: 'off-topic' })
    expect(view.ideas.find((idea) => idea.ideaId === id('Be kind'))).toMatchObject({ status: 'merged', mergedInto: id('Be kind to each other') })
    expect(view.ideas.find((idea) => idea.ideaId === id('Be kind to each other'))?.mergedFrom).toEqual([id('Be kind')])
    expect(view.moderation).toEqual([
      { sectionId: 'values', action: 'hidden', reason: 'off-topic' },
      { sectionId: 'values', action: 'merged', reason: '2 similar ideas combined' },
    ])
    expect(JSON.stringify(view)).not.toContain('Buy a boat')
    expect(server.db.prepare('SELECT COUNT(*) AS n FROM moderation_log').get()).toMatchObject({ n: expect.any(Number) })
  })

  it('adds, renames, reorders and removes sections, with a frame on the board for each', async () => {
    const { workshop, facilitate } = await setup()
    const added = await facilitate('/sections', { template: 'barriers' })
    expect(added.status).toBe(201)
    const section = added.body as unknown as Section
    expect(section).toMatchObject({ kind: 'custom', title: 'What gets in the way', order: 3 })
    expect((await facilitate(`/sections/${section.sectionId}`, { title: 'Barriers to taking part' }, 'PATCH')).status).toBe(200)
    const order = ['values', section.sectionId, 'vision', 'ground-rules']
    expect((await facilitate('/sections/order', { sectionIds: order }, 'PUT')).status).toBe(200)
    expect(state(workshop.workshopId).sections.map((s) => s.sectionId)).toEqual(order)
    server.rooms.withRoom(workshop.workshopId, (room) => {
      expect(room.boardRecords.get(`shape:section-${section.sectionId}`)).toMatchObject({ props: { name: 'Barriers to taking part' } })
    })
    expect((await facilitate('/sections/order', { sectionIds: ['values'] }, 'PUT')).status).toBe(422)
    expect((await facilitate(`/sections/${section.sectionId}`, {}, 'DELETE')).status).toBe(200)
    server.rooms.withRoom(workshop.workshopId, (room) => {
      expect(readSection(room.state.doc, section.sectionId)).toBeUndefined()
      expect(room.boardRecords.has(`shape:section-${section.sectionId}`)).toBe(false)
    })
  })

  it('removes every row of a removed section, so one added again under its title can vote', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const votedIn = async () => {
      const section = (await facilitate('/sections', { template: 'barriers' })).body as unknown as Section
      await Promise.all(people.map((person, i) => addIdea(person.token, `Barrier ${i}`, section.sectionId)))
      expect((await facilitate(`/sections/${section.sectionId}/reveal`)).status).toBe(200)
      expect((await facilitate(`/sections/${section.sectionId}/phase`, { phase: 'vote' })).status).toBe(200)
      const ideaId = state(workshop.workshopId).ideas.find((idea) => idea.sectionId === section.sectionId)!.ideaId
      for (const person of people)
        expect((await api(server, `/api/workshops/${workshop.workshopId}/sections/${section.sectionId}/ballot`, { method: 'PUT', body: { dots: { [ideaId]: 1 } }, token: person.token })).status).toBe(200)
      expect((await facilitate(`/sections/${section.sectionId}/close-vote`)).status).toBe(200)
      return section.sectionId
    }
    const first = await votedIn()
    expect((await facilitate(`/sections/${first}`, {}, 'DELETE')).status).toBe(200)
    for (const table of ['ideas', 'vote_rounds', 'tallies', 'ballots', 'proposals'])
      expect(server.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE workshop_id = ? AND section_id = ?`).get(workshop.workshopId, first)).toEqual({ n: 0 })
    // The same title gives the same id; its vote opened into the old round's keys and failed.
    expect(await votedIn()).toBe(first)
  })

  it('forgets what was waiting in a removed section, so a section later given its id waits for 3 new people', async () => {
    const { workshop, people, addIdea, facilitate } = await setup()
    const fourth = await joinWorkshop(server, workshop.workshopId)
    const section = (await facilitate('/sections', { template: 'barriers' })).body as unknown as Section
    const added = await Promise.all(people.map((person, i) => addIdea(person.token, `Barrier ${i}`, section.sectionId)))
    expect((await facilitate(`/sections/${section.sectionId}/reveal`)).status).toBe(200)
    // Two people's edits wait for the next batch; then the section goes.
    for (const i of [0, 1])
      expect((await api(server, `/api/workshops/${workshop.workshopId}/ideas/${added[i]!.body.ideaId}`, { method: 'PATCH', body: { text: `Barrier ${i}, edited` }, token: people[i]!.token, headers: { 'x-author-key': added[i]!.body.authorKey } })).status).toBe(200)
    expect((await facilitate(`/sections/${section.sectionId}`, {}, 'DELETE')).status).toBe(200)

    const again = (await facilitate('/sections', { template: 'barriers' })).body as unknown as Section
    expect(again.sectionId).toBe(section.sectionId)
    // Ideas shown as they come (no reveal, which would have cleared the old waiting list).
    expect((await facilitate(`/sections/${again.sectionId}`, { hiddenUntilReveal: false }, 'PATCH')).status).toBe(200)
    expect((await addIdea(fourth.token, 'A lone idea', again.sectionId)).status).toBe(201)
    // One person's idea: the two old edits no longer count as two more people towards a batch.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(state(workshop.workshopId).ideas.filter((idea) => idea.sectionId === again.sectionId)).toEqual([])
  })

  it('unlocks the section frames of a board saved while they were locked, and stores it, as the room loads', async () => {
    const { workshop } = await setup()
    const frameIds = ['vision', 'values', 'ground-rules'].map(sectionFrameId)
    // What an earlier version stored: the same frames, locked (tldraw then moved no card inside them).
    server.rooms.withRoom(workshop.workshopId, (room) =>
      room.commit(() => undefined, {
        board: () => {
          for (const id of frameIds) room.boardRecords.set(id, { ...room.boardRecords.get(id)!, isLocked: true })
        },
      }),
    )
    await eventually(() => expect(server.rooms.isLoaded(workshop.workshopId)).toBe(false))

    server.rooms.withRoom(workshop.workshopId, (room) => {
      for (const id of frameIds) expect(room.boardRecords.get(id)).toMatchObject({ isLocked: false })
    })
    const stored = new Y.Doc()
    Y.applyUpdate(stored, Y.mergeUpdates(new DocStore(server.db).load(workshop.workshopId, DocName.board).updates))
    const records = new KeyValueArray<BoardRecord>(stored.getArray(BoardRoot.records))
    for (const id of frameIds) expect(records.get(id)).toMatchObject({ isLocked: false })
  })

  it('limits ideas per section for each person with a clear 429', async () => {
    const limited = await startTestServer({ config: { limits: { ...(await import('../../server/config.ts')).defaultLimits, ideasPerSection: 2 } } })
    try {
      const workshop = await createWorkshop(limited)
      const person = await joinWorkshop(limited, workshop.workshopId)
      const add = (text: string) => api<ErrorBody>(limited, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text }, token: person.token })
      expect((await add('one')).status).toBe(201)
      expect((await add('two')).status).toBe(201)
      const third = await add('three')
      expect(third.status).toBe(429)
      expect(third.body.error.code).toBe('limit_reached')
      // Moving waiting ideas carries the limit with them: no section fills beyond it that way.
      const addTo = (sectionId: string, text: string) => api<AddedIdea & ErrorBody>(limited, `/api/workshops/${workshop.workshopId}/sections/${sectionId}/ideas`, { body: { text }, token: person.token })
      const moveTo = (idea: AddedIdea, sectionId: string) =>
        api<ErrorBody>(limited, `/api/workshops/${workshop.workshopId}/ideas/${idea.ideaId}/move`, { body: { sectionId }, token: person.token, headers: { 'x-author-key': idea.authorKey } })
      const [a, b] = [(await addTo('vision', 'a')).body, (await addTo('vision', 'b')).body]
      expect((await moveTo(a, 'ground-rules')).status).toBe(200)
      expect((await addTo('vision', 'c')).status).toBe(201)
      expect((await moveTo(b, 'ground-rules')).status).toBe(200)
      const over = await moveTo((await addTo('vision', 'd')).body, 'ground-rules')
      expect([over.status, over.body.error?.code]).toEqual([429, 'limit_reached'])
    } finally {
      await limited.dispose()
    }
  })

  it('limits the ideas one workshop holds, whoever adds them, with a clear 429', async () => {
    // Every whole-workshop answer grows with it (December robustness review: 9,000 ideas, 4 MB outcomes).
    const limited = await startTestServer({ config: { limits: { ...(await import('../../server/config.ts')).defaultLimits, ideasPerWorkshop: 3 } } })
    try {
      const workshop = await createWorkshop(limited)
      const people = [await joinWorkshop(limited, workshop.workshopId), await joinWorkshop(limited, workshop.workshopId)]
      const add = (person: number, sectionId: string, text: string) =>
        api<ErrorBody>(limited, `/api/workshops/${workshop.workshopId}/sections/${sectionId}/ideas`, { body: { text }, token: people[person]!.token })
      expect((await add(0, 'values', 'one')).status).toBe(201)
      expect((await add(1, 'vision', 'two')).status).toBe(201)
      expect((await add(1, 'values', 'three')).status).toBe(201)
      const fourth = await add(0, 'ground-rules', 'four')
      expect([fourth.status, fourth.body.error.code]).toEqual([429, 'limit_reached'])
      expect(fourth.body.error.message).toContain('the most one workshop can hold')
    } finally {
      await limited.dispose()
    }
  })

  it('keeps no participant id anywhere near an idea in the database', async () => {
    const { people, addIdea } = await setup()
    await addIdea(people[0]!.token, 'Where is my name')
    const ideaRows = JSON.stringify(server.db.prepare('SELECT * FROM ideas').all())
    for (const person of people) {
      expect(ideaRows).not.toContain(person.participantId)
      expect(ideaRows).not.toContain(person.token)
    }
    const columns = columnNames(server.db, 'ideas').map((name) => ({ name }))
    expect(columns.map((column) => column.name)).not.toContain('participant_id')
  })

  it('keeps an author unnamed by a database copy even when their idempotency key is guessable', async () => {
    const { workshop, people, addIdea } = await setup()
    expect((await addIdea(people[0]!.token, 'Sent with a guessable key', 'values', { 'idempotency-key': '1' })).status).toBe(201)
    // Everything a copy holds: the server secret, every participant's id and token hash, the rows.
    const secret = (server.db.prepare("SELECT value FROM server_secrets WHERE name = 'author-keys'").get() as { value: Buffer }).value
    const rows = server.db.prepare('SELECT idempotency_hash AS idem, author_key_hash AS author FROM ideas WHERE workshop_id = ?').all(workshop.workshopId) as { idem: string; author: string }[]
    const participants = server.db.prepare('SELECT participant_id AS id, token_hash AS hash FROM participants WHERE workshop_id = ?').all(workshop.workshopId) as { id: string; hash: string }[]
    const guesses = (purpose: string, who: string) => [
      createHmac('sha256', secret).update(`${purpose}\u0000${workshop.workshopId}\u0000${who}\u0000${'1'}`).digest('base64url'),
      createHmac('sha256', secret).update(who).update(`\u0000${purpose}\u0000${workshop.workshopId}\u0000${'1'}`).digest('base64url'),
    ]
    for (const person of participants)
      for (const who of [person.id, person.hash]) {
        for (const guess of guesses('idem', who)) expect(rows.map((row) => row.idem)).not.toContain(guess)
        for (const guess of guesses('author', who)) expect(rows.map((row) => row.author)).not.toContain(hashToken(guess))
      }
  })
})
