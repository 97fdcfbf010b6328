import * as encoding from 'lib0/encoding'
import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { baseRecords, type BoardRecord } from '../../shared/boardRecords.ts'
import { BoardRoot, DocName } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { defaultLimits } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import { createBoardGuard } from '../../server/rooms/boardGuard.ts'
import { SharedDoc } from '../../server/rooms/SharedDoc.ts'
import type { SocketLike } from '../../server/rooms/SocketLike.ts'
import { rng } from '../lib/clock.ts'
import { makeShape } from '../lib/records.ts'
import type { ScenarioContext } from './context.ts'

/**
 * Issue 12 item 5: the longest the event loop is held by one hostile frame. The server handles a
 * frame synchronously from parse to refusal (or apply), so the time `SharedDoc.receive` takes is
 * the stall everyone else on the server feels. Run in this process against a real SharedDoc with
 * the real board guard and default limits, on a board of `shapes` shapes; each frame on a fresh
 * socket of a fresh participant (so per-token byte budgets do not hide the cost), several times,
 * keeping the worst. docs/security.md publishes the figure.
 */

export interface HostileRow {
  frame: string
  bytes: number
  /** Close code the socket got, or 'accepted'. */
  outcome: string
  /** Longest wall time of one frame's handling (includes waiting for a CPU on a busy machine). */
  worstMs: number
  /** CPU time of that handling (all of this process's threads, so GC helpers count too). */
  worstCpuMs: number
  /** Median wall time over the repeats: the worst often holds a one-off (a GC, the first size measure). */
  medianMs: number
}

export interface HostileResult {
  shapes: number
  rows: HostileRow[]
  worstMs: number
  worstCpuMs: number
}

const varUint = (value: number): number[] => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, value)
  return [...encoding.toUint8Array(encoder)]
}

function frame(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 0)
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}
const step1 = (payload: Uint8Array) => frame(0, payload)
const step2 = (payload: Uint8Array) => frame(1, payload)
const update = (payload: Uint8Array) => frame(2, payload)

/** A socket that records how it was closed and never reads (bufferedAmount grows). */
function socket(): SocketLike & { closedWith: number | null } {
  const s = {
    bufferedAmount: 0,
    closedWith: null as number | null,
    send: (data: Uint8Array) => void (s.bufferedAmount += data.length),
    close: (code: number) => void (s.closedWith = code),
    ping: () => undefined,
  }
  return s
}

function craft(base: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const before = Y.encodeStateVector(doc)
  change(doc)
  return Y.encodeStateAsUpdate(doc, before)
}

