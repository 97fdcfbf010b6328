import { dayOf } from '../../shared/retention.ts'
import { silentLogger, type Logger } from '../logger.ts'
import type { Config } from '../config.ts'
import { Room } from '../rooms/Room.ts'
import { ExportService } from '../services/ExportService.ts'
import { LifecycleService } from '../services/LifecycleService.ts'
import type { Db } from '../storage/database.ts'
import { DocStore } from '../storage/DocStore.ts'
import { ExportOptOutStore } from '../storage/ExportOptOutStore.ts'
import { ProgrammeStore } from '../storage/ProgrammeStore.ts'
import { RetentionStore } from '../storage/RetentionStore.ts'
import { UpdateWriter } from '../storage/UpdateWriter.ts'
import { WorkshopEraser } from '../storage/WorkshopEraser.ts'
import { WorkshopStore } from '../storage/WorkshopStore.ts'
import { FORMATS, isDocumentFormat, type Format } from '../http/exports.ts'
import { renderDocument } from '../export/documentJob.ts'

export interface ListedWorkshop {
  workshopId: string
  /** Bytes of its stored documents and idea texts: what deleting it frees, roughly. */
  sizeBytes: number
  deleteAfter: string
  /** Only with --show-titles. */
  title?: string
}

export interface ListedProgramme {
  programmeId: string
  /** How many workshops deleting it would delete too. */
  workshops: number
  deleteAfter: string
  /** Only with --show-titles. */
  title?: string
}

/**
 * What an operator with access to the server (and no facilitator key) may do: list workshops
 * and programmes without their content, export a workshop, delete one, purge. Works beside a running server (SQLite
 * WAL): the server closes a deleted workshop's sockets within seconds (auth re-check).
 */
export class OperatorTools {
  private readonly workshops: WorkshopStore
  private readonly lifecycle: LifecycleService
  private readonly docs: DocStore
  private readonly sizeOf

  constructor(
    private readonly db: Db,
    private readonly config: Config,
    private readonly log: Logger = silentLogger,
  ) {
    this.workshops = new WorkshopStore(db)
    this.docs = new DocStore(db)
    this.lifecycle = new LifecycleService({
      db,
      eraser: new WorkshopEraser(db),
      retention: new RetentionStore(db),
      log,
      defaultRetentionDays: config.retentionDays,
      sliceMs: config.purgeSliceMs,
    })
    this.sizeOf = db.prepare(`
      SELECT (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM doc_updates WHERE workshop_id = @id)
           + (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM doc_snapshots WHERE workshop_id = @id)
           + (SELECT COALESCE(SUM(octet_length(text)), 0) FROM ideas WHERE workshop_id = @id) AS bytes`)
  }

  list(showTitles: boolean): ListedWorkshop[] {
    return new RetentionStore(this.db)
      .all()
      .map((row) => ({
        workshopId: row.workshopId,
        sizeBytes: (this.sizeOf.get({ id: row.workshopId }) as { bytes: number }).bytes,
        deleteAfter: this.lifecycle.infoOf(row).deleteAfter,
        ...(showTitles ? { title: this.workshops.get(row.workshopId)?.title ?? '' } : {}),
      }))
      .sort((a, b) => a.deleteAfter.localeCompare(b.deleteAfter) || a.workshopId.localeCompare(b.workshopId))
  }

  listProgrammes(showTitles: boolean): ListedProgramme[] {
    const retention = new RetentionStore(this.db)
    const programmes = new ProgrammeStore(this.db)
    return retention
      .programmes()
      .map((row) => ({
        programmeId: row.programmeId,
        workshops: programmes.workshops(row.programmeId).length,
        deleteAfter: this.lifecycle.infoOf(row).deleteAfter,
        ...(showTitles ? { title: programmes.get(row.programmeId)?.title ?? '' } : {}),
      }))
      .sort((a, b) => a.deleteAfter.localeCompare(b.deleteAfter) || a.programmeId.localeCompare(b.programmeId))
  }

  /** The same export the facilitator downloads; null for an unknown workshop. */
  async export(workshopId: string, format: Format): Promise<string | Uint8Array | null> {
    if (!this.workshops.get(workshopId)) return null
    // A private copy of the room, read only: nothing here writes to the database.
    const writer = new UpdateWriter(this.db, this.docs, 60_000, () => undefined)
    const room = new Room(workshopId, { db: this.db, docs: this.docs, writer, log: this.log, messagesPerSecond: 1, compactAfterUpdates: Number.MAX_SAFE_INTEGER })
    room.load()
    const optOuts = new ExportOptOutStore(this.db)
    const exports = new ExportService({ rooms: { readState: (_id, read) => read(room.state.doc) }, workshops: this.workshops, leftOut: (id) => optOuts.leftOut(id, dayOf(new Date())) })
    const model = exports.model(workshopId)
    if (!model.ok) return null
    return isDocumentFormat(format) ? renderDocument({ kind: 'workshop', format, model: model.value }) : FORMATS[format].render(model.value)
  }

  /** Deletes the workshop, or the programme (with its workshops), with this id; null if neither. */
  async delete(id: string): Promise<'workshop' | 'programme' | null> {
    if ((await this.lifecycle.delete(id, 'operator')).ok) return 'workshop'
    if ((await this.lifecycle.deleteProgramme(id, 'operator')).ok) return 'programme'
    return null
  }

  purge(): Promise<number> {
    return this.lifecycle.purge()
  }
}
