/**
 * The slice of a SQL database the stores use: prepared statements run synchronously, nested
 * transactions, plain scripts. better-sqlite3 has this shape natively; `postgres/PostgresDb.ts`
 * gives PostgreSQL the same shape, so every store and service runs unchanged on both.
 */
export type Dialect = 'sqlite' | 'postgres'

export interface RunResult {
  changes: number
}

/** Positional (`?`) parameters, or one object for `@name` parameters. */
export type SqlParam = string | number | bigint | null | Uint8Array
export type SqlParams = SqlParam[] | [object]

export interface Statement {
  run(...params: SqlParams): RunResult
  get(...params: SqlParams): unknown
  all(...params: SqlParams): unknown[]
}

export interface Db {
  readonly dialect: Dialect
  prepare(sql: string): Statement
  /** Wraps `fn` so each call runs in a transaction (a savepoint when nested); throws roll back. */
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): void
  close(): void
}
