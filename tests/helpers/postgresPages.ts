import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import type { Cell } from './sqlitePages.ts'

/**
 * Reads a PostgreSQL cluster the way a superuser or someone with a copy of PGDATA would, and
 * turns what they see into the `Cell`s that tests/helpers/pairingAttack.ts ranks by physical age
 * (smaller `sourceRank`, then `pageNo`, then larger `offset` is older):
 * - SQL: every row's `ctid` (heap block and line pointer: later inserts get later pointers) and
 *   `xmin` (the inserting transaction: ids are handed out in commit-start order);
 * - the heap and index files under base/<database oid>/, byte by byte: every copy of a marker,
 *   dead or alive or left in free space (a page fills from its end, so a lower offset is newer);
 * - the WAL segments under pg_wal/, record by record: record order is write order, and each
 *   record carries the id of the transaction that wrote it.
 * Cells only ever hold marker strings (participant ids, token hashes, contribution markers):
 * the attack looks for nothing else.
 *
 * `transactions` are one pseudo-cell per transaction id holding every marker it wrote (from
 * xmin/xmax and WAL records): a participant and their own contribution in one is a direct link.
 */

export interface PostgresView {
  /** Cells to rank, tagged by kind of evidence through `pageNo` ranges (see GROUP). */
  cells: Cell[]
  /** One cell per transaction id: for the colocation check only, not for ranking. */
  transactions: Cell[]
}

const PAGE = 8192
const GROUP = { ctid: 1_000_000, xmin: 2_000_000, heap: 3_000_000, wal: 4_000_000 }

const cell = (pageNo: number, sourceRank: number, offset: number, values: string[]): Cell => ({ source: 'db', sourceRank, pageNo, pageType: 0, offset, values })

/** Every occurrence of each marker in `bytes`: [offset, marker]. */
function occurrences(bytes: Buffer, needles: ReadonlyMap<string, Buffer>): [number, string][] {
  const found: [number, string][] = []
  for (const [marker, needle] of needles) for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) found.push([at, marker])
  return found
}

/** What SQL shows a superuser: ctid and xmin/xmax of every live row of every table. */
async function sqlView(client: pg.Client, markers: ReadonlySet<string>, transactions: Map<string, Set<string>>): Promise<Cell[]> {
  const tables = (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).rows.map((row) => row.name)
  const cells: Cell[] = []
  for (const [index, table] of tables.entries()) {
    const rows = (await client.query<{ ctid: string; xmin: string; xmax: string; row: Record<string, unknown> }>(`SELECT ctid::text, xmin::text, xmax::text, to_jsonb(t) AS row FROM "${table}" t`)).rows
    for (const row of rows) {
      const values = Object.values(row.row).filter((value): value is string => typeof value === 'string' && markers.has(value))
      if (values.length === 0) continue
      const [block, line] = row.ctid.slice(1, -1).split(',').map(Number) as [number, number]
      cells.push(cell(GROUP.ctid + index * 10_000 + block, 0, -line, values))
      cells.push(cell(GROUP.xmin + index, Number(row.xmin), 0, values))
      for (const xid of [row.xmin, row.xmax]) if (xid !== '0') transactions.set(xid, new Set([...(transactions.get(xid) ?? []), ...values]))
    }
  }
  return cells
}

/** Every marker in every page of every relation file of the database, where it lies. */
function heapView(dir: string, needles: ReadonlyMap<string, Buffer>): Cell[] {
  const cells: Cell[] = []
  let pageId = GROUP.heap
  for (const name of readdirSync(dir).filter((file) => /^\d+(\.\d+)?$/.test(file)).sort()) {
    const bytes = readFileSync(join(dir, name))
    for (let start = 0; start < bytes.length; start += PAGE, pageId++) {
      for (const [offset, marker] of occurrences(bytes.subarray(start, start + PAGE), needles)) cells.push(cell(pageId, 0, offset, [marker]))
    }
  }
  return cells
}

interface WalRecord {
  start: number
  xid: number
}

