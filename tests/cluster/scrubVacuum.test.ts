import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { CONTRIBUTION_TABLES } from '../../server/storage/diskHygiene.ts'
import { DeferredVacuum } from '../../server/storage/DeferredVacuum.ts'
import { silentLogger } from '../../server/logger.ts'
import { eventually } from '../helpers/clients.ts'
import { startPostgres, type PostgresService } from '../helpers/services.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * The scrub after each publication and round close ran VACUUM (FULL) on the contribution tables
 * inline, on the synchronous storage bridge: this instance's event loop waited for every table
 * lock (no lock_timeout) and copy, and every workshop's writes to those tables queued behind it,
 * as often as a facilitator published or closed a round. Now the tables are marked due in the
 * scrub's transaction (`rewrites_due`) and rewritten within seconds, coalesced, off the event
 * loop, giving up on a lock not granted within 500 ms (server/storage/DeferredVacuum.ts).
 */
describe('the scrub on PostgreSQL rewrites the contribution tables later, coalesced, off the request path', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = []
  let postgres: PostgresService | null = null
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step()
    await postgres?.stop()
  })

  const connect = async (url: string): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    cleanup.push(() => client.end())
    return client
  }
  type Run = { event: string; rewritten: number; deferred: number }
  const runs = (server: TestServer, event = 'storage.scrub_vacuum'): Run[] =>
    server.logs.map((line) => JSON.parse(line) as Run).filter((line) => line.event === event)
  const due = async (admin: pg.Client): Promise<string[]> => (await admin.query<{ name: string }>('SELECT table_name AS name FROM rewrites_due ORDER BY 1')).rows.map((row) => row.name)

  /** A workshop with three people's ideas; `reveal` publishes them, `vote` opens and fills a round. */
  async function workshopWithIdeas(server: TestServer) {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const fac = (path: string, body: unknown = {}) => api(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    const people = [await joinWorkshop(server, workshop.workshopId), await joinWorkshop(server, workshop.workshopId), await joinWorkshop(server, workshop.workshopId)]
    const ideaIds: string[] = []
    for (const [i, person] of people.entries()) {
      const added = await api<{ ideaId: string }>(server, `${w}/sections/values/ideas`, { body: { text: `Idea ${i}` }, token: person.token, headers: { 'idempotency-key': `k${i}` } })
      expect(added.status).toBe(201)
      ideaIds.push(added.body.ideaId)
    }
    return {
      reveal: () => fac('/sections/values/reveal'),
      vote: async () => {
        expect((await fac('/sections/values/phase', { phase: 'vote' })).status).toBe(200)
        for (const [i, person] of people.entries())
          expect((await api(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots: { [ideaIds[i]!]: 1 } }, token: person.token })).status).toBe(200)
      },
      closeVote: () => fac('/sections/values/close-vote'),
    }
  }

  /** Holds `table` in ACCESS SHARE (a long reader) for `ms`, on PostgreSQL's clock, not ours. */
  async function holdTable(locker: pg.Client, admin: pg.Client, table: string, ms: number): Promise<{ released: Promise<unknown> }> {
    const held = locker.query(`BEGIN; LOCK TABLE ${table} IN ACCESS SHARE MODE; SELECT pg_sleep(${ms / 1000}); COMMIT`)
    const pid = (locker as unknown as { processID: number }).processID
    await eventually(async () => {
      const granted = await admin.query("SELECT 1 FROM pg_locks WHERE pid = $1 AND relation = $2::regclass AND mode = 'AccessShareLock' AND granted", [pid, table])
      expect(granted.rowCount).toBe(1)
    }, 5_000, 20)
    // Wrapped: an async function returning a promise would wait for it.
    return { released: held }
  }

  it('answers a publication and a round close at once while another session holds the table, then rewrites each table within the window', { timeout: 120_000 }, async () => {
    postgres = await startPostgres()
    const databaseUrl = await postgres.createDatabase()
    const INTERVAL_MS = 1_500
    const server = await startTestServer({ config: { databaseUrl, ideaBatchIntervalMs: 60_000, scrubVacuumIntervalMs: INTERVAL_MS }, captureLogs: true })
    cleanup.push(() => server.dispose())
    const admin = await connect(databaseUrl)
    const locker = await connect(databaseUrl)
    const flow = await workshopWithIdeas(server)

    // Inline, the reveal's VACUUM (FULL) ideas waited for this reader with the event loop held.
    const ideasHeld = await holdTable(locker, admin, 'ideas', 4_000)
    let started = performance.now()
    expect((await flow.reveal()).status).toBe(200)
    expect(performance.now() - started).toBeLessThan(1_500)
    // Marked due in the scrub's own transaction, before any rewrite.
    expect(await due(admin)).toEqual([...CONTRIBUTION_TABLES].sort())
    // The run gives up on `ideas` after 500 ms and leaves it due; the rest is rewritten.
    await eventually(() => expect(runs(server).length).toBeGreaterThanOrEqual(1), 3 * INTERVAL_MS)
    expect(runs(server)[0]).toMatchObject({ rewritten: CONTRIBUTION_TABLES.length - 1, deferred: 1 })
    await ideasHeld.released
    await eventually(async () => expect(await due(admin)).toEqual([]), 4 * INTERVAL_MS)
    // Each table rewritten once in all.
    expect(runs(server).reduce((sum, run) => sum + run.rewritten, 0)).toBe(CONTRIBUTION_TABLES.length)

    await flow.vote()
    const ballotsHeld = await holdTable(locker, admin, 'ballots', 4_000)
    started = performance.now()
    expect((await flow.closeVote()).status).toBe(200)
    expect(performance.now() - started).toBeLessThan(1_500)
    await ballotsHeld.released
    await eventually(async () => expect(await due(admin)).toEqual([]), 4 * INTERVAL_MS)
  })

  it('shares one rewrite per table among the scrubs of one window', { timeout: 60_000 }, async () => {
    postgres ??= await startPostgres()
    const databaseUrl = await postgres.createDatabase()
    const INTERVAL_MS = 4_000
    const server = await startTestServer({ config: { databaseUrl, ideaBatchIntervalMs: 60_000, scrubVacuumIntervalMs: INTERVAL_MS }, captureLogs: true })
    cleanup.push(() => server.dispose())
    const admin = await connect(databaseUrl)
    const flows = [await workshopWithIdeas(server), await workshopWithIdeas(server), await workshopWithIdeas(server)]
    // Just after a slot, so all three publications fall before the same next one.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS - (Date.now() % INTERVAL_MS) + 100))
    for (const flow of flows) expect((await flow.reveal()).status).toBe(200)
    await eventually(async () => expect(await due(admin)).toEqual([]), 3 * INTERVAL_MS)
    expect(runs(server)).toMatchObject([{ rewritten: CONTRIBUTION_TABLES.length, deferred: 0 }])
  })

  it('rewrites at start only what was left due before a restart', { timeout: 60_000 }, async () => {
    postgres ??= await startPostgres()
    const databaseUrl = await postgres.createDatabase()
    const admin = await connect(databaseUrl)
    // A slot an hour away: the server stops with the rewrite still due.
    const first = await startTestServer({ config: { databaseUrl, ideaBatchIntervalMs: 60_000, scrubVacuumIntervalMs: 60 * 60_000 }, captureLogs: true })
    expect((await (await workshopWithIdeas(first)).reveal()).status).toBe(200)
    await first.dispose()
    expect(await due(admin)).toEqual([...CONTRIBUTION_TABLES].sort())

    const INTERVAL_MS = 500
    const second = await startTestServer({ config: { databaseUrl, scrubVacuumIntervalMs: INTERVAL_MS }, captureLogs: true })
    await eventually(async () => expect(await due(admin)).toEqual([]), 10 * INTERVAL_MS)
    await second.dispose()
    expect(runs(second)).toMatchObject([{ rewritten: CONTRIBUTION_TABLES.length, deferred: 0 }])

    // Nothing due: a start rewrites nothing (every start used to rewrite every erased table).
    const third = await startTestServer({ config: { databaseUrl, scrubVacuumIntervalMs: INTERVAL_MS, eraseVacuumIntervalMs: INTERVAL_MS }, captureLogs: true })
    cleanup.push(() => third.dispose())
    await new Promise((resolve) => setTimeout(resolve, 6 * INTERVAL_MS))
    expect([...runs(third), ...runs(third, 'storage.erase_vacuum')]).toEqual([])
  })
  it('keeps each use’s marks apart: one use’s run never clears a table the other marked again', { timeout: 120_000 }, async () => {
    // Sharing one row per table, an erase run cleared the mark a publication had just set again
    // (its count had started again at 1), so that batch's arrival order stayed (December diff review).
    postgres ??= await startPostgres()
    const databaseUrl = await postgres.createDatabase()
    const server = await startTestServer({ config: { databaseUrl, scrubVacuumIntervalMs: 60_000, eraseVacuumIntervalMs: 60_000 } })
    cleanup.push(() => server.dispose())
    const admin = await connect(databaseUrl)
    const use = (event: string, lockId: number) => new DeferredVacuum({ db: server.db, databaseUrl, tables: ['ideas'], intervalMs: 200, lockId, event, log: silentLogger })
    const erase = use('test.erase', 7_276_101)
    const scrub = use('test.scrub', 7_276_102)
    cleanup.push(() => erase.stop(), () => scrub.stop())
    const marks = async () => (await admin.query<{ purpose: string }>('SELECT purpose FROM rewrites_due ORDER BY 1')).rows.map((row) => row.purpose)
    erase.markDue()
    scrub.markAndRequest()
    await eventually(async () => expect(await marks()).toEqual(['test.erase']), 10_000, 50)
    scrub.markDue()
    erase.request()
    await eventually(async () => expect(await marks()).toEqual(['test.scrub']), 10_000, 50)
  })
})
