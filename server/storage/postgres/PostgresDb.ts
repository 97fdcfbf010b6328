import { createHash } from 'node:crypto'
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import type { Db, RunResult, SqlParams, Statement } from '../sql.ts'
import { translateStatement } from './translate.ts'

interface Reply {
  /** The request this answers: a reply to an abandoned request is never taken for a later one's. */
  seq: number
  rows?: Record<string, unknown>[]
  changes?: number
  /** PostgreSQL's command tag: a COMMIT answers ROLLBACK when the transaction had failed. */
  command?: string
  session: number
  /** Which server process this connection is: sent once, with the first reply after connecting. */
  backend?: Backend | null
  error?: { message: string; code: string }
}

/** A PostgreSQL server process, told apart from a later one with a reused pid by its start time. */
interface Backend {
  pid: number
  started: string
}

/** An error from PostgreSQL, or `PG_UNAVAILABLE` when it could not be reached. */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
    this.name = 'PostgresError'
  }
}

/** How long one statement may take before the connection is dropped and the call fails. */
const STATEMENT_WAIT_MS = 30_000
/** Room in `session` for one worker's reconnects. */
const SESSIONS_PER_WORKER = 2 ** 20

/**
 * PostgreSQL behind the same synchronous `Db` shape as better-sqlite3. The connection lives on
 * a worker thread (`pgWorker.mjs`); each statement posts its query and blocks this thread on a
 * shared flag until the answer is back (`Atomics.wait`, then `receiveMessageOnPort`).
 *
 * Why block: every service runs its domain write and the document change in one transaction
 * that nothing else may interleave with, and the in-memory per-person state (issue 12) relies on
 * that. Blocking keeps that exact model on both engines; the cost is a local round trip per
 * statement on the event loop (measured in docs/performance.md).
 */
