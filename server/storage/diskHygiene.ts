import type { Db } from './database.ts'

/**
 * Copies every WAL frame into the main file and truncates the WAL to zero bytes, so old page
 * images (deleted text among them) no longer sit in the WAL. With secure_delete on, the pages
 * written back hold zeros where deleted rows were.
 */
export function checkpointAndTruncate(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)')
}
