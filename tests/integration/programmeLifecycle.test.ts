import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { CreatedProgramme, InvolvementCheck, InvolvementRecord } from '../../shared/coproduction.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import { addDays, dayOf, type RetentionInfo } from '../../shared/retention.ts'
import { programmeHash } from '../../server/services/LifecycleService.ts'
import { PROGRAMME_TABLES } from '../../server/storage/ProgrammeEraser.ts'
import { columnNames, tableNames } from '../../server/storage/schemaInfo.ts'
import { eventually } from '../helpers/clients.ts'
import { fillWorkshop, textsStored } from '../helpers/dataScan.ts'
import { api, createWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/** Programmes can be deleted and kept only so long (issue 18), like workshops. */
describe('deleting a programme and keeping it only so long (issue 18)', { timeout: 120_000 }, () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ captureLogs: true, config: { ideaBatchIntervalMs: 100, purgeIntervalMs: 200, minResultGroup: 1 } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  const today = () => dayOf(new Date())
  const createProgramme = async (title: string) => {
    const created = await api<CreatedProgramme>(server, '/api/programmes', { body: { title } })
    expect(created.status).toBe(201)
    return created.body
  }
  const p = (programmeId: string) => `/api/programmes/${programmeId}`
  const del = (programmeId: string, token?: string) => api<ErrorBody & { deleted?: boolean }>(server, p(programmeId), { method: 'DELETE', ...(token ? { token } : {}) })
  const putRetention = (programmeId: string, token: string | undefined, init: { body?: unknown; rawBody?: string }) =>
    api<RetentionInfo & ErrorBody>(server, `${p(programmeId)}/retention`, { method: 'PUT', ...(token ? { token } : {}), ...init })
  const getRetention = (programmeId: string, token: string) => api<RetentionInfo & ErrorBody>(server, `${p(programmeId)}/retention`, { token })

  it('lists every table with a programme_id column for deletion', () => {
    const withProgramme = tableNames(server.db).filter((name) => columnNames(server.db, name).includes('programme_id'))
    expect(withProgramme.length).toBeGreaterThanOrEqual(3)
    for (const name of withProgramme) expect(Object.keys(PROGRAMME_TABLES), `table ${name} is missing from PROGRAMME_TABLES`).toContain(name)
  })

  it('refuses without the programme key, for an unknown programme, and for days out of range', async () => {
    const programme = await createProgramme('Refusals programme')
    const other = await createProgramme('Another programme')
    const inside = await api<{ facilitatorKey: string }>(server, '/api/workshops', { body: { title: 'Inside', programmeId: programme.programmeId }, token: programme.programmeKey })
    expect(inside.status).toBe(201)

    expect((await del('no-such-programme', programme.programmeKey)).status).toBe(404)
    expect((await putRetention('no-such-programme', programme.programmeKey, { body: { days: 5 } })).status).toBe(404)
    expect((await getRetention('no-such-programme', programme.programmeKey)).status).toBe(404)
    for (const token of [undefined, other.programmeKey, inside.body.facilitatorKey]) {
      const refused = await del(programme.programmeId, token)
      expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthorized'])
      expect((await putRetention(programme.programmeId, token, { body: { days: 5 } })).status).toBe(401)
    }
    for (const init of [{ body: { days: 0 } }, { body: { days: 3651 } }, { body: { days: 1.5 } }, { body: { days: '30' } }, { body: {} }, { rawBody: '{"days": ' }]) {
      const response = await putRetention(programme.programmeId, programme.programmeKey, init)
      expect(response.status).toBe(400)
      expect(['validation_failed', 'invalid_json']).toContain(response.body.error.code)
    }
    // Still there, with the default.
    expect((await api(server, p(programme.programmeId), { token: programme.programmeKey })).status).toBe(200)
    expect((await getRetention(programme.programmeId, programme.programmeKey)).body).toEqual({ retentionDays: 90, deleteAfter: addDays(today(), 90) })
  })

  it('counts retention from the last use of the programme or any of its workshops', async () => {
    const programme = await createProgramme('Retention programme')
    const inside = await api<{ workshopId: string }>(server, '/api/workshops', { body: { title: 'Monthly', programmeId: programme.programmeId }, token: programme.programmeKey })
    const set = await putRetention(programme.programmeId, programme.programmeKey, { body: { days: 30 } })
    expect(set.status).toBe(200)
    expect(set.body).toEqual({ retentionDays: 30, deleteAfter: addDays(today(), 30) })

    const backdate = (programmeDays: number, workshopDays: number) => {
      server.db.prepare('UPDATE programmes SET last_active_day = ?, created_day = ? WHERE programme_id = ?').run(addDays(today(), -programmeDays), addDays(today(), -programmeDays), programme.programmeId)
      server.db.prepare('UPDATE workshops SET last_active_day = ?, created_day = ? WHERE workshop_id = ?').run(addDays(today(), -workshopDays), addDays(today(), -workshopDays), inside.body.workshopId)
    }
    backdate(20, 10)
    // The workshop was used more recently than the programme page: it counts.
    expect((await getRetention(programme.programmeId, programme.programmeKey)).body.deleteAfter).toBe(addDays(today(), 20))
    backdate(20, 25)
    expect((await getRetention(programme.programmeId, programme.programmeKey)).body.deleteAfter).toBe(addDays(today(), 10))
    // The lead opening the programme page is use too.
    expect((await api(server, p(programme.programmeId), { token: programme.programmeKey })).status).toBe(200)
    expect((await getRetention(programme.programmeId, programme.programmeKey)).body.deleteAfter).toBe(addDays(today(), 30))
  })

  it('deletes the programme and its workshops: every route 404s, sockets close, the words leave the disk', async () => {
    const title = 'Programme doomed zanzibar'
    const programme = await createProgramme(title)
    const first = await fillWorkshop(server, 'progdoomed1', programme)
    const second = await fillWorkshop(server, 'progdoomed2', programme)
    const bystander = await fillWorkshop(server, 'progbystander')
    const commitment = 'Commitment doomed periwinkle'
    expect(
      (await api(server, `/api/workshops/${first.workshop.workshopId}/commitments`, { body: { text: commitment, ownerRole: 'Ward manager' }, token: programme.programmeKey })).status,
    ).toBe(201)
    const doomedTexts = [title, commitment, ...first.texts, ...second.texts]
    expect(textsStored(server, doomedTexts)).toEqual(doomedTexts)

    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/${second.workshop.workshopId}/state?token=${second.participantToken}`)
    await new Promise((resolve) => socket.once('open', resolve))
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))

    const deleted = await del(programme.programmeId, programme.programmeKey)
    expect([deleted.status, deleted.body]).toEqual([200, { deleted: true }])
    expect(await closed).toBe(CloseCode.workshopDeleted)
    for (const path of [p(programme.programmeId), `${p(programme.programmeId)}/evidence`, `${p(programme.programmeId)}/retention`])
      expect((await api(server, path, { token: programme.programmeKey })).status, path).toBe(404)
    expect((await putRetention(programme.programmeId, programme.programmeKey, { body: { days: 5 } })).status).toBe(404)
    expect((await del(programme.programmeId, programme.programmeKey)).status).toBe(404)
    for (const filled of [first, second]) {
      expect((await api(server, `/api/workshops/${filled.workshop.workshopId}/welcome`)).status).toBe(404)
      expect((await api(server, `/api/workshops/${filled.workshop.workshopId}/facilitator`, { token: filled.workshop.facilitatorKey })).status).toBe(404)
    }
    expect(textsStored(server, doomedTexts)).toEqual([])
    expect(textsStored(server, bystander.texts)).toEqual(bystander.texts)
    expect((await api(server, `/api/workshops/${bystander.workshop.workshopId}/facilitator`, { token: bystander.workshop.facilitatorKey })).status).toBe(200)
    // Logged without content: the programme only as a hash.
    const line = server.logs.find((entry) => entry.includes('"programme.deleted"') && entry.includes(programmeHash(programme.programmeId)))
    expect(line).toBeDefined()
    expect(line).not.toContain(programme.programmeId)
    expect(line).not.toContain(title)
  })

  it('purges a programme past its day on the schedule, with its workshops, down to the bytes', async () => {
    const title = 'Programme expiring marzipan'
    const programme = await createProgramme(title)
    const expiring = await fillWorkshop(server, 'progexpiring', programme)
    const current = await createWorkshop(server, 'Current workshop outside')
    expect((await putRetention(programme.programmeId, programme.programmeKey, { body: { days: 1 } })).status).toBe(200)
    await eventually(() => expect(server.rooms.isLoaded(expiring.workshop.workshopId)).toBe(false))
    const twoDaysAgo = addDays(today(), -2)
    server.db.prepare('UPDATE programmes SET last_active_day = ?, created_day = ? WHERE programme_id = ?').run(twoDaysAgo, twoDaysAgo, programme.programmeId)
    server.db.prepare('UPDATE workshops SET last_active_day = ?, created_day = ? WHERE workshop_id = ?').run(twoDaysAgo, twoDaysAgo, expiring.workshop.workshopId)

    // Polled on a route that is not use (opening the programme page would move its day on).
    await eventually(async () => expect((await getRetention(programme.programmeId, programme.programmeKey)).status).toBe(404), 10_000)
    expect((await api(server, p(programme.programmeId), { token: programme.programmeKey })).status).toBe(404)
    expect((await api(server, `/api/workshops/${expiring.workshop.workshopId}/welcome`)).status).toBe(404)
    await eventually(() => expect(textsStored(server, [title, ...expiring.texts])).toEqual([]), 10_000)
    expect((await api(server, `/api/workshops/${current.workshopId}/welcome`)).status).toBe(200)
    expect(server.logs.some((line) => line.includes('"programme.deleted"') && line.includes('"retention"'))).toBe(true)
  })

  /** Waits for one scheduled purge to have run: a workshop outside any programme, past its day, is gone. */
  const purgeRuns = async () => {
    const sentinel = await createWorkshop(server, 'Purge sentinel')
    expect((await api(server, `/api/workshops/${sentinel.workshopId}/retention`, { method: 'PUT', body: { days: 1 }, token: sentinel.facilitatorKey })).status).toBe(200)
    await eventually(() => expect(server.rooms.isLoaded(sentinel.workshopId)).toBe(false))
    server.db.prepare('UPDATE workshops SET last_active_day = ?, created_day = ? WHERE workshop_id = ?').run(addDays(today(), -2), addDays(today(), -2), sentinel.workshopId)
    await eventually(async () => expect((await api(server, `/api/workshops/${sentinel.workshopId}/welcome`)).status).toBe(404), 10_000)
  }

  it('keeps a workshop as long as its programme: Month 1, unused for 96 days, keeps its words and commitments while Month 3 is in use', async () => {
    const programme = await createProgramme('Kept together programme')
    const month1 = await fillWorkshop(server, 'keptmonth1', programme)
    const month3 = await api<{ workshopId: string; facilitatorKey: string }>(server, '/api/workshops', { body: { title: 'Month 3', programmeId: programme.programmeId }, token: programme.programmeKey })
    const commitment = 'Commitment due in six months lavender'
    expect((await api(server, `/api/workshops/${month1.workshop.workshopId}/commitments`, { body: { text: commitment, ownerRole: 'Ward manager' }, token: programme.programmeKey })).status).toBe(201)
    await eventually(() => expect(server.rooms.isLoaded(month1.workshop.workshopId)).toBe(false))
    const setDays = (table: 'programmes' | 'workshops', column: 'programme_id' | 'workshop_id', id: string, daysAgo: number) =>
      server.db.prepare(`UPDATE ${table} SET last_active_day = ?, created_day = ? WHERE ${column} = ?`).run(addDays(today(), -daysAgo), addDays(today(), -daysAgo), id)
    setDays('programmes', 'programme_id', programme.programmeId, 96)
    setDays('workshops', 'workshop_id', month1.workshop.workshopId, 96)
    setDays('workshops', 'workshop_id', month3.body.workshopId, 10)

    // Month 1's own 90 days ran out 6 days ago; the programme is kept 80 more days, and Month 1 with it.
    const shown = { retentionDays: 90, deleteAfter: addDays(today(), 80), inProgramme: true }
    expect((await api(server, `/api/workshops/${month1.workshop.workshopId}/retention`, { token: month1.participantToken })).body).toEqual(shown)
    expect((await getRetention(programme.programmeId, programme.programmeKey)).body).toEqual({ retentionDays: 90, deleteAfter: shown.deleteAfter })
    await purgeRuns()
    expect((await api(server, `/api/workshops/${month1.workshop.workshopId}/welcome`)).status).toBe(200)
    expect(textsStored(server, [commitment, ...month1.texts])).toEqual([commitment, ...month1.texts])

    // Its own days would not apply, so the facilitator is told why rather than "saved".
    const refused = await api<ErrorBody>(server, `/api/workshops/${month1.workshop.workshopId}/retention`, { method: 'PUT', body: { days: 30 }, token: month1.workshop.facilitatorKey })
    expect([refused.status, refused.body.error.code]).toEqual([409, 'conflict'])
    expect(refused.body.error.message).toContain('part of a programme')

    // Once the programme's day comes, the programme goes with every workshop in it.
    setDays('workshops', 'workshop_id', month3.body.workshopId, 91)
    setDays('programmes', 'programme_id', programme.programmeId, 91)
    await eventually(async () => expect((await getRetention(programme.programmeId, programme.programmeKey)).status).toBe(404), 10_000)
    for (const workshopId of [month1.workshop.workshopId, month3.body.workshopId]) expect((await api(server, `/api/workshops/${workshopId}/welcome`)).status).toBe(404)
    await eventually(() => expect(textsStored(server, [commitment, ...month1.texts])).toEqual([]), 10_000)
  })

  it('still knows a record of taking part is real after its workshop is deleted, and says it can no longer be paid', async () => {
    const programme = await createProgramme('Records programme')
    const inside = await fillWorkshop(server, 'recordsdeleted', programme)
    const w = `/api/workshops/${inside.workshop.workshopId}`
    const record = await api<InvolvementRecord>(server, `${w}/involvement`, { body: {}, token: inside.participantToken })
    expect(record.status).toBe(201)
    const code = encodeURIComponent(record.body.code)
    const parts = record.body.code.split('.')
    parts[4] = String(record.body.minutes + 1)
    const forged = encodeURIComponent(parts.join('.'))

    expect((await api(server, `/api/workshops/${inside.workshop.workshopId}`, { method: 'DELETE', token: inside.workshop.facilitatorKey })).status).toBe(200)
    // Real, but its workshop (with its title and whether it was paid) is gone.
    expect((await api<InvolvementCheck>(server, `/api/involvement/${code}`)).body).toEqual({ valid: true, workshopDeleted: true, date: record.body.date, minutes: record.body.minutes })
    const redeem = await api<ErrorBody>(server, `/api/involvement/${code}/redeem`, { body: {}, token: programme.programmeKey })
    expect([redeem.status, redeem.body.error.message]).toEqual([404, 'This record is real, but its workshop has been deleted, so it can no longer be marked as paid here.'])
    // A made-up code is still told apart from it.
    expect((await api<InvolvementCheck>(server, `/api/involvement/${forged}`)).body).toEqual({ valid: false })
    expect((await api<ErrorBody>(server, `/api/involvement/${forged}/redeem`, { body: {}, token: programme.programmeKey })).body.error.message).toContain('not a valid involvement record')
  })
})
