import type { Db } from '../database.ts'

/**
 * PostgreSQL settings under which the server's own log would keep, next to each other, the token
 * hash a request authenticates with and the ballot, idea or answer it then writes: whoever reads
 * that log could link people to what they said or chose, for as long as the log is kept.
 * Returns the ones in force, as `name = value` (empty: none).
 */
export function statementLoggingRisks(db: Db): string[] {
  const show = (name: string): string => {
    try {
      return String((db.prepare(`SHOW ${name}`).get() as Record<string, unknown> | undefined)?.[name] ?? '')
    } catch {
      return ''
    }
  }
  const risks: string[] = []
  const statements = show('log_statement')
  if (statements !== '' && statements !== 'none' && statements !== 'ddl') risks.push(`log_statement = ${statements}`)
  for (const name of ['log_min_duration_statement', 'log_min_duration_sample']) {
    const value = show(name)
    if (value !== '' && value !== '-1') risks.push(`${name} = ${value}`)
  }
  // Readable by any role when pgaudit is loaded (shared_preload_libraries is not): an error means it is not.
  const audit = show('pgaudit.log')
  if (audit !== '' && audit !== 'none') risks.push(`pgaudit.log = ${audit}`)
  return risks
}
