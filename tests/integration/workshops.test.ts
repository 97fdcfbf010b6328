import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../../shared/errors.ts'
import type { CreatedWorkshop, FacilitatorView, JoinCodeLookup } from '../../shared/intents.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

describe('workshop HTTP API', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ captureLogs: true })
  })
  afterAll(async () => {
    await server.dispose()
  })

  it('answers the health check', async () => {
    expect((await api(server, '/healthz')).status).toBe(200)
  })

  it('creates a workshop with links, a join code and a facilitator key', async () => {
    const { status, body } = await api<CreatedWorkshop>(server, '/api/workshops', { body: { title: '  Our shared vision, March ' } })
    expect(status).toBe(201)
    expect(body.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/)
    expect(body.joinUrl).toBe(`${server.url}/w/${body.workshopId}/join`)
    expect(body.facilitatorUrl).toBe(`${server.url}/w/${body.workshopId}/facilitate#key=${body.facilitatorKey}`)
    // 256-bit keys, base64url.
    expect(body.facilitatorKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const view = await api<FacilitatorView>(server, `/api/workshops/${body.workshopId}/facilitator`, { token: body.facilitatorKey })
    expect(view.body).toEqual({ title: 'Our shared vision, March', joinCode: body.joinCode, joinMode: 'open', participantCount: 0, inviteCodesIssued: 0, inviteCodesUsed: 0, doorOpen: true })
  })

  it('stores only hashes of keys and tokens', async () => {
    const workshop = await createWorkshop(server)
    const participant = await joinWorkshop(server, workshop.workshopId)
    const dump = JSON.stringify([server.db.prepare('SELECT * FROM workshops').all(), server.db.prepare('SELECT * FROM participants').all()])
    expect(dump).not.toContain(workshop.facilitatorKey)
    expect(dump).not.toContain(participant.token)
  })

  it.each([
    ['malformed JSON', { rawBody: '{"title": ' }, 400, 'invalid_json'],
    ['a missing title', { body: {} }, 400, 'validation_failed'],
    ['a title that is only spaces', { body: { title: '   ' } }, 400, 'validation_failed'],
    ['a title over 200 characters', { body: { title: 'x'.repeat(201) } }, 400, 'validation_failed'],
    ['a title that is not text', { body: { title: 42 } }, 400, 'validation_failed'],
    // A right-to-left override turned the title round on every screen and export (December robustness review).
    ['a title with a bidirectional override', { body: { title: 'Our \u202eplan' } }, 400, 'validation_failed'],
    ['an unknown join mode', { body: { title: 'T', joinMode: 'secret' } }, 400, 'validation_failed'],
    ['a body over the size limit', { rawBody: JSON.stringify({ title: 'x'.repeat(200_000) }) }, 413, 'payload_too_large'],
  ])('refuses %s with a clear error', async (_name, init, status, code) => {
    const response = await api<ErrorBody>(server, '/api/workshops', init)
    expect(response.status).toBe(status)
    expect(response.body.error.code).toBe(code)
    expect(response.body.error.message.length).toBeGreaterThan(10)
  })

  it('finds a workshop by its join code, typed loosely', async () => {
    const workshop = await createWorkshop(server, 'Values day')
    const loose = `${workshop.joinCode.slice(0, 3).toLowerCase()}-${workshop.joinCode.slice(3)}`
    const found = await api<JoinCodeLookup>(server, `/api/join-codes/${encodeURIComponent(loose)}`)
    expect(found.body).toEqual({ workshopId: workshop.workshopId, title: 'Values day' })
    expect((await api(server, '/api/join-codes/ZZZZZZ')).status).toBe(404)
  })

  it('joins with a fresh random id and token each time, and refuses unknown workshops', async () => {
    const workshop = await createWorkshop(server)
    const first = await joinWorkshop(server, workshop.workshopId, { perspective: 'carer' })
    const second = await joinWorkshop(server, workshop.workshopId)
    expect(first.participantId).not.toBe(second.participantId)
    expect(first.token).not.toBe(second.token)
    const missing = await api<ErrorBody>(server, '/api/workshops/nope/join', { body: {} })
    expect(missing.status).toBe(404)
    const badPerspective = await api<ErrorBody>(server, `/api/workshops/${workshop.workshopId}/join`, { body: { perspective: 'boss' } })
    expect(badPerspective.status).toBe(400)
  })

  it('refuses the facilitator view to participants and strangers', async () => {
    const workshop = await createWorkshop(server)
    const participant = await joinWorkshop(server, workshop.workshopId)
    const path = `/api/workshops/${workshop.workshopId}/facilitator`
    expect((await api(server, path)).status).toBe(401)
    expect((await api(server, path, { token: 'wrong' })).status).toBe(401)
    expect((await api(server, path, { token: participant.token })).status).toBe(403)
  })

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await api<ErrorBody>(server, '/api/nothing-here')
    expect(response.status).toBe(404)
    expect(response.body.error.code).toBe('not_found')
  })

  it('never writes tokens or keys into the logs', async () => {
    const workshop = await createWorkshop(server)
    const participant = await joinWorkshop(server, workshop.workshopId)
    await api(server, `/api/workshops/${workshop.workshopId}/facilitator`, { token: participant.token })
    const logs = server.logs.join('\n')
    expect(logs).not.toContain(workshop.facilitatorKey)
    expect(logs).not.toContain(participant.token)
  })
})

describe('join code guessing', () => {
  it('is rate limited per address', async () => {
    const server = await startTestServer({ config: { limits: { ...(await import('../../server/config.ts')).defaultLimits, codeLookupsPerMinute: 5 } } })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 8; i++) statuses.push((await api(server, `/api/join-codes/AAAA${i}A`)).status)
      expect(statuses.slice(0, 5)).toEqual([404, 404, 404, 404, 404])
      expect(statuses.slice(5)).toEqual([429, 429, 429])
    } finally {
      await server.dispose()
    }
  })
})
