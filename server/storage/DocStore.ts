import type { Db } from './database.ts'

export interface StoredDoc {
  /** Snapshot first (if any), then appended updates in order. */
  updates: Uint8Array[]
  /** Number of updates stored since the snapshot. */
  updateCount: number
}

/**
 * Yjs updates per (workshop, doc), append-only, with compaction into one snapshot. Writes for
 * the board arrive through `UpdateWriter` (group commit); the state doc writes inside the same
 * transaction as the domain change that caused it.
 */
export class DocStore {
  private readonly insert
  private readonly selectUpdates
  private readonly selectSnapshot
  private readonly upsertSnapshot
  private readonly deleteUpdates

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES (?, ?, ?)')
    this.selectUpdates = db.prepare('SELECT data FROM doc_updates WHERE workshop_id = ? AND doc_name = ? ORDER BY seq')
    this.selectSnapshot = db.prepare('SELECT data FROM doc_snapshots WHERE workshop_id = ? AND doc_name = ?')
    this.upsertSnapshot = db.prepare(
      'INSERT INTO doc_snapshots (workshop_id, doc_name, data) VALUES (?, ?, ?) ON CONFLICT (workshop_id, doc_name) DO UPDATE SET data = excluded.data',
    )
    this.deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE workshop_id = ? AND doc_name = ?')
  }

  load(workshopId: string, docName: string): StoredDoc {
    const snapshot = this.selectSnapshot.get(workshopId, docName) as { data: Buffer } | undefined
    const rows = this.selectUpdates.all(workshopId, docName) as { data: Buffer }[]
    const updates = rows.map((row) => new Uint8Array(row.data))
    if (snapshot) updates.unshift(new Uint8Array(snapshot.data))
    return { updates, updateCount: rows.length }
  }

  /** Appends one update; call inside a transaction to make it atomic with other writes. */
  append(workshopId: string, docName: string, update: Uint8Array): void {
    this.insert.run(workshopId, docName, update)
  }

  /**
   * Replaces the snapshot and drops every stored update, atomically. The caller guarantees the
   * snapshot contains all of them (it flushed its queue and encodes the doc they built).
   */
  compact(workshopId: string, docName: string, snapshot: Uint8Array): void {
    this.db.transaction(() => {
      this.upsertSnapshot.run(workshopId, docName, snapshot)
      this.deleteUpdates.run(workshopId, docName)
    })()
  }
}
