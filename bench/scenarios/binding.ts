import { performance } from 'node:perf_hooks'
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { rng } from '../lib/clock.ts'
import { makeShape, moved, type BenchRecord } from '../lib/records.ts'
import { Samples, type Summary } from '../lib/stats.ts'
import type { ScenarioContext } from './context.ts'

/**
 * The board binding on its own, in this process (no server): how much the doc grows per 10,000
 * moves of one shape, and what applying one remote move costs a client whose board holds 5,000
 * shapes — observer included, since that is where y-utility's YKeyValue spends its time.
 */

export type BindingName = 'KeyValueArray' | 'Y.Map' | 'YKeyValue'
export const BINDINGS: BindingName[] = ['KeyValueArray', 'Y.Map', 'YKeyValue']

interface Binding {
  set(key: string, value: BenchRecord): void
  /** Subscribes a consumer that reads every changed record, as the tldraw binding does. */
  onChange(consumer: (keys: Iterable<string>) => void): void
  get(key: string): BenchRecord | undefined
}

function bind(name: BindingName, doc: Y.Doc): Binding {
  if (name === 'KeyValueArray') {
    const kv = new KeyValueArray<BenchRecord>(doc.getArray('records'))
    return { set: (k, v) => kv.set(k, v), get: (k) => kv.get(k), onChange: (consumer) => kv.observe((change) => consumer(change.updated.keys())) }
  }
  if (name === 'Y.Map') {
    const map = doc.getMap<BenchRecord>('records')
    return { set: (k, v) => map.set(k, v), get: (k) => map.get(k), onChange: (consumer) => map.observe((event) => consumer(event.keysChanged)) }
  }
  const kv = new YKeyValue<BenchRecord>(doc.getArray('records'))
  return {
    set: (k, v) => kv.set(k, v),
    get: (k) => kv.get(k),
    onChange: (consumer) => kv.on('change', (changes: Map<string, unknown>) => consumer(changes.keys())),
  }
}

export type GrowthPattern = 'one shape' | '50 shapes in turn' | 'one shape, two people'
export const GROWTH_PATTERNS: GrowthPattern[] = ['one shape', '50 shapes in turn', 'one shape, two people']

export interface BindingResult {
  name: BindingName
  /** Encoded doc growth for 10,000 moves, bytes, per pattern. */
  growthPer10kMoves: Record<GrowthPattern, number>
  /** Encoded size of the 50-shape board before the moves. */
  baseBytes: number
  /** Time for a client with `shapes` shapes to apply one remote move, observer included (µs). */
  remoteApplyUs: Summary
  shapes: number
}

/**
 * 10,000 moves on a 50-shape board. "one shape": one person drags one shape. "50 shapes in
 * turn": one person moves the shapes round-robin (Y.Map's worst case: its tombstones only merge
 * when one key is overwritten again and again). "one shape, two people": two clients take turns
 * dragging it in 30-move gestures (their deletions interleave and cannot merge).
 */
function growth(name: BindingName, pattern: GrowthPattern, moves: number): { base: number; after: number } {
  const a = new Doc(101)
  const b = new Doc(202)
  const bindA = bind(name, a)
  const bindB = bind(name, b)
  a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update, 'remote'))
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') Y.applyUpdate(a, update, 'remote')
  })
  const random = rng(11)
  a.transact(() => {
    for (let n = 0; n < 50; n++) bindA.set(`shape:${n}`, makeShape(n % 3 === 0 ? 'note' : 'geo', `shape:${n}`, n, random, false))
  })
  const base = Y.encodeStateAsUpdate(a).length
  for (let i = 0; i < moves; i++) {
    const key = pattern === '50 shapes in turn' ? `shape:${i % 50}` : 'shape:0'
    const writer = pattern === 'one shape, two people' && Math.floor(i / 30) % 2 === 1 ? bindB : bindA
    writer.set(key, moved(writer.get(key)!, 1, (i % 7) - 3))
  }
  return { base, after: Y.encodeStateAsUpdate(a).length }
}

function remoteApply(name: BindingName, shapes: number, moves: number): Summary {
  const writer = new Doc(1)
  const reader = new Doc(2)
  const write = bind(name, writer)
  const read = bind(name, reader)
  let touched = 0
  read.onChange((keys) => {
    for (const key of keys) if (read.get(key)) touched += 1
  })
  const random = rng(12)
  writer.transact(() => {
    for (let n = 0; n < shapes; n++) write.set(`shape:${n}`, makeShape(n % 3 === 0 ? 'note' : n % 3 === 1 ? 'geo' : 'draw', `shape:${n}`, n, random, false))
  })
  Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer))
  const updates: Uint8Array[] = []
  writer.on('update', (update: Uint8Array) => updates.push(update))
  for (let i = 0; i < moves; i++) {
    const key = `shape:${Math.floor(random() * shapes)}`
    write.set(key, moved(write.get(key)!, 3, 2))
  }
  const samples = new Samples()
  for (const update of updates) {
    const started = performance.now()
    Y.applyUpdate(reader, update)
    samples.push((performance.now() - started) * 1000)
  }
  if (touched < moves) throw new Error(`${name}: the reader saw ${touched} of ${moves} moves`)
  return samples.summary()
}

class Doc extends Y.Doc {
  constructor(clientId: number) {
    super({ gc: true })
    this.clientID = clientId
  }
}

export function runBinding(ctx: ScenarioContext): BindingResult[] {
  const shapes = 5000
  const moves = ctx.quick ? 300 : 2000
  const results: BindingResult[] = []
  ctx.log(`Binding: doc growth per 10,000 moves of one shape; remote apply of one move at ${shapes} shapes (${moves} moves)`)
  for (const name of BINDINGS) {
    const growthPer10kMoves = {} as Record<GrowthPattern, number>
    let baseBytes = 0
    for (const pattern of GROWTH_PATTERNS) {
      const { base, after } = growth(name, pattern, 10_000)
      growthPer10kMoves[pattern] = after - base
      baseBytes = base
    }
    // Warm the JIT once, then measure.
    remoteApply(name, 500, 50)
    const apply = remoteApply(name, shapes, moves)
    results.push({ name, growthPer10kMoves, baseBytes, remoteApplyUs: apply, shapes })
    const grown = GROWTH_PATTERNS.map((pattern) => `${pattern}: ${growthPer10kMoves[pattern].toLocaleString('en-GB')} B`).join(', ')
    ctx.log(`  ${name.padEnd(13)} growth per 10k moves — ${grown} (board ${baseBytes.toLocaleString('en-GB')} B); remote apply at ${shapes} shapes p50 ${apply.p50.toFixed(0)} µs, p95 ${apply.p95.toFixed(0)} µs, p99 ${apply.p99.toFixed(0)} µs`)
  }
  return results
}
