import { inject } from 'vitest'
import { createDatabase } from './services.ts'

/**
 * A new, empty database on the run's PostgreSQL (started by ./postgresGlobalSetup.ts), as a URL
 * for `DATABASE_URL`. One per test or per file keeps tests independent without a cluster each.
 */
export function freshPostgresDatabase(name?: string): Promise<string> {
  return createDatabase(inject('postgresUrl'), name)
}
