import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { ERASED_TABLES } from '../../server/services/LifecycleService.ts'
import { eventually } from '../helpers/clients.ts'
import { startPostgres } from '../helpers/services.ts'
import { api, createWorkshop, startTestServer } from '../helpers/testServer.ts'

/**
 * December robustness review: each workshop deletion on PostgreSQL ran VACUUM (FULL) on every
 * table a workshop touches, inline. doc_updates holds every board of every workshop, so each
 * delete locked it for seconds and every instance writing to it stalled; a loop of
 * create+delete kept the cluster stalled. Now the rows go at once and the rewrite of the space
 * they freed runs later (server/storage/DeferredVacuum.ts): coalesced, one VACUUM per table for
 * many deletions, giving up when its table lock is not granted at once.
 *
 * What is due is marked in the database (`rewrites_due`), with the deletion: every start used to
 * ask for a rewrite of every erased table, one stall per deploy on a large database.
 */
describe('deleting a workshop on PostgreSQL rewrites the shared tables later, once, off the request path', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = []
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step()
  })

  it('answers deletions while another session holds doc_updates, then rewrites each table once and the deleted bytes leave the files', { timeout: 120_000 }, async () => {
    const postgres = await startPostgres()
    cleanup.push(() => postgres.stop())
    const databaseUrl = await postgres.createDatabase()
    const INTERVAL_MS = 5_000
    const server = await startTestServer({ config: { databaseUrl, eraseVacuumIntervalMs: INTERVAL_MS }, captureLogs: true })
    cleanup.push(() => server.dispose())
    const admin = new pg.Client({ connectionString: databaseUrl })
    await admin.connect()
    cleanup.push(() => admin.end())
    const locker = new pg.Client({ connectionString: databaseUrl })
    await locker.connect()
    cleanup.push(() => locker.end())

    type Run = { rewritten: number; deferred: number }
    const allRuns = (): Run[] =>
      server.logs
        .map((line) => JSON.parse(line) as { event: string } & Run)
        .filter((line) => line.event === 'storage.erase_vacuum')
    const runs = allRuns

    const markers = ['one', 'two', 'three'].map((n) => `Erased ${n} ${randomBytes(6).toString('hex')}`)
    const workshops = []
    for (const title of markers) workshops.push(await createWorkshop(server, title))
    const oid = (await admin.query<{ oid: string }>('SELECT oid::text FROM pg_database WHERE datname = current_database()')).rows[0]!.oid
    /** Markers found in any relation file of this database (heap, index, TOAST; not the WAL). */
    const onDisk = async (): Promise<string[]> => {
      await admin.query('CHECKPOINT')
      const base = join(postgres.dataDir, 'base', oid)
      const files = existsSync(base) ? readdirSync(base).filter((name) => /^\d+(\.\d+)?$/.test(name)) : []
      const bytes = files.map((name) => readFileSync(join(base, name)))
      return markers.filter((marker) => bytes.some((file) => file.includes(Buffer.from(marker))))
    }
    expect(await onDisk()).toEqual(markers)

    // A long reader on doc_updates: VACUUM FULL would wait for it, and every writer behind VACUUM.
    await locker.query('BEGIN')
    await locker.query('LOCK TABLE doc_updates IN ACCESS SHARE MODE')
    // Start just after a slot, so all three deletions fall before the same next slot.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS - (Date.now() % INTERVAL_MS) + 100))
    for (const workshop of workshops) {
      const started = performance.now()
      const deleted = await api(server, `/api/workshops/${workshop.workshopId}`, { method: 'DELETE', token: workshop.facilitatorKey })
      expect(deleted.status).toBe(200)
      // Inline, this waited for the lock (20 s statement timeout) with the event loop blocked.
      // (The slot after the first start has passed: a start with nothing due rewrote nothing.)
      expect(performance.now() - started).toBeLessThan(2_000)
      expect((await api(server, `/api/workshops/${workshop.workshopId}/retention`, { token: workshop.facilitatorKey })).status).not.toBe(200)
    }
    // Rows gone for every reader, freed bytes still in the files until the rewrite.
    expect((await admin.query('SELECT 1 FROM workshops')).rowCount).toBe(0)

    // The next slot's run rewrites everything but doc_updates, whose lock it does not get.
    await eventually(() => expect(runs().length).toBeGreaterThanOrEqual(1), 3 * INTERVAL_MS)
    expect(runs()[0]).toMatchObject({ rewritten: ERASED_TABLES.length - 1, deferred: 1 })
    await locker.query('COMMIT')
    await eventually(() => expect(runs().at(-1)?.deferred).toBe(0), 4 * INTERVAL_MS)
    // Three deletions, one rewrite per table in all.
    expect(runs().reduce((sum, run) => sum + run.rewritten, 0)).toBe(ERASED_TABLES.length)
    expect(await onDisk()).toEqual([])
    expect((await admin.query('SELECT 1 FROM rewrites_due')).rowCount).toBe(0)
  })

  it('rewrites after a restart what a deletion left due, and nothing when nothing is due', { timeout: 60_000 }, async () => {
    const postgres = await startPostgres()
    cleanup.push(() => postgres.stop())
    const databaseUrl = await postgres.createDatabase()
    const admin = new pg.Client({ connectionString: databaseUrl })
    await admin.connect()
    cleanup.push(() => admin.end())
    const due = async () => (await admin.query<{ name: string }>('SELECT table_name AS name FROM rewrites_due ORDER BY 1')).rows.map((row) => row.name)
    const erased = [...ERASED_TABLES].sort()
    const erasing = (server: { logs: string[] }) => server.logs.map((line) => JSON.parse(line) as { event: string; rewritten: number }).filter((line) => line.event === 'storage.erase_vacuum')

    // A slot an hour away: the server stops with the rewrite still due.
    const first = await startTestServer({ config: { databaseUrl, eraseVacuumIntervalMs: 60 * 60_000 }, captureLogs: true })
    const workshop = await createWorkshop(first)
    expect((await api(first, `/api/workshops/${workshop.workshopId}`, { method: 'DELETE', token: workshop.facilitatorKey })).status).toBe(200)
    await first.dispose()
    expect(erasing(first)).toEqual([])
    expect(await due()).toEqual(erased)

    const INTERVAL_MS = 500
    const second = await startTestServer({ config: { databaseUrl, eraseVacuumIntervalMs: INTERVAL_MS, scrubVacuumIntervalMs: 60 * 60_000 }, captureLogs: true })
    await eventually(async () => expect(await due()).toEqual([]), 20 * INTERVAL_MS)
    await second.dispose()
    expect(erasing(second)).toMatchObject([{ rewritten: ERASED_TABLES.length }])

    const third = await startTestServer({ config: { databaseUrl, eraseVacuumIntervalMs: INTERVAL_MS }, captureLogs: true })
    cleanup.push(() => third.dispose())
    await new Promise((resolve) => setTimeout(resolve, 6 * INTERVAL_MS))
    expect(erasing(third)).toEqual([])
  })
})
