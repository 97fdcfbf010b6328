/**
 * Real services for tests, each started fresh and thrown away: PostgreSQL, Redis and HAProxy
 * (issue 15). Binaries come from the Debian packages postgresql, redis-server and haproxy
 * (`.ci/run` installs them); a missing one throws `MissingServiceBinary` naming the packages.
 *
 * Cleanup: call `stop()` (in afterAll). If the test process dies first (crash, Ctrl-C, SIGKILL,
 * a vitest worker killed on timeout), a detached watchdog per service notices within a second and
 * stops the service and removes its temp folder, so no postgres, redis-server or haproxy
 * outlives the run. Temp folders are `$TMPDIR/parity-{pg,redis,haproxy}-*`.
 */
export { findBinary, INSTALL_HINT, MissingServiceBinary } from './services/binaries.ts'
export { createDatabase, startPostgres, type PostgresOptions, type PostgresService } from './services/postgres.ts'
export { startRedis, type RedisService } from './services/redis.ts'
export { startHaproxy, type Backend, type BackendState, type HaproxyOptions, type HaproxyService } from './services/haproxy.ts'
