import { randomBytes } from 'node:crypto'
import type { Db } from './database.ts'

/** Keys the server makes for itself on first use and keeps across restarts. */
export class SecretStore {
  private readonly select
  private readonly insert

  constructor(db: Db) {
    this.select = db.prepare('SELECT value FROM server_secrets WHERE name = ?')
    this.insert = db.prepare('INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)')
  }

  /** The secret called `name`, made (32 random bytes) the first time it is asked for. */
  get(name: string): Buffer {
    this.insert.run(name, randomBytes(32))
    return (this.select.get(name) as { value: Buffer }).value
  }
}
