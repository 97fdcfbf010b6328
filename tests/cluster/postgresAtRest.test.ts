import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ATTACK_MOMENTS, AttackScores, runAttackedWorkshop, type AttackMoment } from '../helpers/attackedWorkshop.ts'
import { pairingAttack, timelineAttack } from '../helpers/pairingAttack.ts'
import { eventually } from '../helpers/clients.ts'
import { evidenceOf, readPostgres } from '../helpers/postgresPages.ts'
import { startPostgres, type PostgresService } from '../helpers/services.ts'
import { api, createWorkshop, joinWorkshop, startTestServer } from '../helpers/testServer.ts'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'

/**
 * Issue 15 (item 3): the anonymity-at-rest principle of issue 12 on PostgreSQL. The same
 * workshop as the SQLite page-level test (tests/helpers/attackedWorkshop.ts), on a PostgreSQL of
 * its own, attacked at the same 7 moments by someone who reads what a superuser or a copy of
 * PGDATA shows (tests/helpers/postgresPages.ts): each row's ctid and xmin, the raw bytes of the
 * heap and index files, and the WAL records with their transaction ids. By chance a ranking
 * names 1 of 6 correctly on average.
 *
 * Two measures at each moment: the pairing attack (person ↔ contribution, as for SQLite), and
 * how much of each arrival order (ideas, ballots, answers) any of that evidence still holds.
 * Arrival order is what a pairing needs once anything outside the database (who spoke when, a
 * proxy log) is known, so it must be gone where Parity says it is. Before this test, a closed
 * round's ballots kept their exact order in the heap file's freed space (6.00 of 6 in place);
 * VACUUM FULL removed it: since run within a short window after each scrub, off the event loop
 * (server/storage/DeferredVacuum.ts), so each copy here is taken once that window has passed.
 */
