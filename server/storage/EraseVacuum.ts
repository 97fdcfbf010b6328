import pg from 'pg'
import type { Logger } from '../logger.ts'
import type { Db, Statement } from './sql.ts'

/** Beside MIGRATION_LOCK and INSTANCE_LOCK (database.ts): one instance rewrites at a time. */
export const ERASE_VACUUM_LOCK = 7_276_003
/**
 * How long a rewrite may wait for its table lock. While it waits, every other session's writes
 * to that table queue behind it (and each instance's event loop with them, PostgresDb blocks),
 * so it gives up soon and tries again at the next slot.
 */
export const ERASE_LOCK_WAIT_MS = 500
const LOCK_NOT_AVAILABLE = '55P03'

export interface EraseVacuumDeps {
  /** The instance's own connection: only to read each table's file number after a deletion. */
  db: Db
  databaseUrl: string
  /** Tables a deletion touches (LifecycleService.ERASED_TABLES). */
  tables: readonly string[]
  intervalMs: number
  log: Logger
  now?: () => number
}

/**
 * PostgreSQL keeps a deleted row's bytes in its page until the table is rewritten (VACUUM FULL).
 * That rewrite locks the table (for doc_updates: every board of every workshop) for as long as
 * the copy takes, and PostgresDb blocks the event loop of every instance that writes to it
 * meanwhile. Run inline at each deletion, anyone looping create+delete kept the cluster stalled.
 *
 * So a deletion removes the rows at once and only asks for the rewrite here. Requests are
 * coalesced and run at the next multiple of `intervalMs` on the clock, the same slot on every
 * instance: one VACUUM per table per slot however many deletions came before it, on a separate
 * asynchronous connection (never on the event loop). A session advisory lock lets one instance
 * run at a time; each table's file number, read after a deletion, tells the others whether a
 * rewrite has happened since, so they skip what it covered. A table whose lock is not granted
 * within ERASE_LOCK_WAIT_MS is left for the next slot.
 */
export class EraseVacuum {
  /** Table → its file number read after the latest deletion that touched it. */
  private readonly pending = new Map<string, string>()
  private readonly filenodes: Statement
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private client: pg.Client | null = null
  private stopped = false

  constructor(private readonly deps: EraseVacuumDeps) {
    // Table names are constants of the schema, never input. A catalog read takes no table lock.
    const list = deps.tables.map((table) => `to_regclass('${table}')`).join(', ')
    this.filenodes = deps.db.prepare(`SELECT relname AS name, pg_relation_filenode(oid)::text AS filenode FROM pg_class WHERE oid IN (${list})`)
  }

  /**
   * At start: what a deletion before a restart or crash left pending was kept in memory only, so
   * one rewrite is asked for at the next slot (one instance does it; the others then see new file
   * numbers and skip). Without it a deletion just before a deploy could stay in the files until
   * some later deletion (diff review).
   */
  startUp(): void {
    this.erased()
  }

  /** A deletion's rows are gone (committed): its freed space is to be rewritten. */
  erased(): void {
    if (this.stopped) return
    for (const { name, filenode } of this.filenodes.all() as { name: string; filenode: string }[]) this.pending.set(name, filenode)
    this.schedule()
  }

  /** Tables still waiting for a rewrite (tests). */
  get waiting(): number {
    return this.pending.size
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    // A rewrite under way runs to its end in PostgreSQL; what is still pending here is asked for
    // again by the next start (see `startUp`).
    await this.client?.end().catch(() => undefined)
    await this.running
  }

  private schedule(): void {
    if (this.timer || this.running || this.stopped || this.pending.size === 0) return
    const now = this.deps.now?.() ?? Date.now()
    const wait = this.deps.intervalMs - (now % this.deps.intervalMs)
    this.timer = setTimeout(() => {
      this.timer = null
      this.running = this.run()
        .catch((error: unknown) => this.deps.log.warn('storage.erase_vacuum_failed', { error: error instanceof Error ? error.message : String(error) }))
        .finally(() => {
          this.running = null
          this.schedule()
        })
    }, wait)
    this.timer.unref()
  }

  private async run(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, application_name: 'parity-erase-vacuum', connectionTimeoutMillis: 5_000 })
    client.on('error', () => undefined)
    await client.connect()
    this.client = client
    try {
      const locked = (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${ERASE_VACUUM_LOCK}) AS ok`)).rows[0]?.ok
      // Another instance is rewriting: what it covers shows in the file numbers next slot.
      if (!locked) return
      const started = performance.now()
      if (this.pending.size === 0) return
      const current = await client.query<{ name: string; filenode: string }>(
        `SELECT relname AS name, pg_relation_filenode(oid)::text AS filenode FROM pg_class WHERE oid IN (${[...this.pending.keys()].map((table) => `to_regclass('${table}')`).join(', ')})`,
      )
      const now = new Map(current.rows.map((row) => [row.name, row.filenode]))
      for (const [table, filenode] of [...this.pending]) if (now.get(table) !== filenode) this.pending.delete(table)
      await client.query(`SET lock_timeout = ${ERASE_LOCK_WAIT_MS}`)
      let rewritten = 0
      let deferred = 0
      for (const [table, filenode] of [...this.pending]) {
        if (this.stopped) return
        try {
          await client.query(`VACUUM (FULL) ${table}`)
          rewritten += 1
          // A deletion that came in meanwhile read the new file number: it stays pending.
          if (this.pending.get(table) === filenode) this.pending.delete(table)
        } catch (error) {
          if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error
          deferred += 1
        }
      }
      if (rewritten > 0) {
        // The old files' pages also sit in WAL segments: a checkpoint after a switch lets them go.
        for (const step of ['SELECT pg_switch_wal()', 'CHECKPOINT']) {
          // Needs a superuser or pg_checkpoint; a managed database runs its own checkpoints.
          await client.query(step).catch(() => undefined)
        }
      }
      this.deps.log.info('storage.erase_vacuum', { rewritten, deferred, ms: Math.round(performance.now() - started) })
      await client.query(`SELECT pg_advisory_unlock(${ERASE_VACUUM_LOCK})`)
    } finally {
      this.client = null
      await client.end().catch(() => undefined)
    }
  }
}