export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const
  private worker: Worker
  private port: MessagePort
  private signal!: Int32Array
  private depth = 0
  private closed = false
  private seq = 0
  /**
   * Changes whenever a new connection is opened, by the worker or by replacing the worker:
   * session-level locks were lost. Workers count their connections from 1, so each worker's
   * count is offset by its own number: a replaced worker's first connection looked like the old
   * one's, and an instance kept workshops whose locks had gone (two owners, double votes).
   */
  session = 0
  private workers = 0
  /** The connection's server process: a replacement worker ends it if it lingers. */
  private backend: Backend | null = null

  constructor(
    private readonly url: string,
    /** How long a statement may go unanswered before the connection is replaced. */
    private readonly answerMs = STATEMENT_WAIT_MS,
  ) {
    ;({ worker: this.worker, port: this.port } = this.spawn())
    // Fail at start-up, with PostgreSQL's own message, if the database cannot be reached.
    this.query('SELECT 1', undefined, true)
  }

  prepare(sql: string): Statement {
    const { text, names } = translateStatement(sql)
    // Named statements are parsed and planned once per connection.
    const name = 'p' + createHash('sha1').update(text).digest('hex').slice(0, 20)
    const values = (params: SqlParams): unknown[] => {
      if (names) {
        const object = (params[0] ?? {}) as Record<string, unknown>
        return names.map((key) => toPg(object[key]))
      }
      return params.map(toPg)
    }
    return {
      run: (...params: SqlParams): RunResult => ({ changes: this.query(text, values(params), this.depth === 0, name).changes ?? 0 }),
      get: (...params: SqlParams): unknown => this.query(text, values(params), this.depth === 0, name).rows?.[0],
      all: (...params: SqlParams): unknown[] => this.query(text, values(params), this.depth === 0, name).rows ?? [],
    }
  }

  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    return (...args: A): T => {
      const savepoint = this.depth > 0 ? `sp${this.depth}` : null
      this.query(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN', undefined, this.depth === 0)
      this.depth += 1
      let result: T
      try {
        result = fn(...args)
      } catch (error) {
        this.depth -= 1
        try {
          this.query(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK', undefined, false)
        } catch {
          // The connection is gone; PostgreSQL rolled the transaction back itself.
        }
        throw error
      }
      this.depth -= 1
      const end = this.query(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT', undefined, false)
      // SQLite keeps a transaction going after a failed statement; PostgreSQL aborts it and its
      // COMMIT quietly rolls back. Never report as saved what was not.
      if (end.command === 'ROLLBACK') throw new PostgresError('the transaction was rolled back', '40000')
      return result
    }
  }

  exec(sql: string): void {
    this.query(sql, undefined, this.depth === 0)
  }

  /** Ends the session (its locks are free when this returns), then stops the thread. */
  close(): void {
    if (this.closed) return
    try {
      this.query('', undefined, false, undefined, true)
    } catch {
      // Already gone: PostgreSQL ends the session when the socket closes.
    }
    this.closed = true
    this.port.close()
    void this.worker.terminate()
  }

  private spawn(): { worker: Worker; port: MessagePort } {
    const { port1, port2 } = new MessageChannel()
    // A new flag per worker: one being replaced can still raise its own, never this one's.
    this.signal = new Int32Array(new SharedArrayBuffer(4))
    // Seen at once, before the new worker answers anything: the old session's locks are going.
    // The value its first connection will report, so that first answer is not a second loss.
    this.workers += 1
    this.session = this.workers * SESSIONS_PER_WORKER + 1
    const worker = new Worker(new URL('./pgWorker.mjs', import.meta.url), {
      workerData: { url: this.url, port: port2, signal: this.signal, stale: this.backend },
      transferList: [port2],
    })
    // The worker never exits on its own; an exit means it crashed, and the next call will say so.
    worker.unref()
    return { worker, port: port1 }
  }

  private query(text: string, values: unknown[] | undefined, mayReconnect: boolean, name?: string, end = false): Reply {
    if (this.closed) throw new PostgresError('the database is closed', 'PG_UNAVAILABLE')
    const seq = ++this.seq
    Atomics.store(this.signal, 0, 0)
    this.port.postMessage({ seq, text, values, name, mayReconnect, end })
    const reply = this.awaitReply(seq)
    this.session = this.workers * SESSIONS_PER_WORKER + reply.session
    if (reply.backend !== undefined) this.backend = reply.backend
    if (reply.error) throw new PostgresError(reply.error.message, reply.error.code)
    if (reply.rows) for (const row of reply.rows) fromPg(row)
    return reply
  }

  /**
   * Blocks until the worker's answer to request `seq`. Answers to earlier requests still queued
   * are dropped: taking one for this request would put every later answer one statement behind.
   */
  private awaitReply(seq: number): Reply {
    const deadline = Date.now() + this.answerMs
    for (;;) {
      const reply = receiveMessageOnPort(this.port)?.message as Reply | undefined
      if (reply?.seq === seq) return reply
      if (reply) continue
      // The worker posts before it raises the flag: a flag left up without our answer was for an
      // earlier request. Lower it, look once more, then wait.
      if (Atomics.load(this.signal, 0) === 1) {
        Atomics.store(this.signal, 0, 0)
        continue
      }
      const left = deadline - Date.now()
      if (left <= 0 || Atomics.wait(this.signal, 0, 0, left) === 'timed-out') {
        // Nobody knows what state that connection is in: replace it (PostgreSQL rolls back).
        void this.worker.terminate()
        ;({ worker: this.worker, port: this.port } = this.spawn())
        throw new PostgresError('the database did not answer in time', 'PG_UNAVAILABLE')
      }
    }
  }
}

function toPg(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (typeof value === 'boolean') return value ? 1 : 0
  // PostgreSQL text cannot hold NUL. Nothing Parity stores has one (ids are generated, texts are
  // checked for control characters), so a probe carrying one must simply match nothing.
  if (typeof value === 'string' && value.includes('\0')) return value.replaceAll('\0', '\uFFFD')
  return value
}

/** Rows cross threads by structured clone, which turns Buffers into plain Uint8Arrays. */
function fromPg(row: Record<string, unknown>): void {
  for (const key of Object.keys(row)) {
    const value = row[key]
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  }
}
