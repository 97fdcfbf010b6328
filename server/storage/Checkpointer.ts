import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * WAL checkpoints off the event loop. A checkpoint copies WAL frames into the main file and
 * fsyncs both, which on a busy disk held the event loop for 50–170 ms during a purge (issue 18).
 * Here a worker thread with its own connection runs `wal_checkpoint(PASSIVE)`: it never takes the
 * writer lock or waits for anyone, so the main thread's writes carry on while it copies and
 * syncs. Afterwards the WAL is fully backfilled, so the next write restarts it from the start.
 *
 * The server's own connection checkpoints only as a safety net (at 10,000 pages, see
 * openStorage.ts): SQLite ran one inside whichever commit took the WAL past 1,000 pages, on the
 * event loop, with an fsync of the WAL and one of the main file. Storing every board edit, S2
 * crossed that line every few seconds. The worker checkpoints every second instead (`runEvery`).
 *
 * The WAL starts again from its beginning only when a write begins with every frame copied. Under
 * steady writes a passive checkpoint never got there (frames written while it copied left it
 * short), so in S2 the WAL grew to the safety net, where SQLite copies 40 MB inside a commit on the
 * event loop. So the batch writer is held while a checkpoint runs (`holdWritesWith`), for at most
 * `MAX_HOLD_MS`: board edits are already in memory and fanned out, only their batch waits.
 *
 * The worker is plain JavaScript (eval): it runs the same way under node, tsx and vitest.
 */
const WORKER = `
  const { parentPort, workerData } = require('node:worker_threads')
  const Database = require(workerData.driver)
  const db = new Database(workerData.file, { fileMustExist: true })
  parentPort.on('message', (message) => {
    if (message === 'close') {
      db.close()
      parentPort.close()
      return
    }
    try {
      parentPort.postMessage({ ok: true, result: db.pragma('wal_checkpoint(PASSIVE)')[0] })
    } catch (error) {
      parentPort.postMessage({ ok: false, message: String(error && error.message) })
    }
  })
`

export interface CheckpointResult {
  /** 1 if it could not run at all (another checkpoint under way). */
  busy: number
  /** Frames in the WAL, and how many of them are now in the main file. */
  log: number
  checkpointed: number
}

/** A slow disk must not hold board edits out of storage for long. */
const MAX_HOLD_MS = 300

export class Checkpointer {
  private readonly worker: Worker | null
  private holdWrites: () => () => void = () => () => {}
  /** One request at a time: the worker answers in order. */
  private queue: Promise<unknown> = Promise.resolve()
  private pending = 0
  private closed = false
  private timer: NodeJS.Timeout | null = null

  /** `file` null: an in-memory database, nothing to checkpoint. */
  constructor(file: string | null) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    this.worker = file === null ? null : new Worker(WORKER, { eval: true, workerData: { file, driver } })
    // Never keeps the process alive on its own.
    this.worker?.unref()
  }

  /** `hold` pauses timed write batches until its release is called (UpdateWriter.hold). */
  holdWritesWith(hold: () => () => void): void {
    this.holdWrites = hold
  }

  /** Checkpoints every `ms`, skipping a turn while one is still under way. */
  runEvery(ms: number): void {
    if (!this.worker || this.timer) return
    this.timer = setInterval(() => {
      if (this.pending === 0) void this.checkpoint().catch(() => null)
    }, ms)
    this.timer.unref()
  }

  /** Copies what it can of the WAL into the main file, on the worker thread. */
  checkpoint(): Promise<CheckpointResult | null> {
    const worker = this.worker
    if (!worker || this.closed) return Promise.resolve(null)
    this.pending += 1
    const run = this.queue.then(
      () =>
        new Promise<CheckpointResult>((resolve, reject) => {
          const release = this.holdWrites()
          const letGo = setTimeout(release, MAX_HOLD_MS)
          const done = () => {
            clearTimeout(letGo)
            release()
          }
          const onError = (error: Error) => {
            done()
            reject(error)
          }
          worker.once('error', onError)
          worker.once('message', (message: { ok: true; result: CheckpointResult } | { ok: false; message: string }) => {
            worker.off('error', onError)
            done()
            if (message.ok) resolve(message.result)
            else reject(new Error(message.message))
          })
          worker.postMessage('checkpoint')
        }),
    )
    this.queue = run.catch(() => undefined).finally(() => (this.pending -= 1))
    return run
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (this.closed || !this.worker) return
    this.closed = true
    await this.queue
    const exited = new Promise((resolve) => this.worker!.once('exit', resolve))
    this.worker.postMessage('close')
    await exited
  }
}
