import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicResults } from '../../shared/ballots.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { ExportModel } from '../../shared/exportModel.ts'
import type { AddedIdea, JoinedWorkshop } from '../../shared/intents.ts'
import type { Section } from '../../shared/sections.ts'
import { readState } from '../../shared/stateDoc.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import type { RecordedBallot } from '../../server/services/VoteService.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/** Issue 13 item 3: the facilitator can open a vote on themes instead of single ideas. */
describe('voting on themes', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  /** Values with four shown ideas; "Be kind" and "Listen first" put together as "Respect". */
  const setup = async () => {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const people: JoinedWorkshop[] = []
    for (let i = 0; i < 3; i++) people.push(await joinWorkshop(server, workshop.workshopId))
    const add = async (i: number, text: string) => (await api<AddedIdea>(server, `${w}/sections/values/ideas`, { body: { text }, token: people[i]!.token })).body.ideaId
    const ids = { kind: await add(0, 'Be kind'), listen: await add(1, 'Listen first'), time: await add(2, 'Start on time'), hope: await add(0, 'Hope') }
    const fac = (path: string, body: unknown = {}, method = 'POST') => api<ErrorBody & Section & PublicResults>(server, `${w}${path}`, { body, method, token: workshop.facilitatorKey })
    expect((await fac('/sections/values/reveal')).status).toBe(200)
    const theme = (await api<PublicTheme>(server, `${w}/sections/values/themes`, { body: { ideaId: ids.listen, withIdeaId: ids.kind, name: 'Respect' }, token: workshop.facilitatorKey })).body
    const ballot = (i: number, dots: Record<string, unknown>) => api<RecordedBallot & ErrorBody>(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots }, token: people[i]!.token })
    const state = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    return { workshop, w, people, ids, theme, fac, ballot, state }
  }

  it('opens a theme vote where ideas in no theme are votable as themselves, with the same rules, secret until it closes', async () => {
    const { workshop, w, people, ids, theme, fac, ballot, state } = await setup()
    const opened = await fac('/sections/values/phase', { phase: 'vote', subject: 'themes' })
    expect(opened.status).toBe(200)
    expect(opened.body.vote).toMatchObject({ status: 'open', subject: 'themes' })

    // A theme, and an idea in no theme, take dots; an idea inside the theme does not.
    expect((await ballot(0, { [theme.themeId]: 1, [ids.time]: 1 })).status).toBe(200)
    const inside = await ballot(1, { [ids.kind]: 1 })
    expect(inside.status).toBe(422)
    expect(inside.body.error.code).toBe('unprocessable')
    // Same budget and cap as for ideas.
    expect((await ballot(1, { [theme.themeId]: 2 })).body.error.code).toBe('over_cap')
    expect((await ballot(1, { [theme.themeId]: 1, [ids.time]: 1, [ids.hope]: 1, x: 0 })).status).toBe(422)
    expect((await ballot(1, { [theme.themeId]: 1, [ids.time]: 1, [ids.hope]: 1 })).status).toBe(200)

    // Secret while open: nothing in the state doc, the results route refuses.
    expect(state().results.values).toBeUndefined()
    expect((await api<ErrorBody>(server, `${w}/sections/values/results`, { token: people[0]!.token })).status).toBe(409)

    // MIN_RESULT_GROUP applies: 2 voters of 3 needed.
    const early = await fac('/sections/values/close-vote')
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('too_few_people')
    expect((await ballot(2, { [theme.themeId]: 1 })).status).toBe(200)
    const closed = await fac('/sections/values/close-vote')
    expect(closed.status).toBe(200)
    expect(closed.body.subject).toBe('themes')
    expect(closed.body.ranked).toEqual([])
    expect(closed.body.rankedThemes?.map((row) => ({ name: row.name, ideaIds: row.ideaIds, dots: row.dots, rank: row.rank }))).toEqual([
      { name: 'Respect', ideaIds: [ids.kind, ids.listen], dots: 3, rank: 1 },
      { name: null, ideaIds: [ids.time], dots: 2, rank: 2 },
      { name: null, ideaIds: [ids.hope], dots: 1, rank: 3 },
    ])
    expect(state().results.values).toEqual(closed.body)
    expect((await api<PublicResults>(server, `${w}/sections/values/results`, { token: people[0]!.token })).body).toEqual(closed.body)

    // The export ranks the themes, with each theme's ideas as provenance.
    const model = (await api<ExportModel>(server, `${w}/export?format=json`, { token: workshop.facilitatorKey })).body
    const values = model.sections.find((s) => s.sectionId === 'values')!
    expect(values.results).toMatchObject({
      subject: 'themes',
      ranked: [
        { rank: 1, text: 'Respect', dots: 3, tied: false, ideas: ['Be kind', 'Listen first'] },
        { rank: 2, text: 'Start on time', dots: 2, tied: false },
        { rank: 3, text: 'Hope', dots: 1, tied: false },
      ],
    })
    expect(values.results!.ranked[1]).not.toHaveProperty('ideas')
    expect(values.ideas.find((idea) => idea.text === 'Be kind')).toMatchObject({ dots: null, theme: 'Respect' })
    expect(values.ideas.find((idea) => idea.text === 'Hope')).toMatchObject({ dots: 1, theme: null })
    const markdown = await fetch(`${server.url}${w}/export?format=md`, { headers: { authorization: `Bearer ${workshop.facilitatorKey}` } }).then((r) => r.text())
    expect(markdown).toContain('1st: theme “Respect” — 3 dots (its ideas: “Be kind”, “Listen first”)')
  })

  it('keeps the themes as they were voted on, even if they change after the vote', async () => {
    const { w, people, ids, theme, fac, ballot } = await setup()
    await fac('/sections/values/phase', { phase: 'vote', subject: 'themes' })
    for (const i of [0, 1, 2]) await ballot(i, { [theme.themeId]: 1 })
    expect((await fac('/sections/values/phase', { phase: 'discuss' })).status).toBe(200)
    // Back in talking it through, someone moves "Start on time" into the theme.
    expect((await api(server, `${w}/sections/values/themes`, { body: { ideaId: ids.time, themeId: theme.themeId }, token: people[0]!.token })).status).toBe(200)
    const results = (await api<PublicResults>(server, `${w}/sections/values/results`, { token: people[0]!.token })).body
    expect(results.rankedThemes?.[0]).toMatchObject({ themeId: theme.themeId, ideaIds: [ids.kind, ids.listen], dots: 3 })
  })

  it('opens a vote on single ideas by default, and idea ballots refuse theme ids', async () => {
    const { theme, ids, fac, ballot } = await setup()
    const opened = await fac('/sections/values/phase', { phase: 'vote' })
    expect(opened.body.vote.subject).toBe('ideas')
    expect((await ballot(0, { [theme.themeId]: 1 })).status).toBe(422)
    expect((await ballot(0, { [ids.kind]: 1 })).status).toBe(200)
  })

  it('refuses a bad subject (400), themes where there are none (409), and a different subject while a vote is open (409)', async () => {
    const { w, fac, state } = await setup()
    const wrong = await fac('/sections/values/phase', { phase: 'vote', subject: 'people' })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.code).toBe('validation_failed')
    const notVote = await fac('/sections/values/phase', { phase: 'discuss', subject: 'themes' })
    expect(notVote.status).toBe(400)
    expect(notVote.body.error.code).toBe('validation_failed')

    // Vision has ideas but no themes.
    const none = await fac('/sections/vision/phase', { phase: 'vote', subject: 'themes' })
    expect(none.status).toBe(409)
    expect(none.body.error.code).toBe('conflict')
    expect(state().sections.find((s) => s.sectionId === 'vision')?.phase).toBe('gather')

    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    const other = await fac('/sections/values/phase', { phase: 'vote', subject: 'themes' })
    expect(other.status).toBe(409)
    expect(other.body.error.code).toBe('conflict')
    // Asking again for the subject already open is fine.
    expect((await fac('/sections/values/phase', { phase: 'vote', subject: 'ideas' })).status).toBe(200)
    expect((await api<ErrorBody>(server, `${w}/sections/values/phase`, { body: { phase: 'vote', subject: 'themes' } })).status).toBe(401)
  })
})
