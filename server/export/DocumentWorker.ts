import { Worker } from 'node:worker_threads'
import type { DocumentJob } from './documentJob.ts'

/** Documents waiting for the thread, past which new ones are refused (503) rather than queued. */
const MOST_WAITING = 8
/** A document taking longer than this is given up on and the thread replaced. */
const JOB_TIMEOUT_MS = 60_000

/** The document thread is busy with others' documents, or gave up on this one: try again shortly (503). */
export class DocumentsBusy extends Error {}

interface Pending {
  id: number
  /** Whose document (a workshop or a programme): one at a time each. */
  owner: string
  job: DocumentJob
  resolve: (bytes: Uint8Array) => void
  reject: (error: Error) => void
}

/**
 * Lays out PDF and Word documents on a thread of its own, one at a time. On the event loop a
 * large workshop's PDF held every room on the server for five seconds (December robustness
 * review); here it only waits its turn. The queue is bounded, each document has a time limit, and
 * a thread that crashed or ran over is replaced for the next one.
 */
/** Documents one workshop or programme may have made or waiting at once. */
const MOST_PER_OWNER = 2

export class DocumentWorker {
  private worker: Worker | null = null
  private readonly queue: Pending[] = []
  private running: { pending: Pending; timer: NodeJS.Timeout } | null = null
  private nextId = 0
  private closed = false

  constructor(private readonly timeoutMs = JOB_TIMEOUT_MS) {}

  /**
   * At most `MOST_PER_OWNER` documents per `owner` at a time (a PDF and a Word file asked for
   * together): a large workshop's PDFs (25 s each) asked for in a row filled the queue, and every
   * other workshop's documents were refused for minutes (December robustness review).
   */
  render(job: DocumentJob, owner = ''): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new DocumentsBusy('The server is stopping.'))
    if (owner && [this.running?.pending, ...this.queue].filter((pending) => pending?.owner === owner).length >= MOST_PER_OWNER)
      return Promise.reject(new DocumentsBusy('A document for this workshop is being made now. Wait for it, then try again.'))
    if (this.queue.length >= MOST_WAITING) return Promise.reject(new DocumentsBusy('Many documents are being made right now. Wait a minute, then try again.'))
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.nextId, owner, job, resolve, reject })
      this.next()
    })
  }

  close(): void {
    this.closed = true
    for (const pending of this.queue.splice(0)) pending.reject(new DocumentsBusy('The server is stopping.'))
    this.fail(new DocumentsBusy('The server is stopping.'))
  }

  private next(): void {
    if (this.running || this.queue.length === 0) return
    const pending = this.queue.shift()!
    const worker = this.thread()
    const timer = setTimeout(() => this.fail(new DocumentsBusy('The document took too long to make. Please try again in a minute.')), this.timeoutMs)
    this.running = { pending, timer }
    worker.ref()
    worker.postMessage({ id: pending.id, job: pending.job })
  }

  private thread(): Worker {
    if (this.worker) return this.worker
    // Its own heap limit: a document that ran away ends its thread, not the server.
    const worker = new Worker(new URL('./documentWorker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 512 } })
    worker.on('message', (message: { id: number; bytes?: Uint8Array; error?: string }) => {
      const running = this.running
      if (!running || running.pending.id !== message.id) return
      clearTimeout(running.timer)
      this.running = null
      // Idle, the thread must not keep the process alive.
      worker.unref()
      if (message.bytes) running.pending.resolve(message.bytes)
      else running.pending.reject(new Error(message.error ?? 'The document could not be made.'))
      this.next()
    })
    // A thread that crashed or ran out of memory: the document is worth trying again (503).
    worker.on('error', () => this.fail(new DocumentsBusy('The document could not be made. Please try again in a minute.')))
    worker.on('exit', () => {
      if (this.worker === worker) this.fail(new DocumentsBusy('The document could not be made. Please try again in a minute.'))
    })
    this.worker = worker
    return worker
  }

  /** Rejects the running document and drops the thread; the next document gets a new one. */
  private fail(error: Error): void {
    const worker = this.worker
    this.worker = null
    if (worker) void worker.terminate()
    const running = this.running
    this.running = null
    if (running) {
      clearTimeout(running.timer)
      running.pending.reject(error)
    }
    if (!this.closed) this.next()
  }
}
