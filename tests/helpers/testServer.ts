import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultConfig, defaultLimits, type Config, type Limits } from '../../server/config.ts'
import { createLogger, silentLogger, type Logger } from '../../server/logger.ts'
import { startServer, type RunningServer } from '../../server/startServer.ts'
import type { CreatedWorkshop, JoinedWorkshop } from '../../shared/intents.ts'
import { freshPostgresDatabase } from './postgresDatabase.ts'

export interface TestServer extends RunningServer {
  config: Config
  /** Stops this server; a new one can be started on the same data dir. */
  restart(): Promise<TestServer>
  /** Stops and removes the data dir. */
  dispose(): Promise<void>
  /** Log lines written so far (only if `captureLogs`). */
  logs: string[]
}

export interface TestServerOptions {
  dataDir?: string
  captureLogs?: boolean
  config?: Partial<Config>
}

/**
 * Tests make dozens of workshops and people from one address without cookies, which the
 * per-client limits on creating and joining would (rightly) refuse. Tests of those limits set
 * `config.limits` themselves.
 */
export const testLimits: Limits = {
  ...defaultLimits,
  workshopsPerClientPerHour: 10_000,
  workshopsPerClientPerDay: 10_000,
  joinsPerAddressPerMinute: 10_000,
  joinsPerWorkshopPerMinute: 10_000,
}

/**
 * Which engine the suite runs on: SQLite by default; `PARITY_TEST_STORAGE=postgres` (the
 * `postgres` vitest project) runs the same tests on PostgreSQL, one fresh database per server.
 */
export const testStorage: 'sqlite' | 'postgres' = process.env.PARITY_TEST_STORAGE === 'postgres' ? 'postgres' : 'sqlite'

/** A real server on port 0 with a temporary SQLite data dir (or a fresh PostgreSQL database). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'parity-test-'))
  const databaseUrl = options.config?.databaseUrl ?? (testStorage === 'postgres' ? await freshPostgresDatabase() : null)
  const logs: string[] = []
  // PARITY_TEST_LOGS=1 prints the server's log lines while debugging a test.
  const log: Logger = options.captureLogs
    ? createLogger('debug', (line) => logs.push(line))
    : process.env.PARITY_TEST_LOGS
      ? createLogger('debug', (line) => process.stderr.write(line + '\n'))
      : silentLogger
  // Check-out batches are written at once rather than 5–60 s later (tests of the wait set one).
  const config: Config = { ...defaultConfig, port: 0, dataDir, clientDir: 'dist', roomUnloadGraceMs: 200, limits: testLimits, checkoutBatchDelayMs: 0, ...options.config, databaseUrl }
  const running = await startServer(config, log)
  const server: TestServer = {
    ...running,
    config,
    logs,
    restart: async () => {
      await running.close()
      // Let this process see its keep-alive sockets to the old server close (PostgreSQL closes
      // in the same turn; SQLite's WAL sync happened to give fetch time to notice). 20 ms was
      // too little with the whole suite running on two cores: a request went down a dead socket.
      await new Promise((resolve) => setTimeout(resolve, 100))
      // Same port: browsers keep their per-origin storage (tokens) across the restart.
      return startTestServer({ ...options, dataDir, config: { ...options.config, port: running.port, databaseUrl } })
    },
    dispose: async () => {
      await running.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return server
}

export async function api<T = unknown>(
  server: { url: string },
  path: string,
  init: { method?: string; body?: unknown; token?: string; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.body !== undefined || init.rawBody !== undefined) headers['content-type'] = 'application/json'
  if (init.token) headers.authorization = `Bearer ${init.token}`
  const response = await fetch(server.url + path, {
    method: init.method ?? (init.body !== undefined || init.rawBody !== undefined ? 'POST' : 'GET'),
    headers,
    body: init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON (e.g. a page): keep the text.
  }
  return { status: response.status, body: body as T }
}

export async function createWorkshop(server: { url: string }, title = 'Our shared vision, March', joinMode?: 'open' | 'invite') {
  const { status, body } = await api<CreatedWorkshop>(server, '/api/workshops', { body: { title, ...(joinMode ? { joinMode } : {}) } })
  if (status !== 201) throw new Error(`create workshop failed: ${status} ${JSON.stringify(body)}`)
  return body
}

export async function joinWorkshop(server: { url: string }, workshopId: string, body: object = {}) {
  const response = await api<JoinedWorkshop>(server, `/api/workshops/${workshopId}/join`, { body })
  if (response.status !== 201) throw new Error(`join failed: ${response.status} ${JSON.stringify(response.body)}`)
  return response.body
}

/**
 * Moves a workshop's day to yesterday, as if the day had passed: "who took part" and check-out
 * results are shown only once the workshop's day is over.
 */
export function endWorkshopDay(server: { db: TestServer['db'] }, workshopId: string): void {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
  server.db
    .prepare('UPDATE workshops SET created_day = ?, held_day = ?, checkout_day = CASE WHEN checkout_day IS NULL THEN NULL ELSE ? END WHERE workshop_id = ?')
    .run(yesterday, yesterday, yesterday, workshopId)
}
