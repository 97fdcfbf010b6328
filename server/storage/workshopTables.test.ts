import { describe, expect, it } from 'vitest'
import { openDatabase } from './database.ts'
import { tableNames } from './schemaInfo.ts'
import { GATE_TABLES, NO_WORKSHOP_TABLES, SWEPT_TABLES } from './workshopTables.ts'

describe('workshopTables', () => {
  it('classifies every table once: deleted with a workshop, or holding no workshop rows', () => {
    const db = openDatabase(':memory:')
    const deleted = [...new Set([...GATE_TABLES, ...SWEPT_TABLES].map(({ table }) => table))]
    const other = Object.keys(NO_WORKSHOP_TABLES)
    expect(deleted.filter((table) => other.includes(table))).toEqual([])
    expect([...deleted, ...other].sort()).toEqual(tableNames(db))
    db.close()
  })
})
