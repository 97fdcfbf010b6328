import { accessSync, constants, readdirSync, realpathSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'

/**
 * Finding the service binaries the tests start. A missing one is an error naming the Debian
 * package, never a skipped test (issue 15: "nothing is skipped quietly").
 */

export const INSTALL_HINT = 'install postgresql redis-server haproxy: apt-get install -y postgresql redis-server haproxy (or run .ci/run)'

export class MissingServiceBinary extends Error {
  constructor(binary: string, looked: readonly string[]) {
    super(`${binary} was not found (looked in ${looked.join(', ')}). Tests start their own PostgreSQL, Redis and HAProxy; ${INSTALL_HINT}`)
    this.name = 'MissingServiceBinary'
  }
}

// Non-root PATHs often lack the sbin folders, where Debian puts haproxy and runuser.
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin']

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function searchDirs(extraDirs: readonly string[]): string[] {
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '')
  return [...new Set([...extraDirs, ...pathDirs, ...SBIN_DIRS])]
}

/** The absolute path of `name`, looked up like `which` (plus the sbin folders). */
export function findBinary(name: string, extraDirs: readonly string[] = []): string {
  const dirs = searchDirs(extraDirs)
  for (const dir of dirs) {
    const candidate = join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  throw new MissingServiceBinary(name, [...extraDirs, 'PATH', 'sbin'])
}

const DEBIAN_PG_ROOT = '/usr/lib/postgresql'

/** Debian keeps PostgreSQL's server binaries off PATH, one folder per major version; newest first. */
function debianPostgresBinDirs(): string[] {
  let versions: string[]
  try {
    versions = readdirSync(DEBIAN_PG_ROOT)
  } catch {
    return []
  }
  return versions
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(DEBIAN_PG_ROOT, version, 'bin'))
}

export interface PostgresBinaries {
  initdb: string
  pgCtl: string
}

/** initdb and pg_ctl from one installation (a PATH symlink is followed to its real folder). */
export function findPostgresBinaries(): PostgresBinaries {
  let pgCtl: string
  try {
    pgCtl = realpathSync(findBinary('pg_ctl', debianPostgresBinDirs()))
  } catch (error) {
    if (error instanceof MissingServiceBinary) throw new MissingServiceBinary('pg_ctl', [`${DEBIAN_PG_ROOT}/*/bin`, 'PATH', 'sbin'])
    throw error
  }
  const initdb = join(dirname(pgCtl), 'initdb')
  if (!isExecutable(initdb)) throw new MissingServiceBinary('initdb', [dirname(pgCtl)])
  return { initdb, pgCtl }
}
