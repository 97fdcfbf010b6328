import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { dayOf, retentionInfo, type RetentionInfo } from '../../shared/retention.ts'
import { hashToken } from '../domain/tokens.ts'
import type { Logger } from '../logger.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { Db } from '../storage/database.ts'
import type { Checkpointer } from '../storage/Checkpointer.ts'
import { checkpointAndTruncate, walStuck } from '../storage/diskHygiene.ts'
import { GATE_TABLES, SWEPT_TABLES } from '../storage/workshopTables.ts'
import { ProgrammeEraser } from '../storage/ProgrammeEraser.ts'
import type { ProgrammeRetentionRow, RetentionRow, RetentionStore } from '../storage/RetentionStore.ts'
import type { WorkshopEraser } from '../storage/WorkshopEraser.ts'
import type { DeferredVacuum } from '../storage/DeferredVacuum.ts'

/**
 * On PostgreSQL, every table a workshop or programme delete touches is rewritten (VACUUM FULL),
 * so no dead row keeps its text: by DeferredVacuum at its next slot in a server, inline in the CLI.
 */
export const ERASED_TABLES = [...new Set(['programmes', ...[...GATE_TABLES, ...SWEPT_TABLES].map(({ table }) => table)])]

export interface LifecycleDeps {
  db: Db
  eraser: WorkshopEraser
  retention: RetentionStore
  /** Absent in the operator CLI, which runs without rooms. */
  rooms?: RoomRegistry
  /** What else keeps a workshop in memory (check-outs waiting for their group) forgets it. */
  onDeleted?: (workshopId: string) => void
  log: Logger
  defaultRetentionDays: number
  /** Longest one slice of a sweep may hold the event loop. */
  sliceMs: number
  /** Checkpoints off the event loop between slices; without it (CLI) everything runs inline. */
  checkpointer?: Checkpointer
  /**
   * PostgreSQL in a server: rewrites the tables' freed space later, coalesced, off the request
   * path. Without it (SQLite, CLI) the rewrite or WAL truncate runs at the end of each delete.
   * The tables are marked due with the gate and again after the sweep, so a restart between a
   * delete and its rewrite still rewrites them.
   */
  eraseVacuum?: Pick<DeferredVacuum, 'markDue' | 'markAndRequest'>
  today?: () => string
}

export type DeletedBy = 'facilitator' | 'operator' | 'retention' | 'programme'
export type ProgrammeDeletedBy = 'programme lead' | 'operator' | 'retention'

/** The workshop id in logs: a hash, so a log line names no workshop anyone could look up. */
export const workshopHash = (workshopId: string): string => hashToken(`parity-deleted:${workshopId}`).slice(0, 16)
export const programmeHash = (programmeId: string): string => hashToken(`parity-deleted-programme:${programmeId}`).slice(0, 16)
const NO_PROGRAMME = 'There is no programme at this address.'

/**
 * Retention and deletion: how long a workshop or programme is kept, deleting one (facilitator,
 * programme lead, operator) and purging those past their day. Deletion reaches the disk: rows
 * deleted with secure_delete on, then the WAL checkpointed and truncated. Deleting a programme
 * deletes every workshop in it (docs/privacy.md says why).
 */
export class LifecycleService {
  private purgeTimer: NodeJS.Timeout | null = null
  private purging: Promise<number> | null = null
  /** Last day each workshop's activity was recorded, so a busy room writes once a day. */
  private readonly touched = new Map<string, string>()
  private readonly touchedProgrammes = new Map<string, string>()
  private readonly programmes: ProgrammeEraser

  constructor(private readonly deps: LifecycleDeps) {
    this.programmes = new ProgrammeEraser(deps.db, deps.eraser)
  }

  private today(): string {
    return this.deps.today?.() ?? dayOf(new Date())
  }

  /**
   * The one rule (`retentionInfo` in shared/retention.ts): deleted `retentionDays` after the last
   * activity (or creation); a workshop in a programme on its programme's day.
   * `programmeOf` lets a sweep over every workshop read the programmes once.
   */
  infoOf(row: RetentionRow | ProgrammeRetentionRow, programmeOf = (programmeId: string) => this.deps.retention.programme(programmeId)): RetentionInfo {
    const programme = 'workshopId' in row && row.programmeId !== null ? programmeOf(row.programmeId) : undefined
    return retentionInfo(row, this.deps.defaultRetentionDays, programme)
  }

  retention(workshopId: string): Result<RetentionInfo> {
    const row = this.deps.retention.get(workshopId)
    return row ? ok(this.infoOf(row)) : fail(ErrorCode.notFound, 'There is no workshop at this address.')
  }

  setRetention(workshopId: string, days: number): Result<RetentionInfo> {
    // In a programme its own days would not apply (see `infoOf`): saying "saved" would mislead.
    if (this.deps.retention.get(workshopId)?.programmeId)
      return fail(ErrorCode.conflict, 'This workshop is part of a programme, so it is kept as long as the programme. The programme lead chooses how long.')
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
    await this.sweep(workshopId)
    await this.truncateWal()
    return ok({ deleted: true })
  }

  programmeRetention(programmeId: string): Result<RetentionInfo> {
    const row = this.deps.retention.programme(programmeId)
    return row ? ok(this.infoOf(row)) : fail(ErrorCode.notFound, NO_PROGRAMME)
  }

