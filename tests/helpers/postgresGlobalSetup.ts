import type { TestProject } from 'vitest/node'
import { startPostgres } from './services.ts'

/**
 * Vitest global setup: one throwaway PostgreSQL for the whole test run (a cluster start costs a
 * few seconds; a database costs milliseconds). Tests get its URL with `inject('postgresUrl')` and
 * make their own empty database from it: `freshPostgresDatabase()` in ./postgresDatabase.ts.
 * Wire it in vite.config.ts: `test: { globalSetup: ['tests/helpers/postgresGlobalSetup.ts'] }`.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL cluster (its `postgres` database, superuser, trust auth). */
    postgresUrl: string
  }
}

// Parametrised suites in two workers, each with servers holding pools: more than the default 100.
const MAX_CONNECTIONS = '300'

export default async function setup(project: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
  const postgres = await startPostgres({ extraSettings: { max_connections: MAX_CONNECTIONS } })
  project.provide('postgresUrl', postgres.url)
  return () => postgres.stop()
}
