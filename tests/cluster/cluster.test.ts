import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readState } from '../../shared/stateDoc.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { CreatedWorkshop, JoinedWorkshop } from '../../shared/intents.ts'
import { busKey, openBusMessage, sealBusMessage } from '../../server/cluster/Bus.ts'
import { SharedDatabaseError } from '../../server/storage/openStorage.ts'
import { boardRecordsOf, connectClient, eventually, shapeRecord, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { openRaw, wsUrl } from '../helpers/adversary.ts'
import { createDatabase, startPostgres, startRedis, type PostgresService, type RedisService } from '../helpers/services.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * Two instances sharing one PostgreSQL and one Redis (issue 15): any instance serves any
 * request, and the promises of one instance hold across two.
 */
describe('two instances, one PostgreSQL, one Redis', () => {
  let postgres: PostgresService
  let redis: RedisService
  let databaseUrl: string
  let a: TestServer
  let b: TestServer
  const clients: ProviderClient[] = []

  beforeAll(async () => {
    postgres = await startPostgres()
    redis = await startRedis()
    databaseUrl = await createDatabase(postgres.url)
    const config = { databaseUrl, redisUrl: redis.url, ideaBatchIntervalMs: 50 }
    a = await startTestServer({ config })
    b = await startTestServer({ config })
  }, 60_000)
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await a?.dispose()
    await b?.dispose()
    await redis?.stop()
    await postgres?.stop()
  })

  const connect = (server: TestServer, workshopId: string, doc: 'board' | 'state', token: string) => {
    const client = connectClient(server, workshopId, doc, token)
    clients.push(client)
    return client
  }

  /** A workshop whose ideas (from three people, through both instances) are revealed. */
  async function revealedWorkshop(texts: string[]) {
    const workshop = await createWorkshop(a)
    const people: JoinedWorkshop[] = []
    for (let i = 0; i < 3; i++) people.push(await joinWorkshop(i % 2 === 0 ? a : b, workshop.workshopId))
    const w = `/api/workshops/${workshop.workshopId}`
    for (const [i, text] of texts.entries()) expect((await api(i % 2 === 0 ? a : b, `${w}/sections/values/ideas`, { body: { text }, token: people[i % 3]!.token })).status).toBe(201)
    return { workshop, people, w }
  }

  it('reports storage and bus on every instance', async () => {
    for (const server of [a, b]) expect(await api(server, '/healthz')).toEqual({ status: 200, body: { ok: true, storage: 'ok', bus: 'ok' } })
  })

  /** A workshop held by A, with one person's board on A and another's on B, both synced. */
  async function boardOnBoth() {
    const workshop = await createWorkshop(a)
    const onA = await joinWorkshop(a, workshop.workshopId)
    const onB = await joinWorkshop(b, workshop.workshopId)
    const first = connect(a, workshop.workshopId, 'board', onA.token)
    const second = connect(b, workshop.workshopId, 'board', onB.token)
    await Promise.all([whenSynced(first), whenSynced(second)])
    return { workshop, first, second }
  }

  it('carries board edits and presence from a client on one instance to a client on the other', async () => {
    const { workshop, first, second } = await boardOnBoth()
    boardRecordsOf(first.doc).set('shape:from-a', shapeRecord('from-a'))
    boardRecordsOf(second.doc).set('shape:from-b', shapeRecord('from-b'))
    await eventually(() => {
      for (const client of [first, second]) {
        expect(boardRecordsOf(client.doc).has('shape:from-a')).toBe(true)
        expect(boardRecordsOf(client.doc).has('shape:from-b')).toBe(true)
      }
    })
    second.provider.awareness.setLocalState({ name: 'Blue heron', color: '#123456', cursor: [5, 7], hidden: false })
    await eventually(() => expect([...first.provider.awareness.getStates().values()].some((state) => (state as { name?: string }).name === 'Blue heron')).toBe(true))
    // Exactly one instance holds the workshop's live state.
    expect([a, b].filter((server) => server.rooms.isLoaded(workshop.workshopId))).toHaveLength(1)
  })

  it('publishes an idea posted on one instance and revealed from the other once, to clients on both', async () => {
    const { workshop, people, w } = await revealedWorkshop(['Kindness first', 'Time to listen', 'Nothing about us without us'])
    const watchers = [connect(a, workshop.workshopId, 'state', people[0]!.token), connect(b, workshop.workshopId, 'state', people[1]!.token)]
    await Promise.all(watchers.map((client) => whenSynced(client)))
    const reveal = await api(b, `${w}/sections/values/reveal`, { body: {}, token: workshop.facilitatorKey })
    expect(reveal.status).toBe(200)
    for (const client of watchers)
      await eventually(() => expect(readState(client.doc).ideas.map((idea) => idea.text).sort()).toEqual(['Kindness first', 'Nothing about us without us', 'Time to listen']))
    // A second reveal from the other instance publishes nothing twice.
    await api(a, `${w}/sections/values/reveal`, { body: {}, token: workshop.facilitatorKey })
    const stored = a.db.prepare("SELECT COUNT(*) AS n FROM ideas WHERE workshop_id = ? AND status = 'published'").get(workshop.workshopId) as { n: number }
    expect(stored.n).toBe(3)
  })

  it('never lets 40 racing ballots on one token, split across both instances, exceed the budget', async () => {
    const texts = ['A', 'B', 'C', 'D', 'E', 'F']
    const { workshop, people, w } = await revealedWorkshop(texts)
    const fac = (server: TestServer, path: string, body: unknown = {}) => api<ErrorBody>(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    expect((await fac(a, '/sections/values/reveal')).status).toBe(200)
    expect((await fac(b, '/sections/values/phase', { phase: 'vote' })).status).toBe(200)
    const owner = [a, b].find((server) => server.rooms.isLoaded(workshop.workshopId))!
    const ids = texts.map((text) => owner.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc)).ideas.find((idea) => idea.text === text)!.ideaId)
    const token = people[0]!.token
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api(i % 2 === 0 ? a : b, `${w}/sections/values/ballot`, { method: 'PUT', token, body: { dots: { [ids[i % 6]!]: 1, [ids[(i + 1) % 6]!]: 1, [ids[(i + 2) % 6]!]: 1 } } }),
      ),
    )
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 40 }, () => 200))
    const total = a.db.prepare('SELECT SUM(dots) AS total FROM ballots WHERE workshop_id = ?').get(workshop.workshopId) as { total: number }
    expect(total.total).toBe(3)
  })

  it('carries a board edit to the other instance’s sockets as one bus message for all of them', async () => {
    const workshop = await createWorkshop(a)
    const writer = connect(a, workshop.workshopId, 'board', (await joinWorkshop(a, workshop.workshopId)).token)
    await whenSynced(writer)
    expect(a.rooms.isLoaded(workshop.workshopId)).toBe(true)
    const readers: ProviderClient[] = []
    for (let i = 0; i < 5; i++) readers.push(connect(b, workshop.workshopId, 'board', (await joinWorkshop(b, workshop.workshopId)).token))
    await Promise.all(readers.map((reader) => whenSynced(reader)))
    const key = busKey((a.db.prepare("SELECT value FROM server_secrets WHERE name = 'cluster-bus'").get() as { value: Buffer }).value)
    const watcher = new Redis(redis.url)
    try {
      const downs: number[] = []
      watcher.on('pmessage', (_pattern: string, channel: string, text: string) => {
        const opened = openBusMessage(key, channel, text, new Map())
        const message = opened ? (JSON.parse(opened) as { t: string; conns?: string[] }) : null
        if (message?.t === 'down') downs.push(message.conns?.length ?? 1)
      })
      await watcher.psubscribe('parity:inbox:*')
      boardRecordsOf(writer.doc).set('shape:for-five', shapeRecord('for-five'))
      await eventually(() => {
        for (const reader of readers) expect(boardRecordsOf(reader.doc).has('shape:for-five')).toBe(true)
      })
      // The edit reached all five in one message (one seal and one publish, not five).
      expect(downs).toContain(5)
    } finally {
      watcher.disconnect()
    }
  })

  it('serves programme pages and share links from either instance, whichever holds the workshops', async () => {
    const programme = (await api<{ programmeId: string; programmeKey: string }>(a, '/api/programmes', { body: { title: 'Across instances' } })).body
    const workshop = (await api<CreatedWorkshop>(a, '/api/workshops', { body: { title: 'Held by one', programmeId: programme.programmeId }, token: programme.programmeKey })).body
    const w = `/api/workshops/${workshop.workshopId}`
    expect((await api(a, `${w}/sections/values/phase`, { body: { phase: 'discuss' }, token: workshop.facilitatorKey })).status).toBe(200)
    const shared = await api<{ shareUrl: string }>(a, `${w}/share`, { body: {}, token: workshop.facilitatorKey })
    expect(shared.status).toBe(201)
    const shareId = shared.body.shareUrl.split('/shared/')[1]!
    // Whichever instance took the workshop, both answer (they read the other's from storage).
    for (const server of [a, b]) {
      expect((await api(server, `/api/programmes/${programme.programmeId}`, { token: programme.programmeKey })).status).toBe(200)
      expect((await api(server, `/api/shared/${shareId}`)).status).toBe(200)
    }
  })

  it('holds sockets per token across instances', async () => {
    const workshop: CreatedWorkshop = await createWorkshop(b)
    const person = await joinWorkshop(a, workshop.workshopId)
    const limit = a.config.limits.socketsPerToken
    const open = Array.from({ length: limit }, (_, i) => connect(i % 2 === 0 ? a : b, workshop.workshopId, 'board', person.token))
    await Promise.all(open.map((client) => whenSynced(client)))
    const url = (server: TestServer) => `${server.url.replace('http', 'ws')}/ws/${workshop.workshopId}/board?token=${person.token}`
    const { upgradeStatus } = await import('../helpers/clients.ts')
    expect(await upgradeStatus(url(a))).toBe(429)
    expect(await upgradeStatus(url(b))).toBe(429)
  })

  it('holds sockets per token when a burst of them opens through the instance that does not hold the workshop', async () => {
    const workshop: CreatedWorkshop = await createWorkshop(a)
    const person = await joinWorkshop(a, workshop.workshopId)
    const carrier = a.rooms.isLoaded(workshop.workshopId) ? b : a
    const sockets = await Promise.all(Array.from({ length: 40 }, () => openRaw(wsUrl(carrier, workshop.workshopId, 'board', person.token)).catch(() => null)))
    try {
      // The owner's answer to each opening comes back over the bus.
      await eventually(() => expect(sockets.filter((socket) => socket !== null && socket.closeCode === null).length).toBeLessThanOrEqual(a.config.limits.socketsPerToken), 10_000)
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(sockets.filter((socket) => socket !== null && socket.closeCode === null).length).toBeLessThanOrEqual(a.config.limits.socketsPerToken)
    } finally {
      for (const socket of sockets) socket?.close()
    }
  })

  it('closes a carried socket whose owner took its carrier for gone, so its client reconnects and syncs', async () => {
    const { workshop, first, second } = await boardOnBoth()
    expect(a.rooms.isLoaded(workshop.workshopId)).toBe(true)
    const redisClient = new Redis(redis.url)
    try {
      const owner = (a.db.prepare('SELECT instance_id AS owner FROM workshop_owners WHERE workshop_id = ?').get(workshop.workshopId) as { owner: string }).owner
      const carrier = (await redisClient.keys('parity:alive:*')).map((key) => key.slice('parity:alive:'.length)).find((id) => id !== owner)
      expect(carrier).toBeDefined()
      // B's heartbeat goes missing for longer than A's once-a-second check (as just after Redis
      // comes back, before B's first beat): A drops B's sockets. B must hear of it and close them.
      for (const until = Date.now() + 2_500; Date.now() < until; ) {
        await redisClient.del(`parity:alive:${carrier}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      await eventually(async () => expect(await redisClient.exists(`parity:alive:${carrier}`)).toBe(1))
    } finally {
      redisClient.disconnect()
    }
    // A socket left half open would swallow this edit until y-websocket's 30-second silence timeout.
    boardRecordsOf(second.doc).set('shape:after-doubt', shapeRecord('after-doubt'))
    await eventually(() => expect(boardRecordsOf(first.doc).has('shape:after-doubt')).toBe(true), 10_000)
  })

  it('acts only on bus messages sealed with the instances’ shared secret, once each, and shows Redis no keys or text', async () => {
    const workshop = await createWorkshop(a)
    const { token } = await joinWorkshop(a, workshop.workshopId)
    const publisher = new Redis(redis.url)
    const listener = new Redis(redis.url)
    const watcher = new Redis(redis.url)
    try {
      const instances = (await publisher.keys('parity:alive:*')).map((key) => key.slice('parity:alive:'.length))
      expect(instances).toHaveLength(2)
      // Everything the instances say to each other, as someone reading Redis would see it.
      const overheard: string[] = []
      watcher.on('pmessage', (_pattern: string, _channel: string, text: string) => overheard.push(text))
      await watcher.psubscribe('parity:inbox:*')
      const answers: string[] = []
      listener.on('message', (_channel: string, text: string) => answers.push(text))
      await listener.subscribe('parity:inbox:test-outsider')
      const request = (id: string) =>
        JSON.stringify({ t: 'req', id, from: 'test-outsider', method: 'GET', url: `http://x/api/workshops/${workshop.workshopId}/ground-rules`, headers: [['authorization', `Bearer ${token}`]], address: '127.0.0.1' })
      const secret = (a.db.prepare("SELECT value FROM server_secrets WHERE name = 'cluster-bus'").get() as { value: Buffer }).value
      // Random, not made from anything in the configuration: it was the hash of Redis's address,
      // so anyone who knew the address could read and forge the instances' messages.
      expect(secret.length).toBe(32)
      for (const known of [redis.url, new URL(redis.url).host, databaseUrl]) {
        const hash = createHash('sha256').update(known).digest()
        expect([hash, Buffer.from(hash.toString('hex'))].some((derived) => derived.equals(secret))).toBe(false)
      }
      const key = busKey(secret)
      const wrongKey = busKey(Buffer.alloc(32, 7))
      let seq = 0
      for (const instance of instances) {
        const channel = `parity:inbox:${instance}`
        await publisher.publish(channel, request(`bare-${instance}`))
        await publisher.publish(channel, sealBusMessage(wrongKey, channel, request(`forged-${instance}`), 'test-outsider', ++seq))
        const other = instances.find((id) => id !== instance)!
        await publisher.publish(channel, sealBusMessage(key, `parity:inbox:${other}`, request(`misdirected-${instance}`), 'test-outsider', ++seq))
        await publisher.publish(channel, sealBusMessage(key, channel, request(`stale-${instance}`), 'test-outsider', ++seq, Date.now() - 60_000))
        const sealed = sealBusMessage(key, channel, request(`sealed-${instance}`), 'test-outsider', ++seq)
        await publisher.publish(channel, sealed)
        // The same message again, as someone who recorded it would replay it.
        await publisher.publish(channel, sealed)
      }
      // The sealed requests are answered (so the others had their chance to be too), and only they, once.
      await eventually(() => expect(answers).toHaveLength(instances.length))
      await new Promise((resolve) => setTimeout(resolve, 500))
      const answered = answers.map((text) => {
        const opened = openBusMessage(key, 'parity:inbox:test-outsider', text, new Map())
        expect(opened).not.toBeNull()
        return (JSON.parse(opened!) as { id: string }).id
      })
      expect(answered.sort()).toEqual(instances.map((instance) => `sealed-${instance}`).sort())

      // A request carried between instances (its key, its body) is not readable on the way.
      const onB = await joinWorkshop(b, workshop.workshopId)
      expect((await api(b, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: 'Overheard nowhere' }, token: onB.token })).status).toBe(201)
      const carried = overheard.filter((text) => !text.startsWith('{'))
      expect(carried.length).toBeGreaterThan(0)
      for (const text of carried) {
        expect(text).not.toContain(onB.token)
        expect(Buffer.from(text, 'base64url').toString('latin1')).not.toContain('Overheard nowhere')
      }
    } finally {
      publisher.disconnect()
      listener.disconnect()
      watcher.disconnect()
    }
  })

  it('refuses to start an instance without REDIS_URL against a database the cluster uses', async () => {
    await expect(startTestServer({ config: { databaseUrl } })).rejects.toThrow(SharedDatabaseError)
    await expect(startTestServer({ config: { databaseUrl } })).rejects.toThrow(/must all set the same REDIS_URL/)
  })
})