  setProgrammeRetention(programmeId: string, days: number): Result<RetentionInfo> {
    if (!this.deps.retention.setProgrammeDays(programmeId, days)) return fail(ErrorCode.notFound, NO_PROGRAMME)
    return this.programmeRetention(programmeId)
  }

  /** The programme lead used the programme today (its workshops' activity counts as well). */
  recordProgrammeActivity(programmeId: string): void {
    const today = this.today()
    if (this.touchedProgrammes.get(programmeId) === today) return
    this.touchedProgrammes.set(programmeId, today)
    this.deps.retention.touchProgramme(programmeId, today)
  }

  /** Deletes a programme and every workshop in it, down to the bytes on disk. */
  async deleteProgramme(programmeId: string, by: ProgrammeDeletedBy): Promise<Result<{ deleted: true }>> {
    const workshopIds = this.gateProgramme(programmeId, by)
    if (!workshopIds) return fail(ErrorCode.notFound, NO_PROGRAMME)
    for (const workshopId of workshopIds) await this.sweep(workshopId)
    await this.truncateWal()
    return ok({ deleted: true })
  }

  /** Programmes whose deletion day has come. */
  expiredProgrammes(): string[] {
    const today = this.today()
    return this.deps.retention
      .programmes()
      .filter((row) => this.infoOf(row).deleteAfter <= today)
      .map((row) => row.programmeId)
  }

  /** Workshops whose deletion day has come (one in a programme goes with its programme). */
  expired(): string[] {
    const today = this.today()
    const programmes = new Map(this.deps.retention.programmes().map((row) => [row.programmeId, row]))
    return this.deps.retention
      .all()
      .filter((row) => this.infoOf(row, (programmeId) => programmes.get(programmeId)).deleteAfter <= today)
      .map((row) => row.workshopId)
  }

  /**
   * Deletes every expired programme (with its workshops) and workshop, and finishes any
   * interrupted sweep, a slice at a time. Returns how many workshops were deleted. Runs one at a time.
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
    let programmes = 0
    for (const programmeId of this.expiredProgrammes()) {
      const workshopIds = this.gateProgramme(programmeId, 'retention')
      if (!workshopIds) continue
      programmes += 1
      deleted += workshopIds.length
      for (const workshopId of workshopIds) await this.sweep(workshopId)
    }
    for (const workshopId of this.expired()) {
      if (!this.gate(workshopId, 'retention')) continue
      deleted += 1
      await this.sweep(workshopId)
    }
    // Rows left by a sweep that was cut short, or by a delete from another process.
    const orphans = this.deps.eraser.orphans()
    for (const workshopId of orphans) await this.sweep(workshopId)
    if (deleted + programmes + orphans.length > 0) await this.truncateWal()
    return deleted
  }

  private sweep(workshopId: string): Promise<void> {
    const { checkpointer } = this.deps
    // A failed checkpoint is not a failed delete: the truncate at the end still runs inline.
    return this.deps.eraser.sweep(workshopId, this.deps.sliceMs, checkpointer ? () => checkpointer.checkpoint().catch(() => null) : undefined)
  }

  /**
   * The deleted rows' old pages must leave the WAL too. The worker copies the WAL into the main
   * file first (the slow part: copying and fsync); the truncate on the main thread then has at
   * most the last few frames to copy.
   */
  private async truncateWal(): Promise<void> {
    await this.deps.checkpointer?.checkpoint().catch(() => null)
    // A whole-table rewrite inline stalled every instance for seconds per delete (see DeferredVacuum).
    if (this.deps.eraseVacuum) return this.deps.eraseVacuum.markAndRequest()
    checkpointAndTruncate(this.deps.db, ERASED_TABLES, walStuck(this.deps.log))
  }

  /** Removes the workshop row (everything answers 404 from here), closes its sockets, logs it. */
  private gate(workshopId: string, by: DeletedBy): boolean {
    if (!this.marked(() => this.deps.eraser.gate(workshopId))) return false
    this.letGo(workshopId, by)
    return true
  }

  /** Removes the programme row and its workshops' rows in one transaction; null if none. */
  private gateProgramme(programmeId: string, by: ProgrammeDeletedBy): string[] | null {
    const workshopIds = this.marked(() => this.programmes.gate(programmeId))
    if (!workshopIds) return null
    this.touchedProgrammes.delete(programmeId)
    for (const workshopId of workshopIds) this.letGo(workshopId, 'programme')
    this.deps.log.info('programme.deleted', { programme: programmeHash(programmeId), by, workshops: workshopIds.length })
    return workshopIds
  }

  /** Runs a gate; on PostgreSQL, one that removed rows marks the tables due in its transaction. */
  private marked<T>(gate: () => T): T {
    const later = this.deps.eraseVacuum
    if (!later) return gate()
    return this.deps.db.transaction(() => {
      const removed = gate()
      if (removed) later.markDue()
      return removed
    })()
  }

  /** A gated workshop: its sockets close, memory forgets it, the deletion is logged. */
  private letGo(workshopId: string, by: DeletedBy): void {
    this.touched.delete(workshopId)
    this.deps.rooms?.discard(workshopId)
    this.deps.onDeleted?.(workshopId)
    // No title, no content, no id anyone could look up: only that a deletion happened.
    this.deps.log.info('workshop.deleted', { workshop: workshopHash(workshopId), by })
  }
}
