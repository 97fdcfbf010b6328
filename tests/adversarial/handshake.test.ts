import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultLimits, type Limits } from '../../server/config.ts'
import { CloseCode } from '../../shared/closeCodes.ts'
import { forceGc, openRaw, rawTcp, RawClient, sleep, upgradeRequest, within, wsUrl } from '../helpers/adversary.ts'
import { connectClient, eventually, upgradeStatus, whenSynced } from '../helpers/clients.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * The handshake under attack: what a client can do before it holds a socket. (No token, a
 * token for another workshop, and the plain foreign/null Origins are in
 * tests/integration/wsSecurity.test.ts; these extend them.)
 */

const limits = (overrides: Partial<Limits>): Limits => ({ ...defaultLimits, ...overrides })

/** Upgrade statuses for many raw requests, `concurrency` at a time. */
async function upgradeStatuses(server: TestServer, paths: string[], concurrency = 32): Promise<string[]> {
  const statuses: string[] = new Array(paths.length)
  let next = 0
  const worker = async () => {
    while (next < paths.length) {
      const index = next++
      const { socket, data, closed } = await rawTcp(server)
      socket.write(upgradeRequest(paths[index]!))
      await closed
      statuses[index] = data().split('\r\n')[0] ?? ''
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return statuses
}

describe('handshake: who may open a socket', () => {
  let server: TestServer
  beforeAll(async () => {
    // The default token re-check (every 2 s) must close a revoked token's sockets within 5 s.
    server = await startTestServer({ config: { limits: limits({ socketsPerToken: 8, preAuthTimeoutMs: 600 }) } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  it('closes the open sockets of a revoked token within 5 s and refuses it afterwards', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const bob = await joinWorkshop(server, workshop.workshopId)
    const aliceBoard = await openRaw(wsUrl(server, workshop.workshopId, 'board', alice.token))
    const aliceState = await openRaw(wsUrl(server, workshop.workshopId, 'state', alice.token))
    const bobBoard = await openRaw(wsUrl(server, workshop.workshopId, 'board', bob.token))

    // Revocation as a facilitator's "remove participant" would do it: the token stops matching.
    server.db.prepare("UPDATE participants SET token_hash = 'revoked:' || participant_id WHERE participant_id = ?").run(alice.participantId)

    expect(await within(aliceBoard.closed, 5000, 'still open')).toBe(CloseCode.unauthorized)
    expect(await within(aliceState.closed, 5000, 'still open')).toBe(CloseCode.unauthorized)
    expect(await upgradeStatus(wsUrl(server, workshop.workshopId, 'board', alice.token))).toBe(401)
    expect(bobBoard.isOpen).toBe(true)
    bobBoard.close()
  })

  it('answers a ping with a pong carrying its payload, and keeps the socket open', async () => {
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const client = await openRaw(wsUrl(server, workshop.workshopId, 'board', token))
    const pongs: string[] = []
    client.ws.on('pong', (data) => pongs.push(data.toString()))
    for (const payload of ['one', 'two', 'three']) client.ws.ping(Buffer.from(payload))
    await eventually(() => expect(pongs).toEqual(['one', 'two', 'three']))
    expect(client.isOpen).toBe(true)
    client.close()
  })

  it('answers a refused upgrade with the same JSON error as the HTTP API, and a plain GET with 426', async () => {
    const workshop = await createWorkshop(server)
    const refusal = async (path: string, upgrade = true) => {
      const { socket, data, closed } = await rawTcp(server)
      socket.write(upgrade ? upgradeRequest(path) : `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)
      await closed
      const [head = '', body = ''] = data().split('\r\n\r\n')
      return { status: head.split('\r\n')[0], code: (JSON.parse(body) as { error: { code: string } }).error.code }
    }
    expect(await refusal(`/ws/${workshop.workshopId}/board?token=wrong`)).toEqual({ status: 'HTTP/1.1 401 Unauthorized', code: 'unauthorized' })
    expect(await refusal(`/ws/no-such-workshop/board?token=wrong`)).toEqual({ status: 'HTTP/1.1 404 Not Found', code: 'not_found' })
    const { token } = await joinWorkshop(server, workshop.workshopId)
    expect(await refusal(`/ws/${workshop.workshopId}/board?token=${token}`, false)).toEqual({ status: 'HTTP/1.1 426 Upgrade Required', code: 'bad_request' })
  })

  it('refuses look-alike Origins and accepts only its own and configured ones', async () => {
    const allowed = await startTestServer({ config: { allowedOrigins: ['https://parity.example'] } })
    try {
      const workshop = await createWorkshop(allowed)
      const { token } = await joinWorkshop(allowed, workshop.workshopId)
      const url = wsUrl(allowed, workshop.workshopId, 'board', token)
      const own = allowed.url
      const port = allowed.port
      const lookAlikes = [
        `http://127.0.0.1:${port}@evil.example`,
        `http://evil.example/${own}`,
        `http://127.0.0.1:${port}.evil.example`,
        `http://127.0.0.1:${port + 1}`,
        `http://localhost:${port}`,
        `${own}/`,
        `${own}, https://evil.example`,
        `http://127.0.0.1:${port}%2F@evil.example`,
        'https://parity.example.evil.example',
        'https://evil.example?https://parity.example',
        'http://parity.example',
        'file://',
        '*',
      ]
      for (const origin of lookAlikes) expect([origin, await upgradeStatus(url, { origin })]).toEqual([origin, 403])
      expect(await upgradeStatus(url, { origin: own })).toBe(101)
      expect(await upgradeStatus(url, { origin: 'https://parity.example' })).toBe(101)
    } finally {
      await allowed.dispose()
    }
  })

  it('holds at most socketsPerToken sockets for one token, even when 500 arrive at once', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const url = wsUrl(server, workshop.workshopId, 'board', alice.token)
    const attempts = Array.from({ length: 500 }, () => new RawClient(url))
    const outcomes = await Promise.all(attempts.map((client) => client.opened.then(() => 'open', (error: Error) => error.message)))
    expect(outcomes.filter((outcome) => outcome === 'open')).toHaveLength(8)
    expect(new Set(outcomes.filter((outcome) => outcome !== 'open'))).toEqual(new Set(['upgrade refused: 429']))
    // Another participant is not affected by Alice's limit.
    const bob = await joinWorkshop(server, workshop.workshopId)
    expect(await upgradeStatus(wsUrl(server, workshop.workshopId, 'board', bob.token))).toBe(101)

    // Closing frees the slots again.
    for (const client of attempts) client.close()
    await Promise.all(attempts.map((client) => client.closed))
    const again = await Promise.all(Array.from({ length: 8 }, () => openRaw(url)))
    expect(await upgradeStatus(url)).toBe(429)
    for (const client of again) client.close()
  })

  it('releases the slot of a handshake that fails after the token was accepted', async () => {
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const path = `/ws/${workshop.workshopId}/board?token=${encodeURIComponent(alice.token)}`
    // Twenty upgrades with a valid token but a broken handshake (no Sec-WebSocket-Key)...
    for (let i = 0; i < 20; i++) {
      const { socket, data, closed } = await rawTcp(server)
      socket.write(upgradeRequest(path).replace(/Sec-WebSocket-Key: [^\r]*\r\n/, ''))
      await closed
      expect(data()).toMatch(/^HTTP\/1\.1 400/)
    }
    // ...and twenty that hang up before the answer.
    for (let i = 0; i < 20; i++) {
      const { socket } = await rawTcp(server)
      socket.write(upgradeRequest(path))
      socket.resetAndDestroy()
    }
    await sleep(100)
    // Alice still has all eight slots.
    const url = wsUrl(server, workshop.workshopId, 'board', alice.token)
    const open = await Promise.all(Array.from({ length: 8 }, () => openRaw(url)))
    for (const client of open) client.close()
  })

  it('drops a connection that never sends a request head at the pre-auth deadline', async () => {
    const silent = await rawTcp(server)
    const trickle = await rawTcp(server)
    // Slowloris: a request head that never ends.
    trickle.socket.write('GET /ws/x/board HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    const tick = setInterval(() => trickle.socket.write('X-Slow: 1\r\n'), 100)
    try {
      expect(await within(silent.closed, 5000, 'still open')).toBeUndefined()
      expect(await within(trickle.closed, 5000, 'still open')).toBeUndefined()
    } finally {
      clearInterval(tick)
    }
    // An authenticated socket that stays quiet is the ping loop's business, not this deadline's.
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const quiet = await openRaw(wsUrl(server, workshop.workshopId, 'board', token))
    await sleep(1200)
    expect(quiet.isOpen).toBe(true)
    quiet.close()
  })

  it('answers oversized upgrade headers with 431 and keeps serving', async () => {
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const big = await rawTcp(server)
    big.socket.write(upgradeRequest(`/ws/${workshop.workshopId}/board?token=${token}`, `X-Padding: ${'a'.repeat(64 * 1024)}\r\n`))
    await big.closed
    expect(big.data()).toMatch(/^HTTP\/1\.1 431/)
    const longUrl = await rawTcp(server)
    longUrl.socket.write(upgradeRequest(`/ws/${workshop.workshopId}/board?token=${'t'.repeat(100 * 1024)}`))
    await longUrl.closed
    expect(longUrl.data()).toMatch(/^HTTP\/1\.1 431/)
    expect(await upgradeStatus(wsUrl(server, workshop.workshopId, 'board', token))).toBe(101)
  })

  it('survives clients that reset the connection in the middle of an upgrade', async () => {
    // Used to kill the process: Node drops its socket error handler before 'upgrade', and the
    // answer is written asynchronously to a socket the peer has already reset.
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      const workshop = await createWorkshop(server)
      const { token } = await joinWorkshop(server, workshop.workshopId)
      const paths = ['/ws/nope/board', `/ws/${workshop.workshopId}/board?token=${token}`, '/assets/missing.js', '/api/workshops', '/']
      for (let round = 0; round < 10; round++) {
        await Promise.all(
          paths.map(async (path) => {
            const { socket, closed } = await rawTcp(server)
            socket.write(upgradeRequest(path))
            if (round % 2 === 0) socket.resetAndDestroy()
            else setImmediate(() => socket.resetAndDestroy())
            await closed
          }),
        )
      }
      await sleep(200)
      expect(uncaught).toEqual([])
      const client = connectClient(server, workshop.workshopId, 'board', token)
      await whenSynced(client)
      client.destroy()
    } finally {
      process.off('uncaughtException', onUncaught)
    }
  })
})

describe('handshake: probing', () => {
  // ~6 s on an idle machine; the timeout leaves room for a busy one.
  it('answers 10,000 random workshop ids uniformly, keeps nothing for them and rate limits the address', { timeout: 90_000 }, async () => {
    const server = await startTestServer({ config: { limits: limits({ refusedUpgradesPerMinute: 2000 }) } })
    try {
      const workshop = await createWorkshop(server)
      const { token } = await joinWorkshop(server, workshop.workshopId)
      forceGc()
      const heapBefore = process.memoryUsage().heapUsed
      const shapes = [
        () => randomBytes(12).toString('base64url'),
        () => encodeURIComponent(randomBytes(24).toString('latin1')),
        () => 'x'.repeat(2000 + Math.floor(Math.random() * 4000)),
        () => '..%2F..%2F' + randomBytes(4).toString('hex'),
        () => encodeURIComponent('工作坊-' + randomBytes(3).toString('hex')),
      ]
      const paths = Array.from({ length: 10_000 }, (_, i) => `/ws/${shapes[i % shapes.length]!()}/board?token=${encodeURIComponent(token)}`)
      const startedAt = Date.now()
      const statuses = await upgradeStatuses(server, paths)
      // The limit is per minute: a slow machine may run into a second window.
      const windows = Math.ceil((Date.now() - startedAt + 1) / 60_000)
      const counts = new Map<string, number>()
      for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1)
      // Exactly two answers: "no such workshop" until the address is over its limit, then 429.
      expect(new Set(counts.keys())).toEqual(new Set(['HTTP/1.1 404 Not Found', 'HTTP/1.1 429 Too Many Requests']))
      expect(counts.get('HTTP/1.1 404 Not Found')).toBeGreaterThanOrEqual(2000)
      expect(counts.get('HTTP/1.1 404 Not Found')).toBeLessThanOrEqual(2000 * windows)
      expect(server.rooms.loadedCount).toBe(0)
      forceGc()
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(40 * 1024 * 1024)

      // The limit is on refusals only: the same address with a valid token still gets in.
      expect(await upgradeStatus(wsUrl(server, workshop.workshopId, 'board', token))).toBe(101)
      // The HTTP API answers unknown workshops the same way every time, without echoing the id.
      const bodies = new Set<string>()
      for (let i = 0; i < 300; i++) {
        const id = shapes[i % shapes.length]!()
        const response = await api(server, `/api/workshops/${id}/facilitator`, { token })
        expect(response.status).toBe(404)
        bodies.add(JSON.stringify(response.body))
      }
      expect(bodies.size).toBe(1)
    } finally {
      await server.dispose()
    }
  })

  it('locks out an address that keeps guessing join codes, without counting right ones', async () => {
    const server = await startTestServer({ config: { limits: limits({ codeLookupsPerMinute: 1000, codeFailuresPerLockout: 20 }) } })
    try {
      const workshop = await createWorkshop(server)
      // A whole ward typing the right code from one address is never locked out.
      for (let i = 0; i < 50; i++) expect((await api(server, `/api/join-codes/${workshop.joinCode}`)).status).toBe(200)
      const statuses: number[] = []
      for (let i = 0; i < 25; i++) statuses.push((await api(server, `/api/join-codes/${randomBytes(4).toString('hex')}`)).status)
      expect(statuses.slice(0, 20).every((status) => status === 404)).toBe(true)
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429])
      // Locked out: even the right code now gets 429, so a lucky guess is not confirmed.
      const locked = await api<{ error: { code: string } }>(server, `/api/join-codes/${workshop.joinCode}`)
      expect(locked.status).toBe(429)
      expect(locked.body.error.code).toBe('rate_limited')
    } finally {
      await server.dispose()
    }
  })
})
