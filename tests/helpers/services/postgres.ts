import { spawn, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { findBinary, findPostgresBinaries, INSTALL_HINT, type PostgresBinaries } from './binaries.ts'
import { cleanUpWhenWeDie, isAlive, killQuietly, makeServiceDir, onFreePort, processesIn, removeDir, waitUntil } from './lifecycle.ts'

/**
 * A throwaway PostgreSQL cluster: initdb into a temp folder, started with pg_ctl on a free port,
 * listening on 127.0.0.1 and a socket in the temp folder only. Trust authentication, superuser
 * `postgres`. As root, everything runs as the `postgres` user (initdb and postgres refuse root).
 */

export interface PostgresOptions {
  /** Off by default, for fast tests. The crash harness passes true: acknowledged must mean on disk. */
  fsync?: boolean
  /** More server settings (postgresql.conf names), e.g. `{ wal_recycle: 'off' }`. */
  extraSettings?: Record<string, string>
}

export interface PostgresService {
  /** The cluster's maintenance database `postgres`; tests want their own from `createDatabase()`. */
  readonly url: string
  readonly port: number
  /** PGDATA, for page-level tests (heap files under base/, WAL under pg_wal/). */
  readonly dataDir: string
  /** The postmaster's process id while it runs, else null. */
  readonly pid: number | null
  /** Creates a fresh, empty database (a generated name unless given) and returns its URL. */
  createDatabase(name?: string): Promise<string>
  /** Immediate shutdown, then the temp folder is removed. Final: the service can't be restarted. */
  stop(): Promise<void>
  /** SIGKILL to the postmaster and every backend at once, as a machine crash would. Data is kept. */
  kill(): Promise<void>
  /** Stops (immediate) if running, then starts again on the same port with the same data. */
  restart(): Promise<void>
}

const SETTING_NAME = /^[a-z_][a-z0-9_.]*$/i

function settingsFile(port: number, socketDir: string, options: PostgresOptions): string {
  const settings: Record<string, string> = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    fsync: options.fsync === true ? 'on' : 'off',
    ...options.extraSettings,
  }
  const lines = Object.entries(settings).map(([name, value]) => {
    if (!SETTING_NAME.test(name)) throw new Error(`not a PostgreSQL setting name: ${JSON.stringify(name)}`)
    return `${name} = '${value.replaceAll("'", "''")}'`
  })
  return `# Written by tests/helpers/services (throwaway test cluster).\n${lines.join('\n')}\n`
}

interface ServiceUser {
  /** argv that runs `argv` as the service user. */
  wrap(argv: readonly string[]): string[]
  /** Hands a file or folder we created to the service user. */
  own(path: string): void
}

function serviceUser(): ServiceUser {
  if (process.getuid?.() !== 0) return { wrap: (argv) => [...argv], own: () => {} }
  const runuser = findBinary('runuser')
  let uid: number
  let gid: number
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
  } catch {
    throw new Error(`running as root, tests start PostgreSQL as the user "postgres", which does not exist; ${INSTALL_HINT}`)
  }
  return { wrap: (argv) => [runuser, '-u', 'postgres', '--', ...argv], own: (path) => chownSync(path, uid, gid) }
}

function run(argv: readonly string[], cwd: string): Promise<string> {
  const [command, ...args] = argv
  return new Promise((resolve, reject) => {
    // With -l, pg_ctl gives the postmaster the log file, not our pipes, so 'close' comes.
    const child = spawn(command!, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => {
      if (code === 0) resolve(output)
      else reject(new Error(`${argv.join(' ')} exited with ${code}:\n${output}`))
    })
  })
}

function readTail(path: string, lines = 30): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

let databaseCounter = 0

/**
 * Creates an empty database on the cluster at `serverUrl` (any database URL on it) and returns
 * the new database's URL. Usable from test workers with the URL the global setup provides.
 */
export async function createDatabase(serverUrl: string, name = `test_${process.pid}_${++databaseCounter}_${randomBytes(3).toString('hex')}`): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`database names here are lower-case identifiers: ${JSON.stringify(name)}`)
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    // template0: guaranteed empty, whatever anyone did to template1.
    await client.query(`CREATE DATABASE "${name}" TEMPLATE template0`)
  } finally {
    await client.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresService> {
  const bin: PostgresBinaries = findPostgresBinaries()
  const user = serviceUser()
  const root = makeServiceDir('pg')
  const dataDir = join(root, 'data')
  const logFile = join(root, 'postgres.log')
  user.own(root)
  const pgCtl = (...args: string[]): string[] => user.wrap([bin.pgCtl, '-D', dataDir, ...args])
  const watchdog = cleanUpWhenWeDie(root, pgCtl('-m', 'immediate', 'stop'))

  const postmasterPid = (): number | null => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
      return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null
    } catch {
      return null
    }
  }
  const start = (): Promise<string> => run(pgCtl('-l', logFile, '-w', '-t', '60', 'start'), root)
  const killAll = async (): Promise<void> => {
    // By working folder, not by parent: backends forked while we look are caught on the next pass.
    // A process part way through dying can lose its working folder before it is gone, so every
    // one seen is also waited for until it is dead (CI once found one still alive).
    const seen = new Set<number>()
    await waitUntil('PostgreSQL processes to exit after SIGKILL', () => {
      const pids = processesIn(dataDir)
      for (const pid of pids) {
        seen.add(pid)
        killQuietly(pid, 'SIGKILL')
      }
      return pids.length === 0 && [...seen].every((pid) => !isAlive(pid))
    })
    // All gone. Stale lock files naming a postmaster that is dead but not yet reaped (a zombie
    // still answers kill(pid, 0)) would block the next start, so they go too.
    rmSync(join(dataDir, 'postmaster.pid'), { force: true })
    for (const name of readdirSync(root)) if (/^\.s\.PGSQL\.\d+\.lock$/.test(name)) rmSync(join(root, name), { force: true })
  }

  let port = 0
  try {
    await run(user.wrap([bin.initdb, '-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']), root)
    ;({ port } = await onFreePort(
      async (candidate) => {
        // postgresql.auto.conf is read last and belongs to the server user already.
        writeFileSync(join(dataDir, 'postgresql.auto.conf'), settingsFile(candidate, root, options))
        try {
          await start()
        } catch (error) {
          throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${readTail(logFile)}`)
        }
      },
    ))
  } catch (error) {
    await killAll()
    watchdog.cancel()
    removeDir(root)
    throw error
  }

  let stopped = false
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    url,
    port,
    dataDir,
    get pid() {
      return postmasterPid()
    },
    createDatabase: (name) => createDatabase(url, name),
    async stop() {
      if (stopped) return
      stopped = true
      if (postmasterPid() !== null) await run(pgCtl('-m', 'immediate', 'stop'), root).catch(() => {})
      await killAll()
      watchdog.cancel()
      removeDir(root)
    },
    async kill() {
      if (stopped) throw new Error('this PostgreSQL was stopped')
      await killAll()
    },
    async restart() {
      if (stopped) throw new Error('this PostgreSQL was stopped')
      if (postmasterPid() !== null) await run(pgCtl('-m', 'immediate', 'stop'), root)
      await killAll()
      try {
        await start()
      } catch (error) {
        throw new Error(`PostgreSQL did not restart: ${(error as Error).message}\n${readTail(logFile)}`)
      }
    },
  }
}
