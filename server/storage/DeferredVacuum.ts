import pg from 'pg'
import type { Logger } from '../logger.ts'
import type { Db, Statement } from './sql.ts'

/** Beside MIGRATION_LOCK and INSTANCE_LOCK (database.ts): one instance rewrites at a time, per use. */
export const ERASE_VACUUM_LOCK = 7_276_003
export const SCRUB_VACUUM_LOCK = 7_276_004
/**
 * How long a rewrite may wait for its table lock. While it waits, every other session's writes
 * to that table queue behind it (and each instance's event loop with them, PostgresDb blocks),
 * so it gives up soon and tries again at the next slot.
 */
export const VACUUM_LOCK_WAIT_MS = 500
const LOCK_NOT_AVAILABLE = '55P03'

export interface DeferredVacuumDeps {
  /** The instance's own connection: only to mark tables due, inside the caller's transaction. */
  db: Db
  databaseUrl: string
  /** The tables this use rewrites (schema constants, never input). */
  tables: readonly string[]
  intervalMs: number
  /** Session advisory lock taken for a run: one instance at a time for this use. */
  lockId: number
  /** Logged after each run that found something due, with `rewritten`, `deferred` and `ms`. */
  event: string
  log: Logger
  now?: () => number
}

/**
 * PostgreSQL keeps a deleted row's bytes (and a rewritten row's old place) in its page until the
 * table is rewritten (VACUUM FULL). That rewrite locks the table for every workshop for as long
 * as the copy takes, and PostgresDb blocks the event loop of every instance that writes to it
 * meanwhile. Run inline after each deletion, publication or round close, anyone looping those
 * kept the cluster stalled.
 *
 * So the caller only marks its tables due (`rewrites_due`, in the transaction that freed the
 * space, so a crash or restart cannot lose it) and asks for a run here. Requests are coalesced
 * and run at the next multiple of `intervalMs` on the clock, the same slot on every instance:
 * one VACUUM per table per slot however many requests came before it, on a separate
 * asynchronous connection (never on the event loop). A session advisory lock lets one instance
 * run at a time; a table whose lock is not granted within VACUUM_LOCK_WAIT_MS is left due for
 * the next slot. A mark is cleared only when a rewrite that started after it has finished (its
 * request count is unchanged), so a request during a run is not lost.
 */
export class DeferredVacuum {
  /** This use's name in `rewrites_due` (a constant: the event it logs). */
  private readonly use: string
  private readonly mark: Statement
  private readonly anyDue: Statement
  /** A run is wanted at the next slot (something was marked, deferred or locked elsewhere). */
  private wanted = false
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private client: pg.Client | null = null
  private stopped = false

  constructor(private readonly deps: DeferredVacuumDeps) {
    this.use = deps.event
    // Sorted, so two transactions marking overlapping lists take the row locks in one order.
    const sorted = [...new Set(deps.tables)].sort()
    // Each use keeps its own marks: sharing a row, one use's run cleared a mark the other use had
    // set again meanwhile (the count starts again at 1 once a row goes), and a batch's arrival
    // order stayed in the files (December diff review).
    const values = sorted.map((table) => `('${this.use}', '${table}', 1)`).join(', ')
    this.mark = deps.db.prepare(
      `INSERT INTO rewrites_due (purpose, table_name, requests) VALUES ${values} ON CONFLICT (purpose, table_name) DO UPDATE SET requests = rewrites_due.requests + 1`,
    )
    this.anyDue = deps.db.prepare(`SELECT 1 AS due FROM rewrites_due WHERE purpose = '${this.use}' LIMIT 1`)
  }

  /**
   * At start: a run at the first slot only if something is still due (marked before a restart or
   * crash, or deferred). A start with nothing due rewrites nothing: each used to cost a stall.
   */
  startUp(): void {
    if (this.anyDue.get()) this.request()
  }

  /** Marks this use's tables due. Call inside the transaction that frees the space. */
  markDue(): void {
    // Even once stopped: the caller's transaction still commits, and the next start must see it.
    this.mark.run()
  }

  /** Space was freed and committed (marked with `markDue`): rewrite at the next slot. */
  request(): void {
    if (this.stopped) return
    this.wanted = true
    this.schedule()
  }

  /** Both at once, for a caller whose freeing transactions are already committed. */
  markAndRequest(): void {
    this.markDue()
    this.request()
  }

  /** A run is wanted or under way (tests). */
  get busy(): boolean {
    return this.wanted || this.running !== null
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    // A rewrite under way runs to its end in PostgreSQL; what is still due stays marked in the
    // database for the next start.
    await this.client?.end().catch(() => undefined)
    await this.running
  }

  private schedule(): void {
    if (this.timer || this.running || this.stopped || !this.wanted) return
    const now = this.deps.now?.() ?? Date.now()
    const wait = this.deps.intervalMs - (now % this.deps.intervalMs)
    this.timer = setTimeout(() => {
      this.timer = null
      this.wanted = false
      this.running = this.run()
        .catch((error: unknown) => {
          // Still marked: tried again at the next slot.
          this.wanted = true
          // A stop ends the run's connection part way: not a failure worth a warning.
          if (!this.stopped) this.deps.log.warn(`${this.deps.event}_failed`, { error: error instanceof Error ? error.message : String(error) })
        })
        .finally(() => {
          this.running = null
          this.schedule()
        })
    }, wait)
    this.timer.unref()
  }

  private async run(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, application_name: `parity-${this.deps.event.replace(/^storage\./, '').replace(/_/g, '-')}`, connectionTimeoutMillis: 5_000 })
    client.on('error', () => undefined)
    await client.connect()
    this.client = client
    try {
      const locked = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${this.deps.lockId}) AS ok`)).rows[0]?.ok
      // Another instance is rewriting, perhaps from before this instance's mark: look again.
      if (!locked) {
        this.wanted = true
        return
      }
      const started = performance.now()
      // Also bounds the wait for a `rewrites_due` row a marking transaction still holds.
      await client.query(`SET lock_timeout = ${VACUUM_LOCK_WAIT_MS}`)
      const due = await client.query<{ name: string; requests: string }>('SELECT table_name AS name, requests::text AS requests FROM rewrites_due WHERE purpose = $1', [this.use])
      if (due.rows.length === 0) return
      const done: { name: string; requests: string }[] = []
      let deferred = 0
      for (const row of due.rows) {
        if (this.stopped) return
        try {
          await client.query(`VACUUM (FULL) ${row.name}`)
          done.push(row)
        } catch (error) {
          if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error
          deferred += 1
        }
      }
      if (done.length > 0) {
        // The old files' pages also sit in WAL segments: a checkpoint after a switch lets them go.
        for (const step of ['SELECT pg_switch_wal()', 'CHECKPOINT']) {
          // Needs a superuser or pg_checkpoint; a managed database runs its own checkpoints.
          await client.query(step).catch(() => undefined)
        }
      }
      // Cleared only now, so an empty `rewrites_due` means the files and WAL are done. A mark
      // that came in meanwhile changed the count and stays.
      for (const row of done) {
        const cleared = await client.query('DELETE FROM rewrites_due WHERE purpose = $1 AND table_name = $2 AND requests = $3', [this.use, row.name, row.requests]).catch(() => null)
        if (cleared?.rowCount !== 1) this.wanted = true
      }
      if (deferred > 0) this.wanted = true
      this.deps.log.info(this.deps.event, { rewritten: done.length, deferred, ms: Math.round(performance.now() - started) })
    } finally {
      this.client = null
      // Ending the session releases the advisory lock.
      await client.end().catch(() => undefined)
    }
  }
}
