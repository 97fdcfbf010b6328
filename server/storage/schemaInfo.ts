import type { Db } from './sql.ts'

/** The application's tables, on either engine (for table-driven code and schema tests). */
export function tableNames(db: Db): string[] {
  const sql =
    db.dialect === 'postgres'
      ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
  return (db.prepare(sql).all() as { name: string }[]).map((row) => row.name)
}

export function columnNames(db: Db, table: string): string[] {
  const sql =
    db.dialect === 'postgres'
      ? 'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position'
      : 'SELECT name FROM pragma_table_info(?)'
  return (db.prepare(sql).all(table) as { name: string }[]).map((row) => row.name)
}

/** SQL that counts rows of `table` whose blob `column` contains the bytes given as its one parameter. */
export function blobContains(db: Db, column: string): string {
  return db.dialect === 'postgres' ? `position(?::bytea in ${column}) > 0` : `instr(${column}, ?) > 0`
}