describe('no order at rest on PostgreSQL: ctid, xmin, heap pages and WAL pair nobody with their contribution', () => {
  // A PostgreSQL run costs several seconds here; PARITY_ATTACK_RUNS=30 matches the SQLite test.
  const RUNS = Number(process.env.PARITY_ATTACK_RUNS ?? 8)
  const PEOPLE = 6
  const SCRUB_WINDOW_MS = 100
  const scores = new AttackScores()
  /** Per `moment|kind`: summed correct places of the best group, and that group's evidence. */
  const timelines = new Map<string, { sum: number; evidence: Set<string> }>()
  let postgres: PostgresService
  const flowFailures: string[] = []

  beforeAll(async () => {
    postgres = await startPostgres({
      extraSettings: {
        // A finished WAL segment is deleted, not renamed for reuse with its old records still in
        // it. Everything else is PostgreSQL's default on purpose (wal_init_zero on: a new segment
        // starts zeroed; full_page_writes on; autovacuum on), as a deployment would have it.
        wal_recycle: 'off',
      },
    })
    for (let run = 0; run < RUNS; run++) {
      try {
        await attackedRun(run)
      } catch (error) {
        // Seen twice, both in the first run on a fresh cluster under heavy load: a step of the
        // workshop flow answered 404. Not understood yet; the run is repeated once on a fresh
        // database, and the test below makes every such repeat visible.
        flowFailures.push(error instanceof Error ? error.message : String(error))
        if (flowFailures.length > 1) throw error
        await attackedRun(run)
      }
    }
  }, 600_000)

  async function attackedRun(run: number): Promise<void> {
    {
      const databaseUrl = await postgres.createDatabase()
      // The scrub's VACUUM (FULL) runs within this window after a publication or round close
      // (DeferredVacuum); each copy is taken once it is done, never more than a few windows on.
      const server = await startTestServer({ config: { databaseUrl, ideaBatchIntervalMs: 60_000, scrubVacuumIntervalMs: SCRUB_WINDOW_MS } })
      const admin = new pg.Client({ connectionString: databaseUrl })
      await admin.connect()
      try {
        await runAttackedWorkshop(server, run, PEOPLE, async (moment, { truths, participants }) => {
          await eventually(async () => expect((await admin.query('SELECT table_name FROM rewrites_due')).rows).toEqual([]), 10 * SCRUB_WINDOW_MS, 50)
          const markers = new Set([...participants.keys(), ...Object.values(truths).flatMap((truth) => [...truth.keys()])])
          const view = await readPostgres(databaseUrl, postgres.dataDir, markers)
          const result = pairingAttack(view.cells, truths, participants)
          result.colocated += pairingAttack(view.transactions, truths, participants).colocated
          scores.add(moment, result)
          for (const [kind, truth] of Object.entries(truths)) {
            const best = truth.size > 1 ? timelineAttack(view.cells, [...truth.keys()]) : null
            if (!best) continue
            const entry = timelines.get(`${moment}|${kind}`) ?? { sum: 0, evidence: new Set() }
            entry.sum += best.correct
            entry.evidence.add(evidenceOf(best.key))
            timelines.set(`${moment}|${kind}`, entry)
          }
        })
        scores.runs++
      } finally {
        await admin.end()
        await server.dispose()
      }
    }
  }

  it('ran the workshop flow with at most one repeated run', () => {
    expect(flowFailures.length, flowFailures.join('\n')).toBeLessThanOrEqual(1)
  })

  afterAll(async () => {
    // PARITY_ATTACK_REPORT=1 prints the attack's best mean per moment (figures for docs/security.md).
    if (process.env.PARITY_ATTACK_REPORT) {
      for (const line of scores.report(PEOPLE)) console.info(line)
      for (const [key, { sum, evidence }] of timelines) console.info(`timeline ${key}: ${(sum / RUNS).toFixed(2)} of ${PEOPLE} in place (${[...evidence].join(', ')})`)
    }
    await postgres?.stop()
  })

  it.each(ATTACK_MOMENTS)('pairs no better than chance when the copy is taken %s', (moment) => {
    // Chance is 1 of 6 per run; over n runs the best of the attack's groups strays by a few
    // standard errors (1/√n). The old SQLite code gave 6.
    const best = scores.best(moment)
    expect(best).not.toBeNull()
    expect([moment, best!.key, best!.mean < 1 + 3.5 / Math.sqrt(RUNS)]).toEqual([moment, best!.key, true])
    expect(scores.colocated(moment)).toBe(0)
  })

  // When each arrival order must be gone: ideas once published, ballots once the round closes,
  // answers once the consent round closes (before that the live rows keep it, as in SQLite).
  const scrubbedFrom: Record<string, AttackMoment> = { author: 'published', voter: 'vote closed', responder: 'consent closed' }
  const claims = ATTACK_MOMENTS.flatMap((moment) =>
    Object.entries(scrubbedFrom)
      .filter(([, from]) => ATTACK_MOMENTS.indexOf(moment) >= ATTACK_MOMENTS.indexOf(from))
      .map(([kind]) => [moment, kind] as const),
  )
  it.each(claims)('keeps no arrival order in rows, heap files or WAL when the copy is taken %s (%s)', (moment, kind) => {
    // The whole timeline puts all 6 in place (ballots gave 6.00 at every moment after the close
    // with a plain VACUUM). The best of the ~10 groups (tables, index and heap pages, WAL), each
    // in a random order, puts 2–2.7 in place on average (measured over 8 runs).
    const timeline = timelines.get(`${moment}|${kind}`)
    expect(timeline).toBeDefined()
    expect([moment, kind, [...timeline!.evidence], timeline!.sum / RUNS < 3.5]).toEqual([moment, kind, [...timeline!.evidence], true])
  })

  it('leaves no text of a deleted workshop in the database’s files or the WAL', async () => {
    const databaseUrl = await postgres.createDatabase()
    // The rewrite of what a deletion freed waits for its slot (DeferredVacuum): a short one here.
    const server = await startTestServer({ config: { databaseUrl, ideaBatchIntervalMs: 50, eraseVacuumIntervalMs: 1_000, scrubVacuumIntervalMs: 1_000 } })
    try {
      const texts = ['Zebra crossing by the clinic', 'Quieter waiting room please', 'Letters in large print']
      const workshop = await createWorkshop(server, 'Kestrel workshop on discharge')
      const w = `/api/workshops/${workshop.workshopId}`
      for (const [i, text] of texts.entries()) {
        const person = await joinWorkshop(server, workshop.workshopId)
        expect((await api(server, `${w}/sections/values/ideas`, { body: { text }, token: person.token, headers: { 'idempotency-key': `k${i}` } })).status).toBe(201)
      }
      expect((await api(server, `${w}/sections/values/reveal`, { body: {}, token: workshop.facilitatorKey })).status).toBe(200)
      server.writer.flush()
      const secrets = [...texts, 'Kestrel workshop on discharge'].map((text) => Buffer.from(text))
      const oid = await databaseOid(databaseUrl)
      const leftIn = () => filesUnder(join(postgres.dataDir, 'base', oid), join(postgres.dataDir, 'pg_wal')).filter((file) => secrets.some((secret) => readFileSync(file).includes(secret)))
      // The reader finds them while the workshop exists (in the WAL at least).
      expect(leftIn().length).toBeGreaterThan(0)
      expect((await api(server, w, { method: 'DELETE', token: workshop.facilitatorKey })).status).toBe(200)
      // With a plain VACUUM the dead rows of ideas, doc_updates and workshops kept every text.
      await eventually(() => expect(leftIn()).toEqual([]), 15_000, 250)
    } finally {
      await server.dispose()
    }
  })
})

async function databaseOid(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ oid: string }>('SELECT oid::text FROM pg_database WHERE datname = current_database()')).rows[0]!.oid
  } finally {
    await client.end()
  }
}

function filesUnder(...dirs: string[]): string[] {
  return dirs.flatMap((dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)])))
}
