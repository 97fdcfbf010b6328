import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { acceptsConnections, isAlive, processesIn } from './services/lifecycle.ts'
import setup from './postgresGlobalSetup.ts'
import { createDatabase, findBinary, startHaproxy, startPostgres, startRedis, type HaproxyService, type PostgresService, type RedisService } from './services.ts'

async function query<Row extends object>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<Row>(sql)).rows
  } finally {
    await client.end()
  }
}

async function connectionError(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 })
  try {
    await client.connect()
    await client.end()
    return 'connected'
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error)
  }
}

describe('findBinary', () => {
  it('names the packages to install when a binary is missing', () => {
    expect(() => findBinary('parity-no-such-binary')).toThrow(/parity-no-such-binary was not found.*apt-get install -y postgresql redis-server haproxy/)
  })
})

describe('startPostgres', () => {
  let postgres: PostgresService
  beforeAll(async () => {
    postgres = await startPostgres()
  })
  afterAll(() => postgres?.stop())

  it('creates fresh, separate databases that answer queries, with fsync off by default', async () => {
    const first = await postgres.createDatabase()
    const second = await postgres.createDatabase()
    expect(first).not.toBe(second)
    expect(await query(first, 'SELECT 1 AS one')).toEqual([{ one: 1 }])
    await query(first, 'CREATE TABLE only_here (x int)')
    expect(await query(second, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_here'")).toEqual([{ n: 0 }])
    expect(await query(first, 'SHOW fsync')).toEqual([{ fsync: 'off' }])
  })

  it('listens on 127.0.0.1 only, at the port it reports', async () => {
    expect(postgres.url).toBe(`postgres://postgres@127.0.0.1:${postgres.port}/postgres`)
    expect(await query(postgres.url, 'SHOW listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }])
  })

  it('kill() takes down every process of the cluster; restart() brings back the committed data', async () => {
    const url = await postgres.createDatabase('kill_and_restart')
    await query(url, 'CREATE TABLE kept (x int)')
    await query(url, 'INSERT INTO kept VALUES (42)')
    const before = processesIn(postgres.dataDir)
    expect(before).toContain(postgres.pid)

    await postgres.kill()
    expect(postgres.pid).toBeNull()
    // A backend that was already ending (its client closed) finishes on its own a moment later.
    await expect.poll(() => before.filter(isAlive), { timeout: 5_000 }).toEqual([])
    expect(await connectionError(url)).toBe('ECONNREFUSED')

    await postgres.restart()
    expect(await query(url, 'SELECT x FROM kept')).toEqual([{ x: 42 }])
  })
})

describe('startPostgres for the crash harness', () => {
  it('turns fsync on and passes extra settings; stop() leaves no process or folder behind', async () => {
    const postgres = await startPostgres({ fsync: true, extraSettings: { wal_recycle: 'off', max_connections: '150' } })
    const pids = processesIn(postgres.dataDir)
    try {
      expect(await query(postgres.url, 'SHOW fsync')).toEqual([{ fsync: 'on' }])
      expect(await query(postgres.url, 'SHOW wal_recycle')).toEqual([{ wal_recycle: 'off' }])
      expect(await query(postgres.url, 'SHOW max_connections')).toEqual([{ max_connections: '150' }])
    } finally {
      await postgres.stop()
    }
    expect(pids.length).toBeGreaterThan(0)
    expect(pids.filter(isAlive)).toEqual([])
    expect(existsSync(postgres.dataDir)).toBe(false)
  })
})

describe('startRedis', () => {
  let redis: RedisService
  const clients: Redis[] = []
  // No automatic resubscribe: after the restart below, ioredis would resend test one's SUBSCRIBE
  // with no handler, and closing the client mid-flight rejects it as an unhandled error.
  const client = (): Redis => {
    const made = new Redis(redis.url, { lazyConnect: false, autoResubscribe: false })
    made.on('error', () => {})
    clients.push(made)
    return made
  }
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await Promise.all(clients.map((made) => made.quit().catch(() => made.disconnect())))
    await redis?.stop()
  })

  it('answers PING and carries a pub/sub message', async () => {
    const publisher = client()
    const subscriber = client()
    expect(await publisher.ping()).toBe('PONG')
    const received = new Promise<[string, string]>((resolve) => subscriber.once('message', (channel: string, message: string) => resolve([channel, message])))
    await subscriber.subscribe('workshop:w1')
    expect(await publisher.publish('workshop:w1', 'hello')).toBe(1)
    expect(await received).toEqual(['workshop:w1', 'hello'])
  })

  it('kill() refuses connections; restart() comes back empty on the same port, and clients reconnect', async () => {
    const survivor = client()
    await survivor.set('before', 'yes')
    const { port } = redis

    await redis.kill()
    expect(redis.pid).toBeNull()
    expect(await acceptsConnections(port)).toBe(false)

    await redis.restart()
    expect(redis.port).toBe(port)
    // No persistence: what Redis held is gone, as after a real restart of a cache.
    await expect.poll(() => survivor.get('before').catch(() => 'not yet')).toBeNull()
    expect(await survivor.ping()).toBe('PONG')
  })
})

interface TestBackend {
  name: string
  server: Server
  port: number
  close(): Promise<void>
}

/** A stand-in instance: /healthz answers 200, anything else its name and the X-Forwarded-For it saw; websockets echo with its name. */
async function startBackend(name: string): Promise<TestBackend> {
  const server = createServer((request, response) => {
    if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
      return
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, forwardedFor: request.headers['x-forwarded-for'] ?? null }))
  })
  const sockets = new WebSocketServer({ server })
  sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`${name}:${String(data)}`)))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    name,
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.clients) socket.terminate()
        sockets.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function whoAnswers(url: string): Promise<{ name: string; forwardedFor: string | null }> {
  const response = await fetch(`${url}/who`)
  expect(response.status).toBe(200)
  return (await response.json()) as { name: string; forwardedFor: string | null }
}

