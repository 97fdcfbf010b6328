import type { Db } from './database.ts'
import type { DocStore } from './DocStore.ts'

interface Pending {
  workshopId: string
  docName: string
  update: Uint8Array
}

/**
 * Group commit for canvas edits: updates queue in memory and are written together, one
 * transaction every `flushMs`. A crash loses at most that window; y-websocket clients re-send
 * what the server lacks when they reconnect, so nothing a client still holds is lost.
 */
export class UpdateWriter {
  private queue: Pending[] = []
  private timer: NodeJS.Timeout | null = null
  private failingSince: number | null = null
  private stopped = false
  private pendingBytes = 0
  private holds = 0
  /** Unsaved edits held in memory while storage refuses them; past this, new edits are refused. */
  maxPendingBytes = 64 * 1024 * 1024

  constructor(
    private readonly db: Db,
    private readonly docs: DocStore,
    private readonly flushMs: number,
    private readonly onError: (error: unknown) => void,
    /** Called after each written batch (WalSync makes it power-safe off the event loop). */
    private readonly onWritten: () => void = () => {},
  ) {}

  enqueue(workshopId: string, docName: string, update: Uint8Array): void {
    this.queue.push({ workshopId, docName, update })
    this.pendingBytes += update.byteLength
    if (!this.stopped) this.timer ??= setTimeout(() => this.timed(), this.flushMs)
  }

  /**
   * Timed batches wait until the returned release is called; explicit flushes (compaction,
   * shutdown) still write. The checkpointer holds them while it copies the WAL: a checkpoint
   * that sees no new frame completes, and the next write starts the WAL again from its beginning
   * instead of letting it grow to SQLite's own checkpoint on the event loop (see Checkpointer.ts).
   */
  hold(): () => void {
    this.holds += 1
    let released = false
    return () => {
      if (released) return
      released = true
      this.holds -= 1
      if (this.holds > 0 || this.queue.length === 0 || this.stopped) return
      // While storage refuses writes, keep the slower retry instead of trying at every checkpoint.
      if (this.failing) this.timer ??= setTimeout(() => this.timed(), this.flushMs * 10)
      else this.flush()
    }
  }

  private timed(): void {
    this.timer = null
    // The release writes the batch.
    if (this.holds === 0) this.flush()
  }

  /** Drops queued edits of a deleted workshop, so no flush writes them back. */
  discard(workshopId: string): void {
    this.queue = this.queue.filter((item) => item.workshopId !== workshopId)
    this.pendingBytes = this.queue.reduce((sum, item) => sum + item.update.byteLength, 0)
  }

  /** Stops the retry timer for good; call after the last flush, before closing the database. */
  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  get pending(): number {
    return this.queue.length
  }

  /**
   * True from a refused write until the next successful one: edits are held in memory and not
   * on disk. `/healthz` reports it, so the "not saved" state is visible outside the logs too.
   */
  get failing(): boolean {
    return this.failingSince !== null
  }

  /**
   * Storage is refusing writes and the edits held meanwhile reached their bound: the rooms refuse
   * new edits (clients keep them and send them again on reconnect) until a flush succeeds.
   */
  get full(): boolean {
    return this.failing && this.pendingBytes > this.maxPendingBytes
  }

  /** Writes everything queued now. Returns false (and keeps the queue) if the disk refused. */
  flush(): boolean {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.queue.length === 0) return true
    const batch = this.queue
    try {
      this.db.transaction(() => {
        for (const item of batch) this.docs.append(item.workshopId, item.docName, item.update)
      })()
    } catch (error) {
      this.failingSince ??= Date.now()
      this.onError(error)
      // Keep the batch: the next flush retries it before anything newer.
      if (!this.stopped) this.timer = setTimeout(() => this.timed(), this.flushMs * 10)
      return false
    }
    this.queue = []
    this.pendingBytes = 0
    this.failingSince = null
    this.onWritten()
    return true
  }
}
