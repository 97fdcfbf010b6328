import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { PublicResults } from '../../shared/ballots.ts'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { JoinedWorkshop } from '../../shared/intents.ts'
import { readState, writeResults } from '../../shared/stateDoc.ts'
import type { RecordedBallot } from '../../server/services/VoteService.ts'
import { CHANGES_PER_KEY } from '../../server/app.ts'
import { craftUpdate, openRaw, roomOf, syncUpdateFrame, within, wsUrl } from '../helpers/adversary.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer , testStorage } from '../helpers/testServer.ts'

/**
 * Voting against hostile participants. (Budget and cap refusals, one token racing itself, and
 * no per-idea counts before close are in tests/integration/voting.test.ts; these extend them.)
 */

describe('voting under attack', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ config: { ideaBatchIntervalMs: 50 } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  /** A workshop with four published ideas in Values, `people` participants, not yet voting. */
  async function workshopWithIdeas(people = 3) {
    const workshop = await createWorkshop(server)
    const participants: JoinedWorkshop[] = []
    for (let i = 0; i < people; i++) participants.push(await joinWorkshop(server, workshop.workshopId))
    const w = `/api/workshops/${workshop.workshopId}`
    const fac = (path: string, body: unknown = {}, method = 'POST') => api<ErrorBody & Record<string, unknown>>(server, `${w}${path}`, { body, method, token: workshop.facilitatorKey })
    for (const [i, text] of ['Respect', 'Honesty', 'Hope', 'Kindness'].entries()) await api(server, `${w}/sections/values/ideas`, { body: { text }, token: participants[i % people]!.token })
    // Fewer than 3 people: shown only because the facilitator insists (issue 12).
    expect((await fac('/sections/values/reveal', people < 3 ? { publishAnyway: true } : {})).status).toBe(200)
    const state = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    const ids = state().ideas.filter((idea) => idea.sectionId === 'values').map((idea) => idea.ideaId)
    const ballot = (token: string, body: unknown) => api<RecordedBallot & ErrorBody>(server, `${w}/sections/values/ballot`, { method: 'PUT', body, token })
    const phase = (name: string, extra: object = {}) => fac('/sections/values/phase', { phase: name, ...extra })
    const results = () => api<PublicResults & ErrorBody>(server, `${w}/sections/values/results`, { token: workshop.facilitatorKey })
    const vote = () => state().sections.find((section) => section.sectionId === 'values')!.vote
    return { workshop, participants, w, fac, state, ids, ballot, phase, results, vote }
  }

  it('stops one token’s loop of changes (each a state write and a broadcast to the room), and nobody else', async () => {
    const { participants, ids, ballot, phase, w } = await workshopWithIdeas(3)
    expect((await phase('vote')).status).toBe(200)
    const [looper, other] = [participants[0]!.token, participants[1]!.token]
    const statuses: number[] = []
    for (let i = 0; i <= CHANGES_PER_KEY && statuses.at(-1) !== 429; i++) statuses.push((await ballot(looper, { dots: { [ids[i % 4]!]: 1 } })).status)
    // Every change went through until the key's window was used up (its ideas counted too), then none.
    expect(statuses.at(-1)).toBe(429)
    expect(statuses.slice(0, -1)).toEqual(Array(statuses.length - 1).fill(200))
    expect(statuses.length).toBeGreaterThan(CHANGES_PER_KEY - 5)
    expect((await ballot(other, { dots: { [ids[0]!]: 1 } })).status).toBe(200)
    // Reading one's own ideas (a POST of keys, sent at changes in the room) is not a change.
    expect((await api(server, `${w}/ideas/mine`, { body: { ideas: [] }, token: looper })).status).toBe(200)
  })

  it('counts every participant exactly once when many race and retry at the same moment', async () => {
    const { participants, ids, ballot, phase, results, vote, fac } = await workshopWithIdeas(20)
    expect((await phase('vote')).status).toBe(200)
    // Each person sends five different two-dot ballots at once, then retries the last one.
    const choices = (i: number) => Array.from({ length: 5 }, (_, k) => ({ [ids[(i + k) % 4]!]: 1, [ids[(i + k + 1) % 4]!]: 1 }))
    const responses = await Promise.all(participants.flatMap((person, i) => choices(i).map((dots) => ballot(person.token, { dots }))))
    expect(new Set(responses.map((response) => response.status))).toEqual(new Set([200]))
    const retried = await Promise.all(participants.map((person) => Promise.all(Array.from({ length: 3 }, () => ballot(person.token, { dots: choices(0)[0] })))))
    for (const same of retried) expect(new Set(same.map((response) => JSON.stringify(response.body))).size).toBe(1)
    expect(vote().votedCount).toBe(20)
    const closed = await fac('/sections/values/close-vote')
    expect(closed.status).toBe(200)
    const final = await results()
    expect(final.body.voterCount).toBe(20)
    // 20 people × 2 dots, whatever order the races resolved in.
    expect(final.body.ranked.reduce((sum, entry) => sum + entry.dots, 0)).toBe(40)
  })

  it('takes identity from the token only, and gives the facilitator key no vote', async () => {
    const { workshop, participants, ids, ballot, phase } = await workshopWithIdeas(2)
    await phase('vote')
    const [alice, bob] = participants as [JoinedWorkshop, JoinedWorkshop]
    expect((await ballot(bob.token, { dots: { [ids[0]!]: 1 } })).status).toBe(200)
    // Alice names Bob in the body: her own ballot changes, Bob's stays as he left it.
    const forged = await ballot(alice.token, { dots: { [ids[1]!]: 1 }, participantId: bob.participantId, voter: bob.participantId })
    expect(forged.status).toBe(200)
    const bobNow = await api<RecordedBallot>(server, `/api/workshops/${workshop.workshopId}/sections/values/ballot`, { token: bob.token })
    expect(bobNow.body.dots).toEqual({ [ids[0]!]: 1 })
    expect((await ballot(workshop.facilitatorKey, { dots: { [ids[0]!]: 1 } })).status).toBe(403)
    expect((await api(server, `/api/workshops/${workshop.workshopId}/sections/values/close-vote`, { body: {}, token: alice.token })).status).toBe(403)
  })

  it('refuses malformed allocations without crashing or polluting anything', async () => {
    const { participants, ids, ballot, phase, vote } = await workshopWithIdeas(1)
    await phase('vote')
    const token = participants[0]!.token
    const bad: [string, unknown][] = [
      ['__proto__ key', JSON.parse(`{"dots": {"__proto__": {"${ids[0]}": 3}}}`)],
      ['constructor key', { dots: { constructor: 1 } }],
      ['a string count', { dots: { [ids[0]!]: '1' } }],
      ['a boolean count', { dots: { [ids[0]!]: true } }],
      ['a huge count', { dots: { [ids[0]!]: 1e308 } }],
      ['a nested object', { dots: { [ids[0]!]: { valueOf: 1 } } }],
      ['an array for dots', { dots: [1, 2, 3] }],
      ['thousands of unknown ideas', { dots: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`idea-${i}`, 1])) }],
    ]
    for (const [name, body] of bad) {
      const response = await ballot(token, body)
      // `__proto__` is not an own key once parsed into an object: that ballot is simply empty.
      const refusedOrEmpty = [400, 413, 422].includes(response.status) || (response.status === 200 && response.body.used === 0)
      expect([name, refusedOrEmpty]).toEqual([name, true])
    }
    expect(({} as Record<string, unknown>)[ids[0]!]).toBeUndefined()
    expect(vote().votedCount).toBe(0)
    expect((await ballot(token, { dots: { [ids[0]!]: 1 } })).status).toBe(200)
  })

  it('refuses ballots and closes outside the vote, and runs a re-vote as a fresh round', async () => {
    const { w, participants, ids, ballot, phase, results, vote, fac, state } = await workshopWithIdeas(2)
    const [alice, bob] = participants as [JoinedWorkshop, JoinedWorkshop]
    expect((await ballot(alice.token, { dots: { [ids[0]!]: 1 } })).status).toBe(409)
    await phase('discuss')
    expect((await ballot(alice.token, { dots: { [ids[0]!]: 1 } })).status).toBe(409)
    expect((await fac('/sections/values/close-vote')).status).toBe(409)
    await phase('vote')
    expect((await results()).status).toBe(409)
    await ballot(alice.token, { dots: { [ids[0]!]: 1, [ids[1]!]: 1, [ids[2]!]: 1 } })
    await ballot(bob.token, { dots: { [ids[0]!]: 1 } })
    // Back to discuss closes round 1, but two voters are too few to keep votes secret: the
    // round stays open until the facilitator publishes anyway, which everyone sees.
    const refused = await phase('discuss')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('too_few_people')
    expect(vote()).toMatchObject({ round: 1, status: 'open', votedCount: 2 })
    expect((await phase('discuss', { publishAnyway: true })).status).toBe(200)
    const round1 = await results()
    expect(round1.body).toMatchObject({ round: 1, final: true, voterCount: 2 })
    expect((await ballot(alice.token, { dots: { [ids[3]!]: 1 } })).status).toBe(409)
    await phase('vote')
    expect(vote()).toMatchObject({ round: 2, status: 'open', votedCount: 0 })
    const fresh = await api<RecordedBallot>(server, `${w}/sections/values/ballot`, { token: alice.token })
    expect(fresh.body).toMatchObject({ dots: {}, used: 0, remaining: 3 })
    const again = await ballot(alice.token, { dots: { [ids[3]!]: 1, [ids[2]!]: 1, [ids[1]!]: 1 } })
    expect(again.body).toMatchObject({ used: 3, remaining: 0 })
    expect((await fac('/sections/values/close-vote')).body.error.code).toBe('too_few_people')
    expect((await fac('/sections/values/close-vote', { publishAnyway: true })).status).toBe(200)
    expect((await fac('/sections/values/close-vote')).status).toBe(409)
    // Both early publications are on the record for everyone.
    expect(state().moderation.filter((line) => line.action === 'published-early' && /voted/.test(line.reason))).toHaveLength(2)
    const round2 = await results()
    expect(round2.body).toMatchObject({ round: 2, final: true, voterCount: 1 })
    expect(round2.body.ranked.find((entry) => entry.ideaId === ids[0])?.dots ?? 0).toBe(0)
    await phase('agree')
    expect((await ballot(bob.token, { dots: { [ids[0]!]: 1 } })).status).toBe(409)
  })

  it('refuses tallies forged through the state doc', async () => {
    const { workshop, participants, phase, state } = await workshopWithIdeas(1)
    await phase('vote')
    const live = roomOf(server, workshop.workshopId).state.doc
    const before = Y.encodeStateAsUpdate(live)
    const forged = craftUpdate(live, (doc) => writeResults(doc, 'values', { round: 1, final: true, voterCount: 999, budget: 3, maxPerIdea: 1, ranked: [] }))
    const client = await openRaw(wsUrl(server, workshop.workshopId, 'state', participants[0]!.token))
    client.send(syncUpdateFrame(forged))
    expect(await within(client.closed, 15_000, 'open')).toBe(CloseCode.readOnly)
    expect(Y.encodeStateAsUpdate(roomOf(server, workshop.workshopId).state.doc)).toEqual(before)
    expect(JSON.stringify(state())).not.toContain('999')
  })

  // Reads SQLite's files; PostgreSQL's heap and WAL are attacked in tests/cluster/postgresAtRest.test.ts.
  it.skipIf(testStorage === 'postgres')('leaves nothing on disk that links a person to their dots once the vote is closed', async () => {
    const { workshop, participants, ids, ballot, phase, fac } = await workshopWithIdeas(4)
    await phase('vote')
    for (const [i, person] of participants.entries()) expect((await ballot(person.token, { dots: { [ids[i % 4]!]: 1 } })).status).toBe(200)
    const during = server.db.prepare('SELECT COUNT(*) AS n FROM ballots WHERE workshop_id = ?').get(workshop.workshopId) as { n: number }
    expect(during.n).toBe(4)
    expect((await fac('/sections/values/close-vote')).status).toBe(200)

    expect((server.db.prepare('SELECT COUNT(*) AS n FROM ballots WHERE workshop_id = ?').get(workshop.workshopId) as { n: number }).n).toBe(0)
    // The raw bytes of the database and its WAL: no participant id within a row's reach of an
    // idea id (secure_delete zeroes deleted rows; the checkpoint empties the WAL).
    const file = join(server.config.dataDir, 'parity.sqlite')
    const bytes = Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])])
    for (const person of participants) {
      let at = bytes.indexOf(person.participantId)
      while (at >= 0) {
        const around = bytes.subarray(Math.max(0, at - 96), at + 96).toString('latin1')
        for (const ideaId of ids) expect(around.includes(ideaId)).toBe(false)
        at = bytes.indexOf(person.participantId, at + 1)
      }
    }
  })
})
