import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresDb } from '../../server/storage/postgres/PostgresDb.ts'
import { statementLoggingRisks } from '../../server/storage/postgres/statementLogging.ts'
import { freshPostgresDatabase } from '../helpers/postgresDatabase.ts'
import { testStorage } from '../helpers/testServer.ts'
import { eventually } from '../helpers/clients.ts'

/**
 * A TCP proxy in its own process (PostgresDb blocks this thread while it waits). SIGUSR2 freezes
 * every connection open so far without closing it, as a network partition does; new connections
 * still pass. It says "frozen" once done.
 */
async function partitionableProxy(target: URL) {
  const source = `
    const net = require('node:net')
    const open = new Set()
    const server = net.createServer((client) => {
      const upstream = net.connect(${Number(target.port)}, ${JSON.stringify(target.hostname)})
      client.pipe(upstream).pipe(client)
      client.on('error', () => {}); upstream.on('error', () => {})
      open.add([client, upstream])
    })
    process.on('SIGUSR2', () => { for (const pair of open) for (const socket of pair) { socket.unpipe(); socket.pause() } open.clear(); console.log('frozen') })
    server.listen(0, '127.0.0.1', () => console.log(server.address().port))
  `
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = (await once(child.stdout, 'data')) as [Buffer]
  // Resolves once the proxy has frozen them: a query sent before that passed through (CI, 16:33).
  const partition = async () => {
    const frozen = once(child.stdout, 'data')
    child.kill('SIGUSR2')
    await frozen
  }
  return { port: Number(line.toString().trim()), partition, stop: () => child.kill('SIGKILL') }
}

// PostgreSQL's own behaviour under the synchronous Db shape; SQLite has no equivalent to check.
describe.runIf(testStorage === 'postgres')('PostgresDb', () => {
  let db: PostgresDb
  beforeAll(async () => {
    db = new PostgresDb(await freshPostgresDatabase())
    db.exec('CREATE TABLE notes (id TEXT PRIMARY KEY)')
  })
  afterAll(() => db.close())

  it('refuses to report a transaction saved when PostgreSQL rolled it back at COMMIT', () => {
    const insert = db.prepare('INSERT INTO notes (id) VALUES (?)')
    const write = db.transaction(() => {
      insert.run('kept?')
      // A failed statement caught inside the transaction: SQLite would carry on, PostgreSQL aborts.
      try {
        insert.run('kept?')
      } catch {
        // ignored on purpose
      }
    })
    expect(() => write()).toThrow(/rolled back/)
    expect(db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 0 })
    // The connection is usable afterwards.
    db.transaction(() => insert.run('saved'))()
    expect(db.prepare('SELECT id FROM notes').all()).toEqual([{ id: 'saved' }])
  })

  it('answers each statement with its own reply, in order, many times over', () => {
    const select = db.prepare('SELECT ?::int AS n')
    for (let i = 0; i < 500; i++) expect(select.get(i)).toEqual({ n: i })
  })

  it('names the settings under which PostgreSQL would log token lookups next to what people wrote', async () => {
    expect(statementLoggingRisks(db)).toEqual([])
    const url = await freshPostgresDatabase()
    const name = new URL(url).pathname.slice(1)
    const admin = new PostgresDb(url)
    admin.exec(`ALTER DATABASE "${name}" SET log_statement = 'all'`)
    admin.exec(`ALTER DATABASE "${name}" SET log_min_duration_statement = 0`)
    admin.close()
    const logged = new PostgresDb(url)
    try {
      expect(statementLoggingRisks(logged)).toEqual(['log_statement = all', 'log_min_duration_statement = 0'])
    } finally {
      logged.close()
    }
  })
  it('ends a connection it gave up on, so locks held by a partitioned session are freed', { timeout: 60_000 }, async () => {
    const url = new URL(await freshPostgresDatabase())
    const proxy = await partitionableProxy(url)
    const viaProxy = new URL(url)
    viaProxy.port = String(proxy.port)
    // Long enough for a new worker thread to start and connect on a busy CI machine (500 ms was not).
    const instance = new PostgresDb(viaProxy.toString(), 5_000)
    const other = new PostgresDb(url.toString())
    try {
      const tryLock = (db: PostgresDb) => (db.prepare('SELECT pg_try_advisory_lock(4242) AS ok').get() as { ok: boolean }).ok
      expect(tryLock(instance)).toBe(true)
      const before = instance.session
      await proxy.partition()
      // Unanswered: the connection is given up on and a new one opened. The old session is still
      // alive at the server, its socket open, and holds the lock this instance no longer knows it has.
      expect(() => instance.prepare('SELECT 1 AS one').get()).toThrow(/did not answer/)
      expect(instance.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 })
      expect(instance.session).not.toBe(before)
      await eventually(() => expect(tryLock(other)).toBe(true), 5_000, 100)
    } finally {
      instance.close()
      other.close()
      proxy.stop()
    }
  })
})
