import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Config } from '../config.ts'
import { INSTANCE_LOCK, openDatabase, openPostgres, walFileOf } from './database.ts'
import type { PostgresDb } from './postgres/PostgresDb.ts'
import type { Db } from './sql.ts'
import { Checkpointer } from './Checkpointer.ts'
import { WalSync } from './WalSync.ts'

export interface Storage {
  db: Db
  kind: Db['dialect']
  /** Resolves once everything committed so far survives a power cut. */
  durable: () => Promise<void>
  /** SQLite: WAL checkpoints on a worker thread, so deleting never holds the event loop. */
  checkpointer?: Checkpointer
  /** SQLite: whether another connection committed since the last call (see SqliteDb.changeWatcher). */
  changedElsewhere?: () => boolean
  close(): Promise<void>
}

const CHECKPOINT_EVERY_MS = 1000
/** 40 MB of WAL (SQLite's default is 1,000 pages, 4 MB). */
const SAFETY_NET_PAGES = 10_000

/** Thrown when starting would let two instances write one database without a shared bus. */
export class SharedDatabaseError extends Error {}

/**
 * SQLite under `dataDir` (the default), or PostgreSQL when `databaseUrl` is set. On PostgreSQL
 * a commit is durable when it returns (`synchronous_commit` on), so `durable` resolves at once.
 */
export function openStorage(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'redisUrl'> & Partial<Pick<Config, 'databaseAnswerMs'>>, options: { operator?: boolean } = {}): Storage {
  if (config.databaseUrl) {
    const db = openPostgres(config.databaseUrl, config.databaseAnswerMs)
    try {
      // Operator tools (npm run admin) share the database with running servers on purpose.
      if (!options.operator) claimInstance(db, config.redisUrl)
    } catch (error) {
      db.close()
      throw error
    }
    return { db, kind: 'postgres', durable: () => Promise.resolve(), close: async () => db.close() }
  }
  const file = join(config.dataDir, 'parity.sqlite')
  const db = openDatabase(file)
  const walSync = new WalSync(walFileOf(file))
  // Operator tools run alone in their own process: their checkpoints may stay inline.
  const checkpointer = options.operator ? undefined : new Checkpointer(file)
  if (checkpointer) {
    // Not inside a commit on the event loop: on the worker, every second (see Checkpointer.ts).
    // SQLite's own checkpoint stays as a safety net, far above what a second of writes adds, in
    // case the worker ever stops: the WAL then still cannot grow without bound.
    db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`)
    checkpointer.runEvery(CHECKPOINT_EVERY_MS)
  }
  return {
    db,
    kind: 'sqlite',
    durable: () => walSync.sync(),
    checkpointer,
    changedElsewhere: db.changeWatcher(),
    close: async () => {
      await Promise.allSettled([walSync.close(), checkpointer?.close()])
      db.close()
    },
  }
}

/**
 * Instances sharing a database must share a Redis, or each would hold its own copy of a
 * workshop's live state and overwrite the other's. A lone instance holds the instance lock
 * exclusively; clustered ones hold it shared and must name the same bus. Session locks end
 * with the connection, so a crashed instance never blocks the next start.
 *
 * The bus key (`cluster-bus`, read by startServer) is 32 random bytes, made once. It used to be
 * the hash of the Redis address, and so was known to anyone who knew the address: they could read
 * and forge what the instances say to each other; the first instance to start alone replaces such
 * a key. (Not a new key at every lone start: after PostgreSQL restarts, running instances have
 * lost their shared lock, and a newcomer that thought itself alone split the cluster in two.)
 * Which Redis the cluster uses is recorded apart (`cluster-redis`), as a check, not a secret.
 */
function claimInstance(db: PostgresDb, redisUrl: string | null): void {
  const alone = (db.prepare(`SELECT pg_try_advisory_lock(${INSTANCE_LOCK}) AS ok`).get() as { ok: boolean }).ok
  if (!redisUrl) {
    if (!alone)
      throw new SharedDatabaseError(
        'Another Parity instance is using this database. Instances that share DATABASE_URL must all set the same REDIS_URL; refusing to start so nothing is overwritten.',
      )
    return
  }
  const redis = Buffer.from(createHash('sha256').update(new URL(redisUrl).host).digest('hex'))
  const upsert = db.prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value')
  if (alone) {
    upsert.run('cluster-redis', redis)
    const key = db.prepare("SELECT value FROM server_secrets WHERE name = 'cluster-bus'").get() as { value: Buffer } | undefined
    if (!key || key.value.equals(redis)) upsert.run('cluster-bus', randomBytes(32))
    db.exec(`SELECT pg_advisory_lock_shared(${INSTANCE_LOCK}); SELECT pg_advisory_unlock(${INSTANCE_LOCK})`)
    return
  }
  const stored = db.prepare("SELECT value FROM server_secrets WHERE name = 'cluster-redis'").get() as { value: Buffer } | undefined
  if (!stored?.value.equals(redis))
    throw new SharedDatabaseError(
      'Other Parity instances use this database with a different REDIS_URL (or none), or run an older version. Every instance that shares DATABASE_URL must set the same REDIS_URL and run the same version; refusing to start.',
    )
  const shared = (db.prepare(`SELECT pg_try_advisory_lock_shared(${INSTANCE_LOCK}) AS ok`).get() as { ok: boolean }).ok
  if (!shared) throw new SharedDatabaseError('Another Parity instance uses this database without REDIS_URL; refusing to start so nothing is overwritten.')
}
