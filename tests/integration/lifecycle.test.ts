import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { OptOutAnswer } from '../../shared/ideas.ts'
import type { AddedIdea } from '../../shared/intents.ts'
import { LEFT_OUT_OF_EXPORTS } from '../../server/services/ExportOptOutService.ts'
import { addDays, dayOf, type RetentionInfo } from '../../shared/retention.ts'
import { workshopHash } from '../../server/services/LifecycleService.ts'
import { SWEPT_TABLES, GATE_TABLES, SECTION_TABLES, SECTION_HISTORY_TABLES } from '../../server/storage/workshopTables.ts'
import { eventually, upgradeStatus } from '../helpers/clients.ts'
import { fillWorkshop, textsStored } from '../helpers/dataScan.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { columnNames, tableNames } from '../../server/storage/schemaInfo.ts'

describe('deleting a workshop and keeping it only so long (issue 18)', { timeout: 60_000 }, () => {
  let server: TestServer
  beforeAll(async () => {
    // A short purge interval, so the scheduled purge is seen within the test.
    server = await startTestServer({ captureLogs: true, config: { ideaBatchIntervalMs: 100, purgeIntervalMs: 200, minResultGroup: 1 } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  const today = () => dayOf(new Date())
  const del = (workshopId: string, token?: string) => api<ErrorBody & { deleted?: boolean }>(server, `/api/workshops/${workshopId}`, { method: 'DELETE', ...(token ? { token } : {}) })
  const putRetention = (workshopId: string, token: string, init: { body?: unknown; rawBody?: string }) =>
    api<RetentionInfo & ErrorBody>(server, `/api/workshops/${workshopId}/retention`, { method: 'PUT', token, ...init })

  it('lists every table with a workshop_id column for deletion', () => {
    const listed = new Set([...GATE_TABLES, ...SWEPT_TABLES].map((entry) => entry.table))
    const tables = tableNames(server.db)
    const withWorkshop = tables.filter((name) => columnNames(server.db, name).includes('workshop_id'))
    expect(withWorkshop.length).toBeGreaterThan(10)
    for (const name of withWorkshop) expect(listed, `table ${name} is missing from server/storage/workshopTables.ts`).toContain(name)
    // Tables keyed by proposal belong to a workshop through `proposals`.
    for (const name of tables.filter((name) => name !== 'proposals' && columnNames(server.db, name).includes('proposal_id'))) expect(listed).toContain(name)
  })

  it('lists every table with a section_id column for removing a section, or as its kept history', () => {
    const listed = new Set([...SECTION_TABLES.map((entry) => entry.table), ...SECTION_HISTORY_TABLES])
    const tables = tableNames(server.db)
    for (const name of tables.filter((name) => columnNames(server.db, name).includes('section_id')))
      expect(listed, `table ${name} is missing from SECTION_TABLES in server/storage/workshopTables.ts`).toContain(name)
    for (const name of tables.filter((name) => name !== 'proposals' && columnNames(server.db, name).includes('proposal_id'))) expect(listed).toContain(name)
  })

  it('refuses to delete without the facilitator key, or a workshop that does not exist', async () => {
    const workshop = await createWorkshop(server)
    const other = await createWorkshop(server)
    const participant = await joinWorkshop(server, workshop.workshopId)
    expect((await del('no-such-workshop', workshop.facilitatorKey)).status).toBe(404)
    const missing = await del(workshop.workshopId)
    expect([missing.status, missing.body.error.code]).toEqual([401, 'unauthorized'])
    expect((await del(workshop.workshopId, other.facilitatorKey)).status).toBe(401)
    const asParticipant = await del(workshop.workshopId, participant.token)
    expect([asParticipant.status, asParticipant.body.error.code]).toEqual([403, 'forbidden'])
    // Still there.
    expect((await api(server, `/api/workshops/${workshop.workshopId}/facilitator`, { token: workshop.facilitatorKey })).status).toBe(200)
  })

  it('deletes: every route then answers 404, sockets close with 4410, shared links stop working', async () => {
    const workshop = await createWorkshop(server, 'Soon gone')
    const participant = await joinWorkshop(server, workshop.workshopId)
    const w = `/api/workshops/${workshop.workshopId}`
    const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws/${workshop.workshopId}/state?token=${participant.token}`
    const socket = new WebSocket(wsUrl)
    await new Promise((resolve) => socket.once('open', resolve))
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))

    const deleted = await del(workshop.workshopId, workshop.facilitatorKey)
    expect(deleted.status).toBe(200)
    expect(deleted.body).toEqual({ deleted: true })
    expect(await closed).toBe(CloseCode.workshopDeleted)

    for (const [path, token] of [
      [`${w}/facilitator`, workshop.facilitatorKey],
      [`${w}/retention`, workshop.facilitatorKey],
      [`${w}/retention`, participant.token],
      [`${w}/outcome`, undefined],
      [`${w}/export?format=json`, workshop.facilitatorKey],
      [`${w}/welcome`, undefined],
      [`/api/join-codes/${workshop.joinCode}`, undefined],
    ] as const)
      expect((await api(server, path, token ? { token } : {})).status, path).toBe(404)
    expect((await api(server, `${w}/join`, { body: {} })).status).toBe(404)
    expect((await api(server, `${w}/sections/values/ideas`, { body: { text: 'Too late' }, token: participant.token })).status).toBe(404)
    expect((await del(workshop.workshopId, workshop.facilitatorKey)).status).toBe(404)
    expect(await upgradeStatus(wsUrl)).toBe(404)
    // Logged as an event with no content: the id only as a hash.
    const line = server.logs.find((entry) => entry.includes('"workshop.deleted"') && entry.includes(workshopHash(workshop.workshopId)))
    expect(line).toBeDefined()
    expect(line).not.toContain(workshop.workshopId)
    expect(line).not.toContain('Soon gone')
  })

  it('removes every word of the workshop from every file in the data folder, and keeps the others', async () => {
    const doomed = await fillWorkshop(server, 'doomed')
    const kept = await fillWorkshop(server, 'kept')
    expect(textsStored(server, [...doomed.texts, ...kept.texts])).toEqual([...doomed.texts, ...kept.texts])

    expect((await del(doomed.workshop.workshopId, doomed.workshop.facilitatorKey)).status).toBe(200)
    expect(textsStored(server, doomed.texts)).toEqual([])
    // Not a row of it is left in any table.
    for (const { table, scope } of [...GATE_TABLES, ...SWEPT_TABLES])
      expect(server.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${scope}`).get(doomed.workshop.workshopId), table).toEqual({ n: 0 })
    // The other workshop is whole.
    expect(textsStored(server, kept.texts)).toEqual(kept.texts)
    const outcome = await api<string>(server, `/api/workshops/${kept.workshop.workshopId}/export?format=json`, { token: kept.workshop.facilitatorKey })
    expect(outcome.status).toBe(200)
    expect(JSON.stringify(outcome.body)).toContain('marigold lanterns')
  })

  it('keeps a workshop 90 days from its last activity unless the facilitator chooses', async () => {
    const workshop = await createWorkshop(server)
    const participant = await joinWorkshop(server, workshop.workshopId)
    const w = `/api/workshops/${workshop.workshopId}`
    const initial = await api<RetentionInfo>(server, `${w}/retention`, { token: participant.token })
    expect(initial.body).toEqual({ retentionDays: 90, deleteAfter: addDays(today(), 90) })

    const set = await putRetention(workshop.workshopId, workshop.facilitatorKey, { body: { days: 30 } })
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ retentionDays: 30, deleteAfter: addDays(today(), 30) })
    expect((await api<RetentionInfo>(server, `${w}/retention`, { token: workshop.facilitatorKey })).body).toEqual(set.body)

    // Activity moves the day on: pretend the last activity was 10 days ago, then use the workshop.
    server.db.prepare('UPDATE workshops SET last_active_day = ? WHERE workshop_id = ?').run(addDays(today(), -10), workshop.workshopId)
    expect((await api<RetentionInfo>(server, `${w}/retention`, { token: participant.token })).body.deleteAfter).toBe(addDays(today(), 20))
  })

  it('does not count a share link’s visitors as using the workshop: they cannot keep it from being deleted', async () => {
    let own = await startTestServer()
    try {
      const workshop = await createWorkshop(own)
      const w = `/api/workshops/${workshop.workshopId}`
      expect((await api(own, `${w}/retention`, { method: 'PUT', body: { days: 30 }, token: workshop.facilitatorKey })).status).toBe(200)
      const share = await api<{ shareId: string }>(own, `${w}/share`, { body: {}, token: workshop.facilitatorKey })
      own.db.prepare('UPDATE workshops SET last_active_day = ? WHERE workshop_id = ?').run(addDays(today(), -10), workshop.workshopId)
      // A fresh process: nothing remembers that the workshop was used today.
      own = await own.restart()
      for (let i = 0; i < 3; i++) expect((await api(own, `/api/shared/${share.body.shareId}`)).status).toBe(200)
      const stored = own.db.prepare('SELECT last_active_day AS day FROM workshops WHERE workshop_id = ?').get(workshop.workshopId) as { day: string }
      expect(stored.day).toBe(addDays(today(), -10))
    } finally {
      await own.dispose()
    }
  })

  it.each([
    ['zero days', { body: { days: 0 } }],
    ['more than 3650 days', { body: { days: 3651 } }],
    ['a fraction', { body: { days: 1.5 } }],
    ['days as text', { body: { days: '30' } }],
    ['no days', { body: {} }],
    ['malformed JSON', { rawBody: '{"days": ' }],
  ])('refuses a retention of %s with 400', async (_name, init) => {
    const workshop = await createWorkshop(server)
    const response = await putRetention(workshop.workshopId, workshop.facilitatorKey, init)
    expect(response.status).toBe(400)
    expect(['validation_failed', 'invalid_json']).toContain(response.body.error.code)
    expect(response.body.error.message.length).toBeGreaterThan(5)
  })

  it('lets only the facilitator set retention, and only on a workshop that exists', async () => {
    const workshop = await createWorkshop(server)
    const participant = await joinWorkshop(server, workshop.workshopId)
    expect((await putRetention(workshop.workshopId, participant.token, { body: { days: 5 } })).status).toBe(403)
    expect((await api(server, `/api/workshops/${workshop.workshopId}/retention`, { method: 'PUT', body: { days: 5 } })).status).toBe(401)
    expect((await putRetention('no-such-workshop', workshop.facilitatorKey, { body: { days: 5 } })).status).toBe(404)
    expect((await api(server, '/api/workshops/no-such-workshop/retention', { token: participant.token })).status).toBe(404)
  })

  it('purges a workshop past its day on the schedule, down to the bytes, and keeps the rest', async () => {
    const expiring = await fillWorkshop(server, 'expiring')
    const current = await fillWorkshop(server, 'current')
    expect((await putRetention(expiring.workshop.workshopId, expiring.workshop.facilitatorKey, { body: { days: 1 } })).status).toBe(200)
    expect(textsStored(server, expiring.texts)).toEqual(expiring.texts)
    // Its last activity was two days ago (the room is let go first, so nothing records activity today).
    await eventually(() => expect(server.rooms.isLoaded(expiring.workshop.workshopId)).toBe(false))
    server.db.prepare('UPDATE workshops SET last_active_day = ? WHERE workshop_id = ?').run(addDays(today(), -2), expiring.workshop.workshopId)

    await eventually(async () => expect((await api(server, `/api/workshops/${expiring.workshop.workshopId}/welcome`)).status).toBe(404), 10_000)
    await eventually(() => expect(textsStored(server, expiring.texts)).toEqual([]), 10_000)
    expect(textsStored(server, current.texts)).toEqual(current.texts)
    expect((await api(server, `/api/workshops/${current.workshop.workshopId}/welcome`)).status).toBe(200)
    expect(server.logs.some((line) => line.includes('"workshop.deleted"') && line.includes('"retention"'))).toBe(true)
  })

  /** A workshop whose `values` section is voting on one idea from each of `texts`' authors (and one more person's). */
  async function votingOn(texts: string[]) {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all([...texts, 'Honesty about waiting times'].map(() => joinWorkshop(server, workshop.workshopId)))
    const ideas = await Promise.all(
      [...texts, 'Honesty about waiting times'].map(async (text, i) => (await api<AddedIdea>(server, `${w}/sections/values/ideas`, { body: { text }, token: people[i]!.token })).body),
    )
    const fac = (path: string, body: unknown = {}) => api(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    await fac('/sections/values/reveal', { publishAnyway: true })
    await fac('/sections/values/phase', { phase: 'vote' })
    const optOut = (i: number, token = people[i]!.token, authorKey: string | undefined = ideas[i]!.authorKey, body?: { fromTomorrow: boolean }) =>
      api<ErrorBody & Partial<OptOutAnswer>>(server, `${w}/ideas/${ideas[i]!.ideaId}/export-hidden`, {
        method: 'PUT',
        token,
        ...(body ? { body } : {}),
        ...(authorKey ? { headers: { 'x-author-key': authorKey } } : {}),
      })
    const exported = async () => JSON.stringify((await api(server, `${w}/export?format=json`, { token: workshop.facilitatorKey })).body)
    const outcome = async () => JSON.stringify((await api(server, `${w}/outcome`, { token: people[0]!.token })).body)
    return { w, people, ideas, fac, optOut, exported, outcome }
  }

  it('after the vote opens an idea stays, and its author can leave its text out of exports, together with two other people', async () => {
    const texts = ['Nobody talks down to anyone', 'Time to speak for everyone', 'Plain words, no jargon']
    const { w, people, ideas, optOut, exported, outcome } = await votingOn(texts)
    // Withdrawing is over once the vote opens.
    expect((await api(server, `${w}/ideas/${ideas[0]!.ideaId}`, { method: 'DELETE', token: people[0]!.token, headers: { 'x-author-key': ideas[0]!.authorKey } })).status).toBe(409)
    expect((await optOut(0, people[3]!.token, 'not-the-key')).status).toBe(403)
    expect((await optOut(0, people[0]!.token, '')).status).toBe(403)

    // One person's request, even asked twice, waits: left out at once, it would show whose idea changed.
    for (const _ of [1, 2]) expect([(await optOut(0)).status, (await optOut(0)).body]).toEqual([200, { hiddenFromExports: true, waiting: true, aloneFrom: null }])
    expect(await exported()).toContain(texts[0])
    expect((await optOut(1)).body).toEqual({ hiddenFromExports: true, waiting: true, aloneFrom: null })
    expect(await outcome()).toContain(texts[1])
    // The third person's request leaves all three out together.
    expect((await optOut(2)).body).toEqual({ hiddenFromExports: true, waiting: false, aloneFrom: null })
    const after = await exported()
    for (const text of texts) expect(after).not.toContain(text)
    expect(after.split(LEFT_OUT_OF_EXPORTS).length - 1).toBeGreaterThanOrEqual(3)
    expect(after).toContain('Honesty about waiting times')
    const shown = await outcome()
    for (const text of texts) expect(shown).not.toContain(text)
    expect((await optOut(0)).body).toEqual({ hiddenFromExports: true, waiting: false, aloneFrom: null })
  })

  it('never leaves out a lone request on its own unless its author chooses that, and nothing the facilitator does brings it forward', async () => {
    const { w, people, ideas, fac, optOut, exported } = await votingOn(['Nobody talks down to anyone'])
    const workshopId = w.split('/').at(-1)!
    // Days go by: every day stored for a waiting request is brought back to today.
    const daysPass = () => server.db.prepare('UPDATE ideas SET hide_from_exports_from = ? WHERE workshop_id = ? AND hide_from_exports = 2 AND hide_from_exports_from IS NOT NULL').run(today(), workshopId)
    expect((await optOut(0)).body).toEqual({ hiddenFromExports: true, waiting: true, aloneFrom: null })
    // Moving every section to done and back (a way to make a lone request show itself) changes nothing.
    for (const sectionId of ['vision', 'values', 'ground-rules']) await fac(`/sections/${sectionId}/phase`, { phase: 'done' })
    expect(await exported()).toContain('Nobody talks down to anyone')
    await fac('/sections/values/phase', { phase: 'agree' })
    // Applied alone the next day, it named its author to anyone who saw them ask (December insider review).
    daysPass()
    expect(await exported()).toContain('Nobody talks down to anyone')

    // Its author may choose it anyway, told what that gives away: from tomorrow, then.
    const bad = await api<ErrorBody>(server, `${w}/ideas/${ideas[0]!.ideaId}/export-hidden`, {
      method: 'PUT',
      body: { fromTomorrow: 'yes' },
      token: people[0]!.token,
      headers: { 'x-author-key': ideas[0]!.authorKey },
    })
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed'])
    const alone = await optOut(0, undefined, undefined, { fromTomorrow: true })
    expect(alone.body).toEqual({ hiddenFromExports: true, waiting: true, aloneFrom: addDays(today(), 1) })
    expect(await exported()).toContain('Nobody talks down to anyone')
    daysPass()
    expect(await exported()).not.toContain('Nobody talks down to anyone')
    expect(await exported()).toContain(LEFT_OUT_OF_EXPORTS)
  })
})