describe('startHaproxy', () => {
  let a: TestBackend
  let b: TestBackend
  let c: TestBackend
  let proxy: HaproxyService
  beforeAll(async () => {
    ;[a, b, c] = await Promise.all([startBackend('a'), startBackend('b'), startBackend('c')])
    proxy = await startHaproxy([a, b].map((backend) => ({ host: '127.0.0.1', port: backend.port })))
  })
  afterAll(async () => {
    await proxy?.stop()
    await Promise.all([a, b, c].map((backend) => backend?.close()))
  })

  it('alternates requests between the instances (no stickiness) and passes X-Forwarded-For', async () => {
    await expect.poll(async () => (await proxy.serverStates()).map((state) => state.status)).toEqual(['UP', 'UP'])
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await whoAnswers(proxy.url))
    const names = answers.map((answer) => answer.name)
    expect(new Set(names)).toEqual(new Set(['a', 'b']))
    for (let i = 1; i < names.length; i++) expect(names[i]).not.toBe(names[i - 1])
    expect(answers.every((answer) => answer.forwardedFor === '127.0.0.1')).toBe(true)
  })

  it('carries websockets through to an instance', async () => {
    const socket = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`)
    const echoed = new Promise<string>((resolve, reject) => {
      socket.once('message', (data) => resolve(String(data)))
      socket.once('error', reject)
    })
    socket.once('open', () => socket.send('ping'))
    expect(await echoed).toMatch(/^[ab]:ping$/)
    socket.close()
  })

  it('setServerState() takes an instance out of rotation and back', async () => {
    await proxy.setServerState(1, 'maint')
    expect((await proxy.serverStates())[1]).toMatchObject({ status: 'MAINT', up: false })
    for (let i = 0; i < 4; i++) expect((await whoAnswers(proxy.url)).name).toBe('a')
    await proxy.setServerState(1, 'ready')
    await expect.poll(async () => (await proxy.serverStates())[1]?.up).toBe(true)
    const names = new Set<string>()
    for (let i = 0; i < 4; i++) names.add((await whoAnswers(proxy.url)).name)
    expect(names).toEqual(new Set(['a', 'b']))
  })

  it('keeps answering when an instance dies, and takes it out after its health checks fail', async () => {
    await b.close()
    // Before the checks notice, a refused connection is redispatched to the other instance.
    expect((await whoAnswers(proxy.url)).name).toBe('a')
    await expect.poll(async () => (await proxy.serverStates()).map((state) => [state.name, state.up])).toEqual([
      ['s0', true],
      ['s1', false],
    ])
    for (let i = 0; i < 4; i++) expect((await whoAnswers(proxy.url)).name).toBe('a')
  })

  it('setBackends() reloads with a new list of instances', async () => {
    await proxy.setBackends([a, c].map((backend) => ({ host: '127.0.0.1', port: backend.port })))
    expect((await proxy.serverStates()).map((state) => state.address)).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${c.port}`])
    const names = []
    for (let i = 0; i < 4; i++) names.push((await whoAnswers(proxy.url)).name)
    expect(new Set(names)).toEqual(new Set(['a', 'c']))
  })
})

describe('cleanup after a crashed test process', () => {
  it('stops PostgreSQL and Redis and removes their folders when the process that started them is SIGKILLed', async () => {
    const script = fileURLToPath(new URL('../fixtures/servicesThenHang.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    const started = await new Promise<{ postgresPids: number[]; dataDir: string; redisPid: number }>((resolve, reject) => {
      let output = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('\n')) resolve(JSON.parse(output) as { postgresPids: number[]; dataDir: string; redisPid: number })
      })
      child.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)))
    })
    expect(started.postgresPids.length).toBeGreaterThan(0)
    expect(started.postgresPids.every(isAlive)).toBe(true)
    expect(isAlive(started.redisPid)).toBe(true)

    child.kill('SIGKILL')

    await expect.poll(() => [...started.postgresPids, started.redisPid].filter(isAlive), { timeout: 20_000 }).toEqual([])
    await expect.poll(() => existsSync(started.dataDir), { timeout: 20_000 }).toBe(false)
  })
})

describe('postgresGlobalSetup', () => {
  it('provides the URL of a running PostgreSQL and stops it at teardown', async () => {
    const provided = new Map<string, unknown>()
    const teardown = await setup({ provide: (key, value) => void provided.set(key, value) })
    const url = provided.get('postgresUrl')
    if (typeof url !== 'string') throw new Error('no postgresUrl provided')
    const database = await createDatabase(url)
    expect(await query(database, 'SELECT 1 AS one')).toEqual([{ one: 1 }])
    expect(await query(url, 'SHOW max_connections')).toEqual([{ max_connections: '300' }])

    await teardown()
    expect(await connectionError(url)).toBe('ECONNREFUSED')
  })
})