/**
 * The WAL segments in order, page headers removed (records run across pages and segments), and
 * the records found in them. Stops a segment's chain where a record length makes no sense (the
 * zeroed end of the current segment, or the padding after a WAL switch) and resumes at the next
 * segment file. Everything is searched for markers, parsed or not.
 */
function walStream(walDir: string): { stream: Buffer; records: WalRecord[] } {
  const segments = readdirSync(walDir).filter((name) => /^[0-9A-F]{24}$/.test(name)).sort()
  const chunks: Buffer[] = []
  const segmentStarts: number[] = []
  const contSkip: number[] = []
  let length = 0
  for (const name of segments) {
    const raw = readFileSync(join(walDir, name))
    segmentStarts.push(length)
    contSkip.push(0)
    for (let page = 0; page + PAGE <= raw.length; page += PAGE) {
      const info = raw.readUInt16LE(page + 2)
      const header = info & 0x0002 ? 40 : 24
      if (page === 0 && info & 0x0001) contSkip[contSkip.length - 1] = (raw.readUInt32LE(page + 16) + 7) & ~7
      const payload = raw.subarray(page + header, page + PAGE)
      chunks.push(payload)
      length += payload.length
    }
  }
  const stream = Buffer.concat(chunks)
  const records: WalRecord[] = []
  segmentStarts.forEach((segmentStart, index) => {
    const end = segmentStarts[index + 1] ?? stream.length
    let at = segmentStart + contSkip[index]!
    // Records started here may run into the next segment, whose own pass skips their tail.
    while (at < end && at + 24 <= stream.length) {
      const total = stream.readUInt32LE(at)
      if (total < 24 || at + total > stream.length) break
      records.push({ start: at, xid: stream.readUInt32LE(at + 4) })
      at += (total + 7) & ~7
    }
  })
  records.sort((a, b) => a.start - b.start)
  return { stream, records }
}

function walView(walDir: string, needles: ReadonlyMap<string, Buffer>, transactions: Map<string, Set<string>>): Cell[] {
  const { stream, records } = walStream(walDir)
  const cells: Cell[] = []
  const recordAt = (position: number): number => {
    let low = 0
    let high = records.length - 1
    let found = -1
    while (low <= high) {
      const middle = (low + high) >> 1
      if (records[middle]!.start <= position) {
        found = middle
        low = middle + 1
      } else high = middle - 1
    }
    return found
  }
  for (const [position, marker] of occurrences(stream, needles)) {
    const index = recordAt(position)
    const record = records[index]
    // Record order is write order; inside a record (a full-page image) a lower offset is newer.
    cells.push(cell(GROUP.wal, 1 + index, position - (record?.start ?? 0), [marker]))
    if (record && record.xid !== 0) transactions.set(String(record.xid), new Set([...(transactions.get(String(record.xid)) ?? []), marker]))
  }
  return cells
}

/** Everything a superuser (SQL) and a reader of PGDATA (heap files, WAL) see of these markers now. */
export async function readPostgres(url: string, dataDir: string, markers: ReadonlySet<string>): Promise<PostgresView> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const transactions = new Map<string, Set<string>>()
    const needles = new Map([...markers].map((marker) => [marker, Buffer.from(marker, 'utf8')]))
    const oid = (await client.query<{ oid: string }>('SELECT oid::text FROM pg_database WHERE datname = current_database()')).rows[0]!.oid
    const cells = await sqlView(client, markers, transactions)
    const base = join(dataDir, 'base', oid)
    if (existsSync(base)) cells.push(...heapView(base, needles))
    cells.push(...walView(join(dataDir, 'pg_wal'), needles, transactions))
    return { cells, transactions: [...transactions.entries()].map(([xid, values]) => cell(0, Number(xid), 0, [...values])) }
  } finally {
    await client.end()
  }
}

/** Which kind of evidence an attack group key (`p<pageNo>:…`) comes from. */
export function evidenceOf(groupKey: string): keyof typeof GROUP {
  const pageNo = Number(/^p(\d+)/.exec(groupKey)?.[1] ?? 0)
  return pageNo >= GROUP.wal ? 'wal' : pageNo >= GROUP.heap ? 'heap' : pageNo >= GROUP.xmin ? 'xmin' : 'ctid'
}
