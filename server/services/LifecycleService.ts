import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { addDays, dayOf, type RetentionInfo } from '../../shared/retention.ts'
import { hashToken } from '../domain/tokens.ts'
import type { Logger } from '../logger.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { Db } from '../storage/database.ts'
import { checkpointAndTruncate } from '../storage/diskHygiene.ts'
import type { RetentionRow, RetentionStore } from '../storage/RetentionStore.ts'
import type { UpdateWriter } from '../storage/UpdateWriter.ts'
import type { WorkshopEraser } from '../storage/WorkshopEraser.ts'

export interface LifecycleDeps {
  db: Db
  eraser: WorkshopEraser
  retention: RetentionStore
  /** Absent in the operator CLI, which runs without rooms. */
  rooms?: RoomRegistry
  writer?: UpdateWriter
  /** What else keeps a workshop in memory (check-outs waiting for their group) forgets it. */
  onDeleted?: (workshopId: string) => void
  log: Logger
  defaultRetentionDays: number
  /** Longest one slice of a sweep may hold the event loop. */
  sliceMs: number
  today?: () => string
}

export type DeletedBy = 'facilitator' | 'operator' | 'retention'

/** The workshop id in logs: a hash, so a log line names no workshop anyone could look up. */
export const workshopHash = (workshopId: string): string => hashToken(`parity-deleted:${workshopId}`).slice(0, 16)

/**
 * Retention and deletion: how long a workshop is kept, deleting one (facilitator, operator) and
 * purging those past their day. Deletion reaches the disk: rows deleted with secure_delete on,
 * then the WAL checkpointed and truncated.
 */
export class LifecycleService {
  private purgeTimer: NodeJS.Timeout | null = null
  private purging: Promise<number> | null = null
  /** Last day each workshop's activity was recorded, so a busy room writes once a day. */
  private readonly touched = new Map<string, string>()

  constructor(private readonly deps: LifecycleDeps) {}

  private today(): string {
    return this.deps.today?.() ?? dayOf(new Date())
  }

  /** The one rule: deleted `retentionDays` after the last activity (or creation). */
  infoOf(row: RetentionRow): RetentionInfo {
    const retentionDays = row.retentionDays ?? this.deps.defaultRetentionDays
    return { retentionDays, deleteAfter: addDays(row.lastActiveDay ?? row.createdDay, retentionDays) }
  }

  retention(workshopId: string): Result<RetentionInfo> {
    const row = this.deps.retention.get(workshopId)
    return row ? ok(this.infoOf(row)) : fail(ErrorCode.notFound, 'There is no workshop at this address.')
  }

  setRetention(workshopId: string, days: number): Result<RetentionInfo> {
    if (!this.deps.retention.setDays(workshopId, days)) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    return this.retention(workshopId)
  }

  /** Someone used the workshop today. */
  recordActivity(workshopId: string): void {
    const today = this.today()
    if (this.touched.get(workshopId) === today) return
    this.touched.set(workshopId, today)
    this.deps.retention.touch(workshopId, today)
  }

  /** Deletes a workshop and everything in it, down to the bytes on disk. */
  async delete(workshopId: string, by: DeletedBy): Promise<Result<{ deleted: true }>> {
    if (!this.gate(workshopId, by)) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    await this.deps.eraser.sweep(workshopId, this.deps.sliceMs)
    checkpointAndTruncate(this.deps.db)
    return ok({ deleted: true })
  }

  /** Workshops whose deletion day has come, oldest activity first. */
  expired(): string[] {
    const today = this.today()
    return this.deps.retention
      .all()
      .filter((row) => this.infoOf(row).deleteAfter <= today)
      .map((row) => row.workshopId)
  }

  /**
   * Deletes every expired workshop and finishes any interrupted sweep, a slice at a time.
   * Returns how many workshops were deleted. Runs one at a time.
   */
  purge(): Promise<number> {
    this.purging ??= this.runPurge().finally(() => {
      this.purging = null
    })
    return this.purging
  }

  /** Purges now and then every `intervalMs`. */
  start(intervalMs: number): void {
    const run = () =>
      void this.purge().catch((error: unknown) => this.deps.log.error('retention.purge_failed', { error: error instanceof Error ? error.message : String(error) }))
    this.purgeTimer = setInterval(run, intervalMs)
    this.purgeTimer.unref()
    setImmediate(run)
  }

  stop(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer)
    this.purgeTimer = null
  }

  private async runPurge(): Promise<number> {
    let deleted = 0
    for (const workshopId of this.expired()) {
      if (!this.gate(workshopId, 'retention')) continue
      deleted += 1
      await this.deps.eraser.sweep(workshopId, this.deps.sliceMs)
    }
    // Rows left by a sweep that was cut short, or by a delete from another process.
    const orphans = this.deps.eraser.orphans()
    for (const workshopId of orphans) await this.deps.eraser.sweep(workshopId, this.deps.sliceMs)
    if (deleted > 0 || orphans.length > 0) checkpointAndTruncate(this.deps.db)
    return deleted
  }

  /** Removes the workshop row (everything answers 404 from here), closes its sockets, logs it. */
  private gate(workshopId: string, by: DeletedBy): boolean {
    if (!this.deps.eraser.gate(workshopId)) return false
    this.touched.delete(workshopId)
    this.deps.writer?.discard(workshopId)
    this.deps.rooms?.discard(workshopId)
    this.deps.onDeleted?.(workshopId)
    // No title, no content, no id anyone could look up: only that a deletion happened.
    this.deps.log.info('workshop.deleted', { workshop: workshopHash(workshopId), by })
    return true
  }
}
