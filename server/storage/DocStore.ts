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
  private readonly lastSeq
  private readonly trimUpdates

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES (?, ?, ?)')
    this.selectUpdates = db.prepare('SELECT data FROM doc_updates WHERE workshop_id = ? AND doc_name = ? ORDER BY seq')
    this.selectSnapshot = db.prepare('SELECT data FROM doc_snapshots WHERE workshop_id = ? AND doc_name = ?')
    this.upsertSnapshot = db.prepare(
      'INSERT INTO doc_snapshots (workshop_id, doc_name, data) VALUES (?, ?, ?) ON CONFLICT (workshop_id, doc_name) DO UPDATE SET data = excluded.data',
    )
    this.deleteUpdates = db.prepare('DELETE FROM doc_updates WHERE workshop_id = ? AND doc_name = ?')
    this.lastSeq = db.prepare('SELECT MAX(seq) AS seq FROM doc_updates WHERE workshop_id = ? AND doc_name = ?')
    this.trimUpdates = db.prepare(
      'DELETE FROM doc_updates WHERE seq IN (SELECT seq FROM doc_updates WHERE workshop_id = ? AND doc_name = ? AND seq <= ? ORDER BY seq LIMIT ?)',
    )
  }

  load(workshopId: string, docName: string): StoredDoc {
    // Updates first: a snapshot written between the two reads covers whatever it trimmed, where
    // an older snapshot read first could miss updates trimmed before the second read (another
    // instance may compact while this one reads: RoomRegistry.readState).
    const rows = this.selectUpdates.all(workshopId, docName) as { data: Buffer }[]
    const snapshot = this.selectSnapshot.get(workshopId, docName) as { data: Buffer } | undefined
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

  /**
   * Replaces the snapshot and returns the last stored update it covers (null: none stored), for
   * `trim` to delete afterwards, a few at a time. The caller guarantees every update stored so far
   * is in the snapshot (it encodes the doc they were applied to). Until they are trimmed, loading
   * applies them after the snapshot, which changes nothing: Yjs skips what a doc already has.
   */
  snapshot(workshopId: string, docName: string, snapshot: Uint8Array): number | null {
    return this.db.transaction(() => {
      const last = (this.lastSeq.get(workshopId, docName) as { seq: number | bigint | string | null } | undefined)?.seq ?? null
      this.upsertSnapshot.run(workshopId, docName, snapshot)
      return last === null ? null : Number(last)
    })()
  }

  /** Deletes at most `limit` stored updates numbered up to `upTo`; returns how many went. */
  trim(workshopId: string, docName: string, upTo: number, limit: number): number {
    return this.trimUpdates.run(workshopId, docName, upTo, limit).changes
  }
}
