import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicResults } from '../../shared/ballots.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { JoinedWorkshop } from '../../shared/intents.ts'
import { readState } from '../../shared/stateDoc.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * What people voted on is what the results show (December insider review): no idea or change is
 * published while people vote, ideas voted on keep their words, and one person cannot erase a
 * finished vote.
 */
describe('the words people vote on stay the words the results show', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ config: { ideaBatchIntervalMs: 50 } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  async function workshopWithIdeas(people = 3) {
    const workshop = await createWorkshop(server)
    const participants: JoinedWorkshop[] = []
    for (let i = 0; i < people; i++) participants.push(await joinWorkshop(server, workshop.workshopId))
    const w = `/api/workshops/${workshop.workshopId}`
    const fac = (path: string, body: unknown = {}, method = 'POST') => api<ErrorBody & Record<string, unknown>>(server, `${w}${path}`, { body, method, token: workshop.facilitatorKey })
    const add = async (person: JoinedWorkshop, text: string) =>
      (await api<{ ideaId: string; authorKey: string }>(server, `${w}/sections/values/ideas`, { body: { text }, token: person.token })).body
    const mine = await Promise.all(participants.map((person, i) => add(person, `Original ${i}`)))
    expect((await fac('/sections/values/reveal')).status).toBe(200)
    const state = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    const texts = () => state().ideas.filter((idea) => idea.sectionId === 'values' && idea.status === 'published').map((idea) => idea.text).sort()
    const edit = (i: number, text: string) =>
      api<ErrorBody>(server, `${w}/ideas/${mine[i]!.ideaId}`, { method: 'PATCH', body: { text }, token: participants[i]!.token, headers: { 'x-author-key': mine[i]!.authorKey } })
    const withdraw = (i: number) => api<ErrorBody>(server, `${w}/ideas/${mine[i]!.ideaId}`, { method: 'DELETE', token: participants[i]!.token, headers: { 'x-author-key': mine[i]!.authorKey } })
    const ballot = (person: JoinedWorkshop, dots: Record<string, number>) => api<ErrorBody>(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots }, token: person.token })
    return { workshop, participants, w, fac, add, mine, state, texts, edit, withdraw, ballot }
  }

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300))

  it('publishes nothing while people vote: ideas left waiting stay out until the vote is over', async () => {
    // A long batch interval: ideas sent just after a batch wait for the timer.
    const slow = await startTestServer({ config: { ideaBatchIntervalMs: 1500 } })
    try {
      const workshop = await createWorkshop(slow)
      const people = [await joinWorkshop(slow, workshop.workshopId), await joinWorkshop(slow, workshop.workshopId), await joinWorkshop(slow, workshop.workshopId)]
      const w = `/api/workshops/${workshop.workshopId}`
      const fac = (path: string, body: unknown = {}) => api<ErrorBody>(slow, `${w}${path}`, { body, token: workshop.facilitatorKey })
      for (const [i, person] of people.entries()) await api(slow, `${w}/sections/values/ideas`, { body: { text: `Early ${i}` }, token: person.token })
      expect((await fac('/sections/values/reveal')).status).toBe(200)
      // Three people's ideas: the batch timer would show them once the interval has passed.
      for (const [i, person] of people.entries()) await api(slow, `${w}/sections/values/ideas`, { body: { text: `Late ${i}` }, token: person.token })
      expect((await fac('/sections/values/phase', { phase: 'vote', leaveWaiting: true })).status).toBe(200)
      const texts = () => slow.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc)).ideas.filter((idea) => idea.status === 'published').map((idea) => idea.text).sort()
      await new Promise((resolve) => setTimeout(resolve, 2000))
      expect(texts()).toEqual(['Early 0', 'Early 1', 'Early 2'])
    } finally {
      await slow.dispose()
    }
  })

  it('still shows suggestions on the draft in batches at the agree step', async () => {
    const { fac, participants, state, w } = await workshopWithIdeas()
    expect((await fac('/sections/values/phase', { phase: 'agree' })).status).toBe(200)
    for (const [i, person] of participants.entries())
      expect((await api(server, `${w}/sections/values/suggestions`, { body: { text: `Suggestion ${i}` }, token: person.token })).status).toBe(201)
    await settle()
    expect(state().ideas.filter((idea) => idea.kind === 'suggestion' && idea.status === 'published').map((idea) => idea.text).sort()).toEqual(['Suggestion 0', 'Suggestion 1', 'Suggestion 2'])
  })

  it('says when new ideas wait as a vote opens, and opens it without them only when asked', async () => {
    const { fac, add, participants, texts } = await workshopWithIdeas()
    // One person's late idea waits: fewer than 3 people, so no batch shows it.
    await add(participants[0]!, 'Late idea')
    await settle()
    const refused = await fac('/sections/values/phase', { phase: 'vote' })
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ code: 'ideas_waiting' })
    expect(refused.body.error!.message).toContain('have not been shown yet')
    expect((await fac('/sections/values/phase', { phase: 'vote', leaveWaiting: true })).status).toBe(200)
    expect(texts()).not.toContain('Late idea')
  })

  it('answers a facilitator the same whatever waits, so a refusal cannot tell an edit from a new idea', async () => {
    // The facilitator taps "start the vote" after each person's tap (December insider review):
    // "changes" or "new ideas" in the answer named which kind each tap was.
    const answers: unknown[] = []
    const ask = async (fac: (path: string, body?: unknown) => Promise<{ status: number; body: ErrorBody }>) => {
      const refused = await fac('/sections/values/phase', { phase: 'vote' })
      answers.push([refused.status, refused.body.error])
    }
    const one = await workshopWithIdeas()
    await one.add(one.participants[0]!, 'Late idea')
    await ask(one.fac)
    const other = await workshopWithIdeas()
    expect((await other.edit(0, 'Changed alone')).status).toBe(200)
    await ask(other.fac)
    const third = await workshopWithIdeas()
    expect((await third.withdraw(1)).status).toBe(200)
    await ask(third.fac)
    expect(answers[0]).toMatchObject([409, { code: 'ideas_waiting' }])
    expect(answers[1]).toEqual(answers[0])
    expect(answers[2]).toEqual(answers[0])
    expect((answers[0] as [number, { message: string }])[1].message).not.toMatch(/\d/)
  })

  it('opens a vote without waiting edits when asked: the ideas keep the words everyone saw; a withdrawal still lands after', async () => {
    const { fac, edit, withdraw, participants, texts, state, mine, ballot, w } = await workshopWithIdeas()
    expect((await edit(0, 'Changed alone')).status).toBe(200)
    expect((await withdraw(1)).status).toBe(200)
    // Two people only, so no batch shows any of it.
    await settle()
    const waiting = () => state().sections.find((section) => section.sectionId === 'values')!.pendingCount
    const before = waiting()
    expect(before).toBeGreaterThan(0)
    expect((await fac('/sections/values/phase', { phase: 'vote', leaveWaiting: true })).status).toBe(200)
    expect(texts()).toEqual(['Original 0', 'Original 1', 'Original 2'])
    // The waiting count does not move as the vote opens: a fall would say an edit had waited.
    expect(waiting()).toBe(before)
    const own = await api<{ ideas: { text: string; status: string }[] }>(server, `${w}/ideas/mine`, { body: { ideas: mine.slice(0, 2) }, token: participants[0]!.token })
    expect(own.body.ideas.map((idea) => idea.status)).toEqual(['published', 'withdrawn'])
    expect(own.body.ideas[0]!.text).toBe('Original 0')
    // The withdrawal leaves with the first batch after the vote, as its author asked.
    const kept = state().ideas.find((idea) => idea.text === 'Original 0')!.ideaId
    for (const person of participants) expect((await ballot(person, { [kept]: 1 })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'discuss' })).status).toBe(200)
    expect((await fac('/sections/values/reveal', { publishAnyway: true })).status).toBe(200)
    expect(texts()).toEqual(['Original 0', 'Original 2'])
    expect(waiting()).toBe(0)
  })

  it('does not count dropped edits as people behind the next batch', async () => {
    // Two people's dropped edits and a third's new idea made "three people", and the idea was shown alone.
    const { fac, edit, add, participants, texts, state, ballot } = await workshopWithIdeas()
    expect((await edit(0, 'Changed 0')).status).toBe(200)
    expect((await edit(1, 'Changed 1')).status).toBe(200)
    await settle()
    expect((await fac('/sections/values/phase', { phase: 'vote', leaveWaiting: true })).status).toBe(200)
    const kept = state().ideas.find((idea) => idea.text === 'Original 0')!.ideaId
    for (const person of participants) expect((await ballot(person, { [kept]: 1 })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'discuss' })).status).toBe(200)
    await add(participants[2]!, 'Alone after the vote')
    await settle()
    expect(texts()).not.toContain('Alone after the vote')
  })

  it('answers the checks that do not depend on what waits first, so they cannot tell whether anything waits', async () => {
    const { fac, add, participants } = await workshopWithIdeas()
    await add(participants[0]!, 'Late idea')
    await settle()
    const refused = await fac('/sections/values/phase', { phase: 'vote', subject: 'themes' })
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ code: 'conflict' })
  })

  it('keeps the words and places of ideas people voted on when the section goes back to talking', async () => {
    const { fac, participants, state, edit, withdraw, ballot, add, w } = await workshopWithIdeas()
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    const first = state().ideas.find((idea) => idea.text === 'Original 0')!.ideaId
    for (const person of participants) expect((await ballot(person, { [first]: 1 })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'discuss' })).status).toBe(200)
    const published = state().results['values']!
    expect(published.ranked[0]).toMatchObject({ ideaId: first, dots: 3 })
    // The author of the winning idea tries to rewrite it, then to take it away.
    const rewrite = await edit(0, 'Swapped after the vote')
    expect(rewrite.status).toBe(409)
    expect(rewrite.body.error.message).toContain('keep their words')
    expect((await withdraw(0)).status).toBe(409)
    // New ideas may still come in while talking it through, but were not in the vote.
    await add(participants[1]!, 'After the vote 1')
    await add(participants[2]!, 'After the vote 2')
    await add(participants[0]!, 'After the vote 0')
    await settle()
    expect(state().ideas.find((idea) => idea.ideaId === first)).toMatchObject({ text: 'Original 0', status: 'published' })
    const results = await api<PublicResults>(server, `${w}/sections/values/results`, { token: participants[0]!.token })
    expect(results.status).toBe(200)
    expect(results.body).toEqual(published)
  })

  it('lets an author add a content note after a vote without holding the next vote back', async () => {
    const { fac, participants, state, ballot, w, mine } = await workshopWithIdeas()
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    const first = state().ideas.find((idea) => idea.text === 'Original 0')!.ideaId
    for (const person of participants) expect((await ballot(person, { [first]: 1 })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'discuss' })).status).toBe(200)
    const note = await api(server, `${w}/ideas/${mine[0]!.ideaId}/content-note`, { method: 'PUT', body: { note: 'mentions loss' }, token: participants[0]!.token, headers: { 'x-author-key': mine[0]!.authorKey } })
    expect(note.status).toBe(200)
    await settle()
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
  })

  it('brings the earlier results back when a new round ends with no dots, even if someone put one in and took it back', async () => {
    const { fac, participants, state, ballot } = await workshopWithIdeas(4)
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    const first = state().ideas.find((idea) => idea.text === 'Original 0')!.ideaId
    for (const person of participants) expect((await ballot(person, { [first]: 1 })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'agree' })).status).toBe(200)
    const published = state().results['values']!
    expect(published).toMatchObject({ round: 1, voterCount: 4 })
    expect((await fac('/sections/values/phase', { phase: 'discuss' })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    // One dot on, then off: one person "voted" and the round now holds no dots.
    expect((await ballot(participants[0]!, { [first]: 1 })).status).toBe(200)
    expect((await ballot(participants[0]!, {})).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'agree' })).status).toBe(200)
    expect(state().results['values']).toEqual(published)
  })
})
