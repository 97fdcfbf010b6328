import type { Db, Statement } from './database.ts'
import { GATE_TABLES, SWEPT_TABLES, type WorkshopTable } from './workshopTables.ts'

/** Rows one delete statement removes; small, so one statement stays well inside a slice. */
const CHUNK_ROWS = 50

/**
 * Deletes a workshop's rows from every table in `workshopTables.ts`. The gate (the workshop row)
 * goes at once; the rest is swept a chunk at a time so a big workshop never holds the event loop.
 * secure_delete (database.ts) zeroes what each delete frees; `checkpointAndTruncate` then clears
 * the WAL. A sweep cut short (crash, restart) is finished later: its rows are orphans.
 */
export class WorkshopEraser {
  private readonly gateStatements: Statement[]
  private readonly chunkStatements: { table: string; run: Statement }[]
  private readonly orphanProbes: Statement[]
  private readonly workshopExists: Statement

  constructor(private readonly db: Db) {
    this.gateStatements = GATE_TABLES.map(({ table, scope }) => db.prepare(`DELETE FROM ${table} WHERE ${scope}`))
    this.chunkStatements = SWEPT_TABLES.map((entry) => ({ table: entry.table, run: db.prepare(chunkDelete(db, entry)) }))
    // Distinct workshop ids one index seek at a time (tables without such an index are small).
    this.orphanProbes = SWEPT_TABLES.filter((entry) => entry.scope === 'workshop_id = ?').map(({ table }) =>
      db.prepare(`SELECT MIN(workshop_id) AS id FROM ${table} WHERE workshop_id > ?`),
    )
    this.workshopExists = db.prepare('SELECT 1 FROM workshops WHERE workshop_id = ?')
  }

  /** Removes the workshop row (and its participants); false if there was no such workshop. */
  gate(workshopId: string): boolean {
    return this.db.transaction(() => {
      let removed = 0
      for (const statement of this.gateStatements) removed = statement.run(workshopId).changes
      // The last gate table is `workshops`.
      return removed > 0
    })()
  }

  /** Deletes up to one chunk of the workshop's rows; 0 once nothing is left. */
  step(workshopId: string): number {
    for (const { run } of this.chunkStatements) {
      const changes = run.run(workshopId, CHUNK_ROWS).changes
      if (changes > 0) return changes
    }
    return 0
  }

  /**
   * Sweeps everything left of a workshop, yielding to the event loop after every `sliceMs`.
   * `between` runs after each slice (a checkpoint off the event loop, see Checkpointer), so the
   * WAL never grows to where the main connection's own checkpoint would hold the loop.
   */
  async sweep(workshopId: string, sliceMs: number, between?: () => Promise<unknown>): Promise<void> {
    for (;;) {
      const started = performance.now()
      let removed = 0
      do removed = this.step(workshopId)
      while (removed > 0 && performance.now() - started < sliceMs)
      if (removed === 0) return
      await (between?.() ?? new Promise((resolve) => setImmediate(resolve)))
    }
  }

  /** Workshops whose row is gone but whose other rows are not (an interrupted sweep). */
  orphans(): string[] {
    const found = new Set<string>()
    for (const probe of this.orphanProbes) {
      let after = ''
      for (;;) {
        const row = probe.get(after) as { id: string | null }
        if (row.id === null) break
        if (!this.workshopExists.get(row.id)) found.add(row.id)
        after = row.id
      }
    }
    return [...found]
  }
}

/** `DELETE … WHERE <primary key> IN (first CHUNK rows in scope)`, for rowid and WITHOUT ROWID tables. */
function chunkDelete(db: Db, { table, scope }: WorkshopTable): string {
  // PostgreSQL: every table has a physical row address.
  if (db.dialect === 'postgres') return `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${scope} LIMIT ?)`
  const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) as { sql: string } | undefined)?.sql
  if (!sql) throw new Error(`workshopTables lists ${table}, which does not exist`)
  let key = 'rowid'
  if (/WITHOUT\s+ROWID/i.test(sql)) {
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[]).filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)
    key = columns.length === 1 ? columns[0]!.name : `(${columns.map((c) => c.name).join(', ')})`
  }
  const selected = key.startsWith('(') ? key.slice(1, -1) : key
  return `DELETE FROM ${table} WHERE ${key} IN (SELECT ${selected} FROM ${table} WHERE ${scope} LIMIT ?)`
}