export function runHostile(ctx: ScenarioContext): HostileResult {
  const shapes = ctx.quick ? 1000 : 5000
  const repeats = ctx.quick ? 2 : 5
  const limits = defaultLimits
  let records: KeyValueArray<BoardRecord> | null = null
  const shared: SharedDoc = new SharedDoc({
    name: DocName.board,
    readOnly: false,
    log: silentLogger,
    workshopId: 'bench',
    messagesPerSecond: limits.messagesPerSecond,
    checkContent: createBoardGuard((): KeyValueArray<BoardRecord> => (records ??= new KeyValueArray<BoardRecord>(shared.doc.getArray(BoardRoot.records))), {
      maxRecordBytes: limits.maxBoardRecordBytes,
      maxRecordDepth: limits.maxBoardRecordDepth,
      foreignDeletesPerMinute: limits.foreignDeletesPerMinute,
      boardBytesPerParticipant: limits.boardBytesPerParticipant,
    }),
    maxDocBytes: limits.maxBoardBytes,
    maxPresenceBytes: limits.maxPresenceBytes,
    inbound: { bytesPerSecond: limits.inboundBytesPerSecond, burstBytes: limits.maxFrameBytes },
    maxUpdateParts: limits.maxUpdateParts,
  }, { persistClientUpdate: () => undefined, acceptsWrites: () => true })
  const seed = new Y.Doc()
  const random = rng(7)
  const seeded = new KeyValueArray<Record<string, unknown>>(seed.getArray(BoardRoot.records))
  seed.transact(() => {
    for (const record of baseRecords()) seeded.set(record.id, record as unknown as Record<string, unknown>)
    for (let n = 0; n < shapes; n++) seeded.set(`shape:seed-${n}`, makeShape(n % 3 === 0 ? 'note' : n % 3 === 1 ? 'geo' : 'draw', `shape:seed-${n}`, n, random, false) as unknown as Record<string, unknown>)
  })
  shared.load([Y.encodeStateAsUpdate(seed)])

  const gcHeader = [...varUint(1), ...varUint(1_000_000), ...varUint(99_001), ...varUint(0)]
  const gcFlood = new Uint8Array(gcHeader.length + 2_000_000 + 1)
  gcFlood.set(gcHeader)
  for (let i = gcHeader.length; i < gcFlood.length - 1; i += 2) gcFlood[i + 1] = 1
  const mapFlood = craft(seed, (doc) => {
    const junk = doc.getMap('junk')
    for (let i = 0; i < 100_000; i++) junk.set(`k${i}`, i)
  })
  let batch = 0
  const manyShapes = (count: number) => {
    const prefix = `shape:flood-${batch++}-`
    return craft(seed, (doc) => {
      const kv = new KeyValueArray<Record<string, unknown>>(doc.getArray(BoardRoot.records))
      doc.transact(() => {
        for (let n = 0; n < count; n++) kv.set(`${prefix}${n}`, makeShape('geo', `${prefix}${n}`, n, random, false) as unknown as Record<string, unknown>)
      })
    })
  }
  const bigRecord = craft(seed, (doc) =>
    new KeyValueArray<Record<string, unknown>>(doc.getArray(BoardRoot.records)).set('shape:big', {
      ...(makeShape('geo', 'shape:big', 1, random, false) as unknown as Record<string, unknown>),
      meta: { blob: 'x'.repeat(500 * 1024) },
    }),
  )
  const deep = Uint8Array.from([...varUint(1), ...varUint(1), ...varUint(99_002), ...varUint(0), 8 | 0x20, 1, ...varUint(3), ...Buffer.from('abc'), 0, ...varUint(1), ...Array(100_000).fill([0x75, 0x01]).flat(), 0x7e, 0])
  const vector = Uint8Array.from([...varUint(1), ...varUint(123_456), ...varUint(0)])

  const cases: { name: string; frames: () => Uint8Array[] }[] = [
    { name: 'GC flood, live update: 1,000,000 structs', frames: () => [update(gcFlood)] },
    { name: 'GC flood in the handshake (step 2)', frames: () => [step2(gcFlood)] },
    { name: '100,000 tiny map writes', frames: () => [update(mapFlood)] },
    { name: '3,000 valid shapes at once (over one person’s share)', frames: () => [update(manyShapes(3000))] },
    { name: '1,000 valid shapes at once (within the share)', frames: () => [update(manyShapes(1000))] },
    { name: '100 valid shapes at once', frames: () => [update(manyShapes(100))] },
    { name: 'one 500 KB record', frames: () => [update(bigRecord)] },
    { name: 'a value nested 100,000 levels deep', frames: () => [update(deep)] },
    { name: `sync step 1 with a state vector (board of ${shapes} shapes)`, frames: () => [step1(vector)] },
    { name: 'sync step 1 four times from one token', frames: () => [step1(vector), step1(vector), step1(vector), step1(vector)] },
  ]
  const rows: HostileRow[] = []
  let actor = 0
  for (const { name, frames: make } of cases) {
    let worstMs = 0
    let worstCpuMs = 0
    const walls: number[] = []
    let outcome = 'accepted'
    let bytes = 0
    for (let r = 0; r < repeats; r++) {
      const frames = make()
      bytes = frames.reduce((sum, data) => sum + data.length, 0)
      const s = socket()
      const connection = shared.connect(s, `participant:bench-${actor++}`)
      for (const data of frames) {
        const cpu = process.cpuUsage()
        const started = performance.now()
        shared.receive(connection, data)
        const wall = performance.now() - started
        walls.push(wall)
        worstMs = Math.max(worstMs, wall)
        const used = process.cpuUsage(cpu)
        worstCpuMs = Math.max(worstCpuMs, (used.user + used.system) / 1000)
      }
      outcome = s.closedWith === null ? 'accepted' : String(s.closedWith)
      shared.disconnect(connection)
    }
    const medianMs = walls.sort((a, b) => a - b)[Math.floor(walls.length / 2)]!
    rows.push({ frame: name, bytes, outcome, worstMs, worstCpuMs, medianMs })
    ctx.log(`  ${name.padEnd(58)} ${bytes.toLocaleString('en-GB').padStart(10)} B  ${outcome.padEnd(8)} median ${medianMs.toFixed(1)} ms, worst ${worstMs.toFixed(1)} ms (CPU ${worstCpuMs.toFixed(1)} ms)`)
  }
  shared.closeAll(1001, 'bench over')
  return { shapes, rows, worstMs: Math.max(...rows.map((row) => row.worstMs)), worstCpuMs: Math.max(...rows.map((row) => row.worstCpuMs)) }
}
