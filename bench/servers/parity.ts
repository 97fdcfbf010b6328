import { defaultConfig, defaultLimits, type Config } from '../../server/config.ts'
import { appendFileSync } from 'node:fs'
import { createLogger, silentLogger } from '../../server/logger.ts'
import { startServer } from '../../server/startServer.ts'
import { announceReady, serveControl } from './control.ts'

/** Our server, as `npm start` would run it, with a temporary data dir and silent logs. */
const env = process.env
const config: Config = {
  ...defaultConfig,
  port: 0,
  host: '127.0.0.1',
  dataDir: env.BENCH_DATA_DIR ?? './data-bench',
  // bench/cluster.ts: PostgreSQL, Redis and the balancer's origin for the two-instance runs.
  databaseUrl: env.BENCH_DATABASE_URL ?? null,
  redisUrl: env.BENCH_REDIS_URL ?? null,
  publicUrl: env.BENCH_PUBLIC_URL ?? null,
  logLevel: 'silent',
  roomUnloadGraceMs: Number(env.BENCH_UNLOAD_MS ?? defaultConfig.roomUnloadGraceMs),
  compactAfterUpdates: Number(env.BENCH_COMPACT_AFTER ?? defaultConfig.compactAfterUpdates),
  limits: {
    ...defaultLimits,
    messagesPerSecond: Number(env.BENCH_MESSAGES_PER_SECOND ?? defaultLimits.messagesPerSecond),
    // Every simulated person joins from this one address, without cookies.
    joinsPerAddressPerMinute: 1_000_000,
    joinsPerWorkshopPerMinute: 1_000_000,
    workshopsPerClientPerHour: 1_000_000,
    workshopsPerClientPerDay: 1_000_000,
  },
}
// BENCH_LOG_FILE: keep the server's warnings and errors (refused sockets, storage) for a look afterwards.
const logFile = env.BENCH_LOG_FILE
const log = logFile ? createLogger('info', (line) => (/"level":"(warn|error)"/.test(line) ? appendFileSync(logFile, line + '\n') : undefined)) : silentLogger
const running = await startServer(config, log)
announceReady(running.port)
serveControl(() => running.close())
