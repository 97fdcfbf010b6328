// @ts-check
// The PostgreSQL connection of one Parity instance, on its own thread. PostgresDb blocks on
// `signal` until this thread has run a query and posted the answer, so the stores stay
// synchronous (one transaction per intent, as with SQLite). Plain JS: it must load without a
// TypeScript loader in every runtime (tsx, vitest, node).
import { workerData } from 'node:worker_threads'
import pg from 'pg'

/** @typedef {{ pid: number, started: string }} Backend */
/** @type {{ url: string, port: import('node:worker_threads').MessagePort, signal: Int32Array, stale: Backend | null }} */
const { url, port, signal, stale } = workerData

// Whole numbers come back as numbers, as from SQLite (COUNT and BIGINT columns are int8).
pg.types.setTypeParser(20, (value) => Number(value))
pg.types.setTypeParser(1700, (value) => Number(value))

/** @type {pg.Client | null} */
let client = null
let broken = false
let session = 0
/** This connection's backend, once known: the next connection ends it if it lingers. */
/** @type {Backend | null} */
let backend = null
/** Backends of connections given up on, by this worker or the one it replaced. */
/** @type {Backend[]} */
const abandoned = stale ? [stale] : []
/** Set when a new connection's backend is to be reported with the next reply. */
let announce = false

async function connected() {
  if (client && !broken) return client
  if (client) await client.end().catch(() => {})
  // Bounded waits: a database that hangs must fail a request, not freeze the instance. The
  // statement timeout is PostgreSQL's own (it cancels the statement and keeps the session, and
  // with it the session's advisory locks); a client-side timeout would abandon a running query.
  const next = new pg.Client({ connectionString: url, application_name: 'parity', connectionTimeoutMillis: 5_000, statement_timeout: 20_000 })
  next.on('error', () => {
    broken = true
  })
  await next.connect()
  client = next
  broken = false
  session += 1
  if (backend) abandoned.push(backend)
  backend = await identify(next)
  announce = true
  await endAbandoned(next)
  return next
}

/** @param {pg.Client} db @returns {Promise<Backend | null>} */
async function identify(db) {
  const result = await db.query('SELECT pid, backend_start::text AS started FROM pg_stat_activity WHERE pid = pg_backend_pid()').catch(() => null)
  const row = result?.rows[0]
  return row ? { pid: Number(row.pid), started: String(row.started) } : null
}

/**
 * A connection given up on may still be alive at the server (a network partition, or a socket
 * PostgreSQL has not seen close), holding its session's workshop locks while we no longer own
 * them: end it. Matched on start time too, so a reused pid is never another session's.
 * @param {pg.Client} db
 */
async function endAbandoned(db) {
  while (abandoned.length > 0) {
    const old = /** @type {Backend} */ (abandoned.shift())
    await db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND backend_start::text = $2', [old.pid, old.started]).catch(() => {})
  }
}

/** @param {unknown} error */
function describe(error) {
  const e = /** @type {{ message?: string, code?: string }} */ (error)
  // Errors without a SQLSTATE (refused, reset, timed out) mean the database is out of reach.
  const code = typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : 'PG_UNAVAILABLE'
  return { message: String(e?.message ?? error), code }
}

port.on('message', async (/** @type {{ seq: number, text: string, values?: unknown[], name?: string, mayReconnect: boolean, end?: boolean }} */ request) => {
  /** @type {Record<string, unknown>} */
  let reply = {}
  try {
    if (request.end) {
      // Ends the session properly, so its advisory locks are free before the caller returns.
      await client?.end().catch(() => {})
      client = null
      reply = { rows: [], changes: 0, session }
      return
    }
    if (broken && !request.mayReconnect) throw Object.assign(new Error('the database connection was lost in a transaction'), { code: 'PG_UNAVAILABLE' })
    const db = await connected()
    // Structured clone turned Buffers into plain Uint8Arrays on the way here.
    const values = request.values?.map((v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v))
    const result = values
      ? await db.query({ text: request.text, values, ...(request.name ? { name: request.name } : {}) })
      : await db.query(request.text)
    const last = Array.isArray(result) ? result[result.length - 1] : result
    reply = { rows: last?.rows ?? [], changes: last?.rowCount ?? 0, command: last?.command, session, ...(announce ? { backend } : {}) }
    announce = false
  } catch (error) {
    if (describe(error).code === 'PG_UNAVAILABLE') broken = true
    reply = { error: describe(error), session }
  } finally {
    port.postMessage({ ...reply, seq: request.seq })
    Atomics.store(signal, 0, 1)
    Atomics.notify(signal, 0)
  }
})
