import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresDb } from '../../server/storage/postgres/PostgresDb.ts'
import { statementLoggingRisks } from '../../server/storage/postgres/statementLogging.ts'
import { freshPostgresDatabase } from '../helpers/postgresDatabase.ts'
import { testStorage } from '../helpers/testServer.ts'

// PostgreSQL's own behaviour under the synchronous Db shape; SQLite has no equivalent to check.
describe.runIf(testStorage === 'postgres')('PostgresDb', () => {
  let db: PostgresDb
  beforeAll(async () => {
    db = new PostgresDb(await freshPostgresDatabase())
    db.exec('CREATE TABLE notes (id TEXT PRIMARY KEY)')
  })
  afterAll(() => db.close())

  it('refuses to report a transaction saved when PostgreSQL rolled it back at COMMIT', () => {
    const insert = db.prepare('INSERT INTO notes (id) VALUES (?)')
    const write = db.transaction(() => {
      insert.run('kept?')
      // A failed statement caught inside the transaction: SQLite would carry on, PostgreSQL aborts.
      try {
        insert.run('kept?')
      } catch {
        // ignored on purpose
      }
    })
    expect(() => write()).toThrow(/rolled back/)
    expect(db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 0 })
    // The connection is usable afterwards.
    db.transaction(() => insert.run('saved'))()
    expect(db.prepare('SELECT id FROM notes').all()).toEqual([{ id: 'saved' }])
  })

  it('answers each statement with its own reply, in order, many times over', () => {
    const select = db.prepare('SELECT ?::int AS n')
    for (let i = 0; i < 500; i++) expect(select.get(i)).toEqual({ n: i })
  })

  it('names the settings under which PostgreSQL would log token lookups next to what people wrote', async () => {
    expect(statementLoggingRisks(db)).toEqual([])
    const url = await freshPostgresDatabase()
    const name = new URL(url).pathname.slice(1)
    const admin = new PostgresDb(url)
    admin.exec(`ALTER DATABASE "${name}" SET log_statement = 'all'`)
    admin.exec(`ALTER DATABASE "${name}" SET log_min_duration_statement = 0`)
    admin.close()
    const logged = new PostgresDb(url)
    try {
      expect(statementLoggingRisks(logged)).toEqual(['log_statement = all', 'log_min_duration_statement = 0'])
    } finally {
      logged.close()
    }
  })
})
