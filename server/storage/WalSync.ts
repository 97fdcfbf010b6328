import { open, type FileHandle } from 'node:fs/promises'

interface Waiter {
  resolve: () => void
  reject: (error: unknown) => void
}

/**
 * Makes committed SQLite transactions power-safe without blocking the event loop.
 *
 * The database runs WAL with `synchronous = NORMAL` (see database.ts): a commit writes its pages
 * to the WAL file but does not fsync, so it survives a crash of the process (the pages are in
 * the kernel) but not yet a power cut. With `synchronous = FULL` every commit fsynced on the
 * main thread, so one slow disk flush stalled every room (up to 1.8 s per intent on a busy
 * machine). Here the fsync runs on libuv's thread pool, and everyone who asks while one is
 * under way shares the next one: group commit.
 *
 * `sync()` resolves after an fdatasync of the WAL that *started* after the call, so everything
 * committed before the call is on disk. SQLite keeps the WAL file (same inode) while the
 * database is open, and syncs it itself before each checkpoint moves pages into the main file.
 */
export class WalSync {
  private handle: Promise<FileHandle | null> | null = null
  private waiting: Waiter[] = []
  private running = false
  private closed = false
  /** fdatasyncs done so far (each may serve many callers). */
  syncs = 0

  /** `walPath` null: nothing to sync (an in-memory database). */
  constructor(private readonly walPath: string | null) {}

  sync(): Promise<void> {
    if (this.walPath === null) return Promise.resolve()
    if (this.closed) return Promise.reject(new Error('storage is closed'))
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (!this.running) void this.runBatches()
    })
  }

  /** Waits for syncs under way, then closes the file. */
  async close(): Promise<void> {
    this.closed = true
    while (this.running) await new Promise((resolve) => setImmediate(resolve))
    const handle = await this.handle
    this.handle = null
    await handle?.close()
  }

  private async runBatches(): Promise<void> {
    this.running = true
    while (this.waiting.length > 0) {
      const batch = this.waiting
      this.waiting = []
      try {
        await this.fdatasync()
        for (const waiter of batch) waiter.resolve()
      } catch (error) {
        // The kernel may have dropped the pages it failed to write: reopen next time.
        this.handle = null
        for (const waiter of batch) waiter.reject(error)
      }
    }
    this.running = false
  }

  private async fdatasync(): Promise<void> {
    this.handle ??= open(this.walPath!, 'r').catch((error: NodeJS.ErrnoException) => {
      // No WAL file: everything committed has been checkpointed into the (synced) main file.
      if (error.code === 'ENOENT') return null
      throw error
    })
    const handle = await this.handle
    if (handle === null) {
      this.handle = null
      return
    }
    await handle.datasync()
    this.syncs += 1
  }
}
