import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Reads SQLite files the way someone with a stolen copy would: page by page, without SQLite.
 * Enough of the file format (https://www.sqlite.org/fileformat2.html) to list every live cell
 * of every b-tree page, where it sits in its page, and (for the WAL) in which frame it first
 * appears. That is the physical order an attacker can rank rows by.
 */

export type SqlValue = string | number | bigint | null | Buffer

export interface Cell {
  /** Where the page image came from: the main file, or the n-th WAL frame. */
  source: 'db' | 'wal'
  /** 0 for the main file; 1 + frame index for WAL frames (later frames, later writes). */
  sourceRank: number
  pageNo: number
  pageType: number
  /** Byte offset of the cell in its page: SQLite fills a page from the end, so lower is newer. */
  offset: number
  /** Decoded record (for table leaves the rowid is not included). Only the local payload. */
  values: SqlValue[]
}

export interface WalFrame {
  index: number
  pageNo: number
  /** Non-zero on the last frame of a commit: the database size in pages after it. */
  commitSize: number
  /** Frames whose salts differ from the header's are leftovers of an earlier WAL generation. */
  current: boolean
  page: Buffer
}

/** Copies the database and its WAL (if any) as they are right now, like a backup tool would. */
export function copyDatabaseFiles(file: string): { db: string; wal: string | null } {
  const dir = mkdtempSync(join(tmpdir(), 'parity-copy-'))
  const db = join(dir, 'copy.sqlite')
  // The WAL first: frames only get appended, so a WAL read before the main file is never
  // ahead of it in a way that would hide anything from the attack.
  const wal = existsSync(`${file}-wal`) ? `${db}-wal` : null
  if (wal) copyFileSync(`${file}-wal`, wal)
  copyFileSync(file, db)
  return { db, wal }
}

export function pageSizeOf(header: Buffer): number {
  const raw = header.readUInt16BE(16)
  return raw === 1 ? 65536 : raw
}

export function walFrames(wal: Buffer): { pageSize: number; frames: WalFrame[] } {
  if (wal.length < 32) return { pageSize: 0, frames: [] }
  const pageSize = wal.readUInt32BE(8)
  const salt1 = wal.readUInt32BE(16)
  const salt2 = wal.readUInt32BE(20)
  const frames: WalFrame[] = []
  for (let at = 32, index = 0; at + 24 + pageSize <= wal.length; at += 24 + pageSize, index++) {
    frames.push({
      index,
      pageNo: wal.readUInt32BE(at),
      commitSize: wal.readUInt32BE(at + 4),
      current: wal.readUInt32BE(at + 8) === salt1 && wal.readUInt32BE(at + 12) === salt2,
      page: wal.subarray(at + 24, at + 24 + pageSize),
    })
  }
  return { pageSize, frames }
}

function varint(buf: Buffer, at: number): [bigint, number] {
  let value = 0n
  for (let i = 0; i < 8; i++) {
    const byte = buf[at + i]!
    value = (value << 7n) | BigInt(byte & 0x7f)
    if ((byte & 0x80) === 0) return [value, i + 1]
  }
  return [(value << 8n) | BigInt(buf[at + 8]!), 9]
}

/** Decodes a record (header of serial types, then values), tolerating a truncated payload. */
export function decodeRecord(payload: Buffer): SqlValue[] {
  const [headerSize, first] = varint(payload, 0)
  const types: bigint[] = []
  for (let at = first; at < Number(headerSize) && at < payload.length; ) {
    const [type, n] = varint(payload, at)
    types.push(type)
    at += n
  }
  const values: SqlValue[] = []
  let at = Number(headerSize)
  for (const big of types) {
    const type = Number(big)
    if (at > payload.length) break
    if (type === 0) values.push(null)
    else if (type >= 1 && type <= 6) {
      const size = [0, 1, 2, 3, 4, 6, 8][type]!
      values.push(at + size > payload.length ? null : size === 8 ? payload.readBigInt64BE(at) : payload.readIntBE(at, size))
      at += size
    } else if (type === 7) {
      values.push(at + 8 <= payload.length ? payload.readDoubleBE(at) : null)
      at += 8
    } else if (type === 8 || type === 9) values.push(type - 8)
    else if (type >= 12) {
      const size = type % 2 === 0 ? (type - 12) / 2 : (type - 13) / 2
      const bytes = payload.subarray(at, Math.min(payload.length, at + size))
      values.push(type % 2 === 0 ? Buffer.from(bytes) : bytes.toString('utf8'))
      at += size
    } else values.push(null)
  }
  return values
}

/** The part of a payload stored in the page itself (the rest is on overflow pages). */
function localPayloadSize(total: number, usable: number, isTable: boolean): number {
  const maxLocal = isTable ? usable - 35 : Math.floor(((usable - 12) * 64) / 255) - 23
  if (total <= maxLocal) return total
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23
  const k = minLocal + ((total - minLocal) % (usable - 4))
  return k <= maxLocal ? k : minLocal
}

/** Every cell of one b-tree page image (non-b-tree pages give none). */
export function cellsOfPage(page: Buffer, pageNo: number, source: Cell['source'], sourceRank: number): Cell[] {
  const headerAt = pageNo === 1 ? 100 : 0
  const type = page[headerAt]!
  if (![2, 5, 10, 13].includes(type)) return []
  const interior = type === 2 || type === 5
  const count = page.readUInt16BE(headerAt + 3)
  const pointers = headerAt + (interior ? 12 : 8)
  const usable = page.length
  const cells: Cell[] = []
  for (let i = 0; i < count; i++) {
    if (pointers + 2 * i + 2 > page.length) break
    const offset = page.readUInt16BE(pointers + 2 * i)
    if (offset === 0 || offset >= page.length) continue
    let at = offset + (interior ? 4 : 0)
    if (type === 5) {
      cells.push({ source, sourceRank, pageNo, pageType: type, offset, values: [] })
      continue
    }
    const [total, n] = varint(page, at)
    at += n
    if (type === 13) at += varint(page, at)[1]
    const local = localPayloadSize(Number(total), usable, type === 13)
    let values: SqlValue[] = []
    try {
      values = decodeRecord(page.subarray(at, Math.min(page.length, at + local)))
    } catch {
      // A torn or zeroed cell: nothing to read, which is the point of secure_delete.
    }
    cells.push({ source, sourceRank, pageNo, pageType: type, offset, values })
  }
  return cells
}

/**
 * Every cell of every page image in the copy: each page of the main file, then each WAL frame
 * (current and leftover) in frame order.
 */
export function allCells(copy: { db: string; wal: string | null }): Cell[] {
  const db = readFileSync(copy.db)
  const pageSize = pageSizeOf(db)
  const cells: Cell[] = []
  for (let pageNo = 1; pageNo * pageSize <= db.length; pageNo++) cells.push(...cellsOfPage(db.subarray((pageNo - 1) * pageSize, pageNo * pageSize), pageNo, 'db', 0))
  if (copy.wal) for (const frame of walFrames(readFileSync(copy.wal)).frames) cells.push(...cellsOfPage(frame.page, frame.pageNo, 'wal', frame.index + 1))
  return cells
}
