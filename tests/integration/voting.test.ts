import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicProposal } from '../../shared/consent.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { JoinedWorkshop } from '../../shared/intents.ts'
import { readState } from '../../shared/stateDoc.ts'
import type { RecordedBallot } from '../../server/services/VoteService.ts'
import { CONSENT_ROUNDS_PER_SECTION } from '../../server/services/ConsentService.ts'
import { FrameRecorder } from '../helpers/recorder.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, testStorage, type TestServer } from '../helpers/testServer.ts'
import { columnNames } from '../../server/storage/schemaInfo.ts'
import { defaultLimits } from '../../server/config.ts'
import { DocStore } from '../../server/storage/DocStore.ts'
import * as Y from 'yjs'

describe('equal voting, results and consent rounds', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ config: { ideaBatchIntervalMs: 50 } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  /** A workshop with published ideas in Values and the section moved to `vote`. */
  async function votingWorkshop(ideaTexts = ['Respect', 'Honesty', 'Hope', 'Kindness'], people = 3, settings?: object) {
    const workshop = await createWorkshop(server)
    const participants: JoinedWorkshop[] = []
    for (let i = 0; i < people; i++) participants.push(await joinWorkshop(server, workshop.workshopId))
    const w = `/api/workshops/${workshop.workshopId}`
    const fac = (path: string, body: unknown = {}, method = 'POST') => api<ErrorBody & Record<string, unknown>>(server, `${w}${path}`, { body, method, token: workshop.facilitatorKey })
    // From several people: a batch from fewer than 3 is shown only if the facilitator insists.
    for (const [i, text] of ideaTexts.entries()) await api(server, `${w}/sections/values/ideas`, { body: { text }, token: participants[i % participants.length]!.token })
    expect((await fac('/sections/values/reveal', people < 3 ? { publishAnyway: true } : {})).status).toBe(200)
    if (settings) expect((await fac('/sections/values/vote-settings', settings, 'PUT')).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    const state = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    const ideaId = (text: string) => state().ideas.find((idea) => idea.text === text)!.ideaId
    const ballot = (token: string, dots: Record<string, unknown>) => api<RecordedBallot & ErrorBody>(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots }, token })
    return { workshop, participants, w, fac, state, ideaId, ballot }
  }

  it('records a ballot within budget and cap, replaces it on change, and clears it when empty', async () => {
    const { participants, ideaId, ballot, state } = await votingWorkshop()
    const token = participants[0]!.token
    const first = await ballot(token, { [ideaId('Respect')]: 1, [ideaId('Hope')]: 1 })
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ used: 2, remaining: 1 })
    const changed = await ballot(token, { [ideaId('Honesty')]: 1 })
    expect(changed.body.dots).toEqual({ [ideaId('Honesty')]: 1 })
    expect(state().sections.find((s) => s.sectionId === 'values')?.vote.votedCount).toBe(1)
    const cleared = await ballot(token, {})
    expect(cleared.body).toMatchObject({ used: 0, remaining: 3 })
    // Still counted as having taken part: a count that fell would show that this request emptied a ballot.
    expect(state().sections.find((s) => s.sectionId === 'values')?.vote.votedCount).toBe(1)
  })

  it.each([
    ['more dots than the budget', (id: (t: string) => string) => ({ [id('Respect')]: 1, [id('Honesty')]: 1, [id('Hope')]: 1, [id('Kindness')]: 1 }), 'over_budget'],
    ['more than the cap on one idea', (id: (t: string) => string) => ({ [id('Respect')]: 2 }), 'over_cap'],
    ['negative dots', (id: (t: string) => string) => ({ [id('Respect')]: -1 }), 'unprocessable'],
    ['fractional dots', (id: (t: string) => string) => ({ [id('Respect')]: 0.5 }), 'unprocessable'],
    ['an unknown idea', () => ({ 'no-such-idea': 1 }), 'unprocessable'],
  ])('refuses %s with 422 and keeps the previous ballot', async (_name, dots, code) => {
    const { participants, ideaId, ballot, w } = await votingWorkshop()
    const token = participants[0]!.token
    await ballot(token, { [ideaId('Hope')]: 1 })
    const refused = await ballot(token, dots(ideaId))
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe(code)
    const mine = await api<RecordedBallot>(server, `${w}/sections/values/ballot`, { token })
    expect(mine.body.dots).toEqual({ [ideaId('Hope')]: 1 })
  })

  it('refuses dots on hidden ideas and ideas from another section', async () => {
    const { workshop, participants, ideaId, ballot, fac } = await votingWorkshop()
    const kindness = ideaId('Kindness')
    expect((await fac(`/sections/values/ideas/${kindness}/hide`, { reason: 'duplicate' })).status).toBe(200)
    expect((await ballot(participants[0]!.token, { [kindness]: 1 })).status).toBe(422)
    const added = await api(server, `/api/workshops/${workshop.workshopId}/sections/vision/ideas`, { body: { text: 'Vision idea' }, token: participants[0]!.token })
    expect(added.status).toBe(201)
    expect((await fac('/sections/vision/reveal', { publishAnyway: true })).status).toBe(200)
    const visionIdea = server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas.find((i) => i.text === 'Vision idea')!.ideaId)
    expect((await ballot(participants[0]!.token, { [visionIdea]: 1 })).status).toBe(422)
  })

  it('gives dots back when an idea leaves an open vote (hidden or merged), so every ballot keeps its whole budget', async () => {
    const { participants, ideaId, ballot, fac, state, w } = await votingWorkshop(['Respect', 'Honesty', 'Hope', 'Kindness'], 3, { budget: 3, maxPerIdea: 2, liveTallies: false })
    const [alice, bob] = [participants[0]!.token, participants[1]!.token]
    expect((await ballot(alice, { [ideaId('Kindness')]: 2, [ideaId('Respect')]: 1 })).status).toBe(200)
    expect((await ballot(bob, { [ideaId('Hope')]: 2 })).status).toBe(200)
    expect((await fac(`/sections/values/ideas/${ideaId('Kindness')}/hide`, { reason: 'duplicate' })).status).toBe(200)
    expect((await fac('/sections/values/merge', { keepIdeaId: ideaId('Honesty'), mergeIdeaIds: [ideaId('Hope')] })).status).toBe(200)

    const mine = async (token: string) => (await api<RecordedBallot>(server, `${w}/sections/values/ballot`, { token })).body
    // Alice's two dots on Kindness are hers again; Bob's on Hope (merged away) too.
    expect(await mine(alice)).toEqual({ dots: { [ideaId('Respect')]: 1 }, used: 1, remaining: 2 })
    expect(await mine(bob)).toEqual({ dots: {}, used: 0, remaining: 3 })
    // The count everyone sees stays at 2: dropping to 1 told the facilitator, who had just merged
    // Hope away, that all of someone's dots were on Hope (removing ideas one by one probed ballots).
    expect(state().sections.find((s) => s.sectionId === 'values')?.vote.votedCount).toBe(2)
    // And she can spend them: before, every change to a ballot holding a hidden idea was refused.
    expect((await ballot(alice, { [ideaId('Respect')]: 2, [ideaId('Honesty')]: 1 })).status).toBe(200)
  })

  it('with running totals, keeps counting people who put dots in: no count falls and no totals vanish when ballots empty', async () => {
    const { participants, ideaId, ballot, fac, state, w, workshop } = await votingWorkshop(['Respect', 'Honesty', 'Hope', 'Kindness'], 4, { budget: 3, maxPerIdea: 3, liveTallies: true })
    const [a, b, c, d] = participants.map((p) => p.token) as [string, string, string, string]
    for (const token of [a, b, c]) expect((await ballot(token, { [ideaId('Respect')]: 1 })).status).toBe(200)
    expect((await ballot(d, { [ideaId('Kindness')]: 3 })).status).toBe(200)
    const results = () => api<{ voterCount: number } & ErrorBody>(server, `${w}/sections/values/results`, { token: workshop.facilitatorKey })
    expect((await results()).body.voterCount).toBe(4)
    // All of D's dots were on Kindness: hiding it must not tell the facilitator so (4, not 3).
    expect((await fac(`/sections/values/ideas/${ideaId('Kindness')}/hide`, { reason: 'duplicate' })).status).toBe(200)
    expect((await results()).body.voterCount).toBe(4)
    // Two people take their dots back: the totals stay up for everyone, still counting 4, and are
    // the last ones shown (new ones would be the one ballot left; removing them would tell).
    const before = await results()
    expect((await ballot(a, {})).status).toBe(200)
    expect((await ballot(b, {})).status).toBe(200)
    const after = await results()
    expect([after.status, after.body.voterCount]).toEqual([200, 4])
    expect(after.body).toEqual(before.body)
    expect(state().results['values']).toEqual(before.body)
    // And the count published at close is the one everyone saw.
    expect((await fac('/sections/values/close-vote', { publishAnyway: true })).status).toBe(200)
    expect(state().sections.find((s) => s.sectionId === 'values')?.vote.votedCount).toBe(4)
  })

  it('keeps the earlier results when the vote step is opened again and left with nobody voting', async () => {
    const { participants, ideaId, ballot, fac, state } = await votingWorkshop()
    for (const person of participants) expect((await ballot(person.token, { [ideaId('Hope')]: 1, [ideaId('Respect')]: 1 })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'agree' })).status).toBe(200)
    const published = state().results['values']
    expect(published).toMatchObject({ round: 1, final: true, voterCount: 3 })
    // An idea voted on is hidden afterwards: the results as published still name it.
    const hope = ideaId('Hope')
    expect((await fac(`/sections/values/ideas/${hope}/hide`, { reason: 'duplicate' })).status).toBe(200)
    // "Back to voting", then "Move on" with nobody voting: an empty round replaced these.
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    expect((await fac('/sections/values/phase', { phase: 'agree' })).status).toBe(200)
    expect(state().results['values']).toEqual(published)
    expect(state().sections.find((s) => s.sectionId === 'values')?.vote).toMatchObject({ status: 'closed', round: 1, votedCount: 3 })
    // A vote held again is the second round, and its results replace the first's.
    expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    for (const person of participants) expect((await ballot(person.token, { [ideaId('Kindness')]: 1 })).status).toBe(200)
    expect((await fac('/sections/values/close-vote')).status).toBe(200)
    expect(state().results['values']).toMatchObject({ round: 2, voterCount: 3 })
    expect(state().results['values']!.ranked.map((r) => r.ideaId)).not.toContain(hope)
    expect(state().results['values']!.ranked[0]).toMatchObject({ ideaId: ideaId('Kindness'), dots: 3 })
  })

  it('keeps no stored step-by-step history of the totals or the joins once the vote closes', async () => {
    const { participants, ideaId, ballot, fac, workshop } = await votingWorkshop(['Respect', 'Honesty', 'Hope', 'Kindness'], 5, { budget: 3, maxPerIdea: 3, liveTallies: true })
    const choices = ['Respect', 'Honesty', 'Hope', 'Kindness', 'Respect']
    for (const [i, person] of participants.entries()) expect((await ballot(person.token, { [ideaId(choices[i]!)]: 1 + (i % 3) })).status).toBe(200)
    expect((await fac('/sections/values/close-vote')).status).toBe(200)
    // Everything a copy of the database holds of the state doc, replayed in the order it was stored.
    const stored = new DocStore(server.db).load(workshop.workshopId, 'state').updates
    const replayed = new Y.Doc()
    const seen = { totals: new Set<string>(), counts: new Set<number>(), voted: new Set<number>() }
    for (const update of stored) {
      Y.applyUpdate(replayed, update)
      const view = readState(replayed)
      seen.totals.add(JSON.stringify(view.results['values'] ?? null))
      seen.counts.add(view.workshop?.participantCount ?? -1)
      seen.voted.add(view.sections.find((section) => section.sectionId === 'values')?.vote.votedCount ?? -1)
    }
    // Each step would show what the person who just pressed added, next to the join before it.
    expect([seen.totals.size, seen.counts.size, seen.voted.size]).toEqual([1, 1, 1])
    expect(seen.counts).toEqual(new Set([5]))
  })

  it('never lets racing requests on one token exceed the budget', async () => {
    const { participants, ideaId, ballot, workshop } = await votingWorkshop(['A', 'B', 'C', 'D', 'E', 'F'], 1)
    const token = participants[0]!.token
    const ids = ['A', 'B', 'C', 'D', 'E', 'F'].map(ideaId)
    const requests = Array.from({ length: 40 }, (_, i) => ballot(token, { [ids[i % 6]!]: 1, [ids[(i + 1) % 6]!]: 1, [ids[(i + 2) % 6]!]: 1 }))
    const responses = await Promise.all(requests)
    expect(responses.every((response) => response.status === 200)).toBe(true)
    const rows = server.db.prepare('SELECT SUM(dots) AS total FROM ballots WHERE workshop_id = ?').get(workshop.workshopId) as { total: number }
    expect(rows.total).toBe(3)
  })

  it('keeps settings fixed while the vote is open, and wrong-phase ballots get 409', async () => {
    const { fac, participants, ideaId, ballot } = await votingWorkshop()
    const change = await fac('/sections/values/vote-settings', { budget: 10, maxPerIdea: 5 }, 'PUT')
    expect(change.status).toBe(409)
    await fac('/sections/values/close-vote')
    const late = await ballot(participants[0]!.token, { [ideaId('Hope')]: 1 })
    expect(late.status).toBe(409)
    const noToken = await api(server, '/api/workshops/x/sections/values/ballot', { method: 'PUT', body: { dots: {} } })
    expect(noToken.status).toBe(404)
  })

  it('sends no per-idea counts to anyone before close, then publishes ranked results with ties and detaches ballots', async () => {
    const { workshop, participants, ideaId, ballot, fac, state, w } = await votingWorkshop(['Respect', 'Honesty', 'Hope', 'Kindness'], 4)
    const url = (token: string) => `${server.url.replace('http', 'ws')}/ws/${workshop.workshopId}/state?token=${token}`
    const recorders = [new FrameRecorder(url(participants[3]!.token)), new FrameRecorder(url(workshop.facilitatorKey))]
    await Promise.all(recorders.map((r) => r.opened))

    await ballot(participants[0]!.token, { [ideaId('Respect')]: 1, [ideaId('Hope')]: 1, [ideaId('Honesty')]: 1 })
    await ballot(participants[1]!.token, { [ideaId('Respect')]: 1, [ideaId('Hope')]: 1 })
    await ballot(participants[2]!.token, { [ideaId('Respect')]: 1 })
    await new Promise((resolve) => setTimeout(resolve, 200))
    const early = await api<ErrorBody>(server, `${w}/sections/values/results`, { token: workshop.facilitatorKey })
    expect(early.status).toBe(409)
    expect(state().results).toEqual({})
    for (const recorder of recorders) {
      for (const update of recorder.updates()) expect(Buffer.from(update).toString('utf8')).not.toMatch(/"dots"|ranked/)
    }
    expect(state().sections.find((s) => s.sectionId === 'values')?.vote.votedCount).toBe(3)

    const closed = await fac('/sections/values/close-vote')
    expect(closed.status).toBe(200)
    const results = (await api<PublicResults>(server, `${w}/sections/values/results`, { token: participants[3]!.token })).body
    expect(results.voterCount).toBe(3)
    expect(results.ranked.map((r) => [r.dots, r.rank, r.tied])).toEqual([
      [3, 1, false],
      [2, 2, false],
      [1, 3, false],
      [0, 4, false],
    ])
    expect(state().results.values?.final).toBe(true)

    // Detached: no ballot rows remain; no roll names who voted (only the count); tallies have no person.
    expect(server.db.prepare('SELECT COUNT(*) AS n FROM ballots WHERE workshop_id = ?').get(workshop.workshopId)).toEqual({ n: 0 })
    expect(server.db.prepare('SELECT COUNT(*) AS n FROM voter_roll WHERE workshop_id = ?').get(workshop.workshopId)).toEqual({ n: 0 })
    const tallyColumns = columnNames(server.db, 'tallies')
    expect(tallyColumns).not.toContain('participant_id')
    for (const recorder of recorders) recorder.close()
  })

  it('shows ties as ties', async () => {
    const { participants, ideaId, ballot, fac } = await votingWorkshop(['Respect', 'Honesty', 'Hope'], 2)
    await ballot(participants[0]!.token, { [ideaId('Respect')]: 1, [ideaId('Hope')]: 1 })
    await ballot(participants[1]!.token, { [ideaId('Respect')]: 1, [ideaId('Honesty')]: 1 })
    const results = (await fac('/sections/values/close-vote', { publishAnyway: true })).body as unknown as PublicResults
    expect(results.ranked.map((r) => [r.dots, r.rank, r.tied])).toEqual([
      [2, 1, false],
      [1, 2, true],
      [1, 2, true],
    ])
  })

  it('makes at most twice a workshop’s places in invite codes, in all', async () => {
    const workshop = await createWorkshop(server, 'Invite only', 'invite')
    const codes = (count: number) => api<ErrorBody>(server, `/api/workshops/${workshop.workshopId}/invite-codes`, { body: { count }, token: workshop.facilitatorKey })
    const most = 2 * defaultLimits.participantsPerWorkshop
    expect((await codes(500)).status).toBe(201)
    expect((await codes(most - 500)).status).toBe(201)
    const over = await codes(1)
    expect([over.status, over.body.error.code]).toEqual([429, 'limit_reached'])
  })

  it('refuses a reused or unknown invite code and counts codes without saying who used them', async () => {
    const workshop = await createWorkshop(server, 'Invite only', 'invite')
    const w = `/api/workshops/${workshop.workshopId}`
    const made = await api<{ codes: string[] }>(server, `${w}/invite-codes`, { body: { count: 3 }, token: workshop.facilitatorKey })
    expect(made.status).toBe(201)
    const [code] = made.body.codes
    expect((await api(server, `${w}/join`, { body: {} })).status).toBe(403)
    expect((await api(server, `${w}/join`, { body: { inviteCode: 'NOTACODE' } })).status).toBe(403)
    expect((await api(server, `${w}/join`, { body: { inviteCode: code!.toLowerCase() } })).status).toBe(201)
    const again = await api<ErrorBody>(server, `${w}/join`, { body: { inviteCode: code } })
    expect(again.status).toBe(409)
    const view = await api<Record<string, unknown>>(server, `${w}/facilitator`, { token: workshop.facilitatorKey })
    expect(view.body).toMatchObject({ inviteCodesIssued: 3, inviteCodesUsed: 1, participantCount: 1 })
    expect(JSON.stringify(server.db.prepare('SELECT * FROM invite_codes').all())).not.toContain(code)
  })

  it('allows a section 20 consent rounds, so opening and closing rounds in a loop cannot grow the shared state without end', async () => {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const fac = (path: string, body: unknown = {}) => api<PublicProposal & ErrorBody>(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    await fac('/sections/vision/phase', { phase: 'agree' })
    for (let round = 1; round <= CONSENT_ROUNDS_PER_SECTION; round++) {
      const opened = await fac('/sections/vision/proposals', { text: `Draft ${round}` })
      expect(opened.status).toBe(201)
      expect((await fac(`/proposals/${opened.body.proposalId}/close`, { publishAnyway: true })).status).toBe(200)
    }
    const refused = await fac('/sections/vision/proposals', { text: 'One more' })
    expect([refused.status, refused.body.error.code]).toEqual([429, 'limit_reached'])
  })

  it('rewrites nobody’s rows when a vote or a consent round closes with nothing in it', async () => {
    const { workshop, fac } = await votingWorkshop(['Respect', 'Honesty', 'Hope', 'Kindness', 'Trust', 'Care', 'Time', 'Voice'])
    // A rewrite in random order (diskHygiene.scrubWorkshop) moves every row on PostgreSQL (new
    // ctids) and on SQLite empties the WAL, which otherwise keeps the close's own writes.
    const ideaPlaces = async () => JSON.stringify(await server.db.prepare('SELECT idea_id AS id, ctid::text AS place FROM ideas WHERE workshop_id = ? ORDER BY idea_id').all(workshop.workshopId))
    const before = testStorage === 'postgres' ? await ideaPlaces() : null
    const rewritten = async () => (testStorage === 'postgres' ? (await ideaPlaces()) !== before : statSync(join(server.config.dataDir, 'parity.sqlite-wal')).size === 0)
    expect((await fac('/sections/values/close-vote', { publishAnyway: true })).status).toBe(200)
    expect(await rewritten()).toBe(false)
    await fac('/sections/vision/phase', { phase: 'agree' })
    const opened = await fac('/sections/vision/proposals', { text: 'Nobody answers this one' })
    expect((await fac(`/proposals/${opened.body.proposalId as string}/close`, { publishAnyway: true })).status).toBe(200)
    // Each rewrite also empties the WAL (and vacuums on PostgreSQL): a loop of empty rounds stalled the server.
    expect(await rewritten()).toBe(false)
  })

  it('runs a consent round with an objection, a revision and a second round, keeping both', async () => {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    const fac = (path: string, body: unknown = {}) => api<PublicProposal & ErrorBody>(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    const respond = (token: string, proposalId: string, response: string, reason?: string) =>
      api<ErrorBody>(server, `${w}/proposals/${proposalId}/response`, { method: 'PUT', body: { response, ...(reason ? { reason } : {}) }, token })

    expect((await fac('/sections/vision/proposals', { text: 'Too early' })).status).toBe(409)
    await fac('/sections/vision/phase', { phase: 'agree' })
    expect((await fac('/sections/vision/proposals', {})).status).toBe(422)
    const first = (await fac('/sections/vision/proposals', { text: 'Services that listen.' })).body
    expect(first).toMatchObject({ roundNumber: 1, status: 'open', respondedCount: 0 })
    expect((await fac('/sections/vision/proposals', { text: 'Another' })).status).toBe(409)

    await respond(people[0]!.token, first.proposalId, 'agree')
    await respond(people[1]!.token, first.proposalId, 'agree')
    await respond(people[2]!.token, first.proposalId, 'agree')
    // Changeable until close: the third person changes their mind.
    await respond(people[2]!.token, first.proposalId, 'object', 'It leaves out carers.')
    expect((await respond(people[0]!.token, first.proposalId, 'maybe')).status).toBe(400)
    expect((await respond(people[0]!.token, first.proposalId, 'object', 'x'.repeat(301))).status).toBe(400)
    const closed = (await fac(`/proposals/${first.proposalId}/close`)).body
    expect(closed).toMatchObject({ status: 'closed', outcome: 'not-agreed', counts: { agree: 2, canLiveWith: 0, object: 1 } })
    expect(closed.reasons).toEqual([{ response: 'object', text: 'It leaves out carers.' }])
    expect((await respond(people[0]!.token, first.proposalId, 'agree')).status).toBe(409)
    expect(server.db.prepare('SELECT COUNT(*) AS n FROM consent_responses').get()).toEqual({ n: 0 })

    const second = (await fac('/sections/vision/proposals', { text: 'Services that listen to people and their carers.', revisionNote: 'Added carers, as one objection asked.' })).body
    expect(second.roundNumber).toBe(2)
    for (const person of people) await respond(person.token, second.proposalId, 'can-live-with')
    const agreed = (await fac(`/proposals/${second.proposalId}/close`)).body
    expect(agreed.outcome).toBe('agreed')
    const proposals = server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).proposals)
    expect(proposals.map((p) => [p.roundNumber, p.outcome])).toEqual([
      [1, 'not-agreed'],
      [2, 'agreed'],
    ])
  })

  it('reports perspectives only when every group has at least three people', async () => {
    const run = async (perspectives: string[]) => {
      const workshop = await createWorkshop(server)
      const w = `/api/workshops/${workshop.workshopId}`
      const people = []
      for (const perspective of perspectives) people.push(await joinWorkshop(server, workshop.workshopId, { perspective }))
      await api(server, `${w}/sections/values/phase`, { body: { phase: 'agree' }, token: workshop.facilitatorKey })
      const proposal = (await api<PublicProposal>(server, `${w}/sections/values/proposals`, { body: { items: ['Respect', 'Honesty'] }, token: workshop.facilitatorKey })).body
      for (const [index, person] of people.entries())
        await api(server, `${w}/proposals/${proposal.proposalId}/response`, { method: 'PUT', body: { response: index === 0 ? 'object' : 'agree' }, token: person.token })
      return (await api<PublicProposal>(server, `${w}/proposals/${proposal.proposalId}/close`, { body: {}, token: workshop.facilitatorKey })).body.perspectives
    }
    expect(await run(['carer', 'carer', 'carer', 'staff', 'staff', 'staff'])).toEqual({ supportedAcross: 2, of: 2 })
    expect(await run(['carer', 'carer', 'staff', 'staff', 'staff'])).toMatchObject({ withheld: expect.stringContaining('fewer than 3') })
  })

  it('keeps a vote with fewer than 3 voters open until the facilitator publishes anyway, in public', async () => {
    const { participants, ideaId, ballot, fac, state, w } = await votingWorkshop(['Respect', 'Honesty', 'Hope'], 3, { budget: 3, maxPerIdea: 1, liveTallies: true })
    // One person votes: closing would publish exactly their ballot, and live totals would show it.
    await ballot(participants[0]!.token, { [ideaId('Hope')]: 1 })
    expect(state().results).toEqual({})
    const live = await api<ErrorBody>(server, `${w}/sections/values/results`, { token: participants[1]!.token })
    expect(live.status).toBe(409)
    expect(live.body.error.code).toBe('too_few_people')
    const refused = await fac('/sections/values/close-vote')
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ code: 'too_few_people', message: expect.stringMatching(/^Too few people have voted to keep votes secret/) })
    expect(state().sections.find((s) => s.sectionId === 'values')!.vote.status).toBe('open')
    expect(state().results).toEqual({})
    // Leaving the vote step would close it too: refused the same way.
    expect((await fac('/sections/values/phase', { phase: 'discuss' })).body.error.code).toBe('too_few_people')
    // With 3 voters the live totals appear, and closing needs no extra step.
    await ballot(participants[1]!.token, { [ideaId('Hope')]: 1 })
    await ballot(participants[2]!.token, { [ideaId('Respect')]: 1 })
    expect(state().results.values?.final).toBe(false)
    expect((await fac('/sections/values/close-vote')).status).toBe(200)
    expect(state().moderation).toEqual([])
  })

  it('publishes a small vote only when the facilitator insists, with a line everyone sees', async () => {
    const { participants, ideaId, ballot, fac, state } = await votingWorkshop()
    await ballot(participants[0]!.token, { [ideaId('Hope')]: 1 })
    expect((await fac('/sections/values/close-vote', { publishAnyway: true })).status).toBe(200)
    expect(state().results.values).toMatchObject({ final: true, voterCount: 1 })
    expect(state().moderation).toEqual([{ sectionId: 'values', action: 'published-early', reason: expect.stringMatching(/only 1 person voted/) }])
    expect(server.db.prepare("SELECT COUNT(*) AS n FROM moderation_log WHERE action = 'published-early'").get()).toEqual({ n: expect.any(Number) })
  })

  it('keeps consent answers from fewer than 3 people unpublished unless the facilitator insists, in public', async () => {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all([0, 1].map(() => joinWorkshop(server, workshop.workshopId)))
    const fac = (path: string, body: unknown = {}) => api<PublicProposal & ErrorBody>(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    await fac('/sections/vision/phase', { phase: 'agree' })
    const proposal = (await fac('/sections/vision/proposals', { text: 'Services that listen.' })).body
    for (const [i, person] of people.entries())
      await api(server, `${w}/proposals/${proposal.proposalId}/response`, { method: 'PUT', body: { response: i ? 'agree' : 'object', reason: `Reason ${i}` }, token: person.token })
    const refused = await fac(`/proposals/${proposal.proposalId}/close`)
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('too_few_people')
    const stillOpen = server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).proposals[0]!)
    expect(stillOpen).toMatchObject({ status: 'open', counts: null, reasons: [], outcome: null })
    const closed = await fac(`/proposals/${proposal.proposalId}/close`, { publishAnyway: true })
    expect(closed.body).toMatchObject({ status: 'closed', counts: { agree: 1, canLiveWith: 0, object: 1 } })
    const view = server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    expect(view.moderation).toEqual([{ sectionId: 'vision', action: 'published-early', reason: expect.stringMatching(/only 2 people responded/) }])
  })

  it('withholds the perspective breakdown of a round that was open across a restart, and says why', async () => {
    const own = await startTestServer()
    try {
      const workshop = await createWorkshop(own)
      const w = `/api/workshops/${workshop.workshopId}`
      const people = []
      for (const perspective of ['carer', 'carer', 'carer', 'staff', 'staff', 'staff']) people.push(await joinWorkshop(own, workshop.workshopId, { perspective }))
      await api(own, `${w}/sections/values/phase`, { body: { phase: 'agree' }, token: workshop.facilitatorKey })
      const proposal = (await api<PublicProposal>(own, `${w}/sections/values/proposals`, { body: { items: ['Respect'] }, token: workshop.facilitatorKey })).body
      for (const person of people) await api(own, `${w}/proposals/${proposal.proposalId}/response`, { method: 'PUT', body: { response: 'agree' }, token: person.token })
      // Perspectives of answers live in memory only: nothing on disk ties an answer to a group.
      const restarted = await own.restart()
      const closed = (await api<PublicProposal>(restarted, `${w}/proposals/${proposal.proposalId}/close`, { body: {}, token: workshop.facilitatorKey })).body
      expect(closed.counts).toEqual({ agree: 6, canLiveWith: 0, object: 0 })
      expect(closed.perspectives).toMatchObject({ withheld: expect.stringMatching(/server restarted/) })
      await restarted.dispose()
    } catch (error) {
      await own.dispose().catch(() => undefined)
      throw error
    }
  })

  it('keeps each ballot across a restart, under a key the database cannot compute, and replaces it rather than adding', async () => {
    const own = await startTestServer()
    let current = own
    try {
      const workshop = await createWorkshop(own)
      const w = `/api/workshops/${workshop.workshopId}`
      const people = await Promise.all([0, 1, 2].map(() => joinWorkshop(own, workshop.workshopId)))
      for (const [i, person] of people.entries()) await api(own, `${w}/sections/values/ideas`, { body: { text: `Idea ${i}` }, token: person.token })
      await api(own, `${w}/sections/values/reveal`, { body: {}, token: workshop.facilitatorKey })
      await api(own, `${w}/sections/values/phase`, { body: { phase: 'vote' }, token: workshop.facilitatorKey })
      const ids = own.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas.map((idea) => idea.ideaId))
      const put = (server: TestServer, token: string, dots: Record<string, number>) => api<RecordedBallot>(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots }, token })
      expect((await put(own, people[0]!.token, { [ids[0]!]: 1, [ids[1]!]: 1 })).status).toBe(200)
      const stored = JSON.stringify(own.db.prepare('SELECT * FROM ballots').all())
      for (const person of people) expect(stored).not.toContain(person.participantId)
      current = await own.restart()
      const mine = await api<RecordedBallot>(current, `${w}/sections/values/ballot`, { token: people[0]!.token })
      expect(mine.body.dots).toEqual({ [ids[0]!]: 1, [ids[1]!]: 1 })
      expect((await put(current, people[0]!.token, { [ids[2]!]: 1 })).body).toMatchObject({ used: 1, remaining: 2 })
      await put(current, people[1]!.token, { [ids[2]!]: 1 })
      await put(current, people[2]!.token, { [ids[2]!]: 1 })
      const results = (await api<PublicResults>(current, `${w}/sections/values/close-vote`, { body: {}, token: workshop.facilitatorKey })).body
      expect(results.voterCount).toBe(3)
      expect(results.ranked.map((r) => r.dots)).toEqual([3, 0, 0])
    } finally {
      await current.dispose()
    }
  })
})
