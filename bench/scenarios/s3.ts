import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { Bot } from '../lib/bot.ts'
import { nowMs, sleep, waitFor } from '../lib/clock.ts'
import { seedBoard } from '../lib/editor.ts'
import { checkConvergence, LoadRunner, mapLimit, waitCalm, type Convergence, type Level, type RoomState, type StepResult } from '../lib/load.ts'
import { Samples, type Summary } from '../lib/stats.ts'
import type { Target } from '../lib/targets.ts'
import { encodeSync, SYNC_UPDATE } from '../lib/wire.ts'
import type { ScenarioContext } from './context.ts'

/**
 * S3 — join storm: `joins` clients join over `overSec` seconds a board of `shapes` shapes
 * (~2.7 MB at 5,000) while `active` clients keep editing and moving. Measures time to synced
 * for the joiners and whether the active clients stay within the SLO meanwhile.
 */
export interface S3Result {
  shapes: number
  boardBytes: number
  active: number
  joins: number
  overSec: number
  join: Summary
  joinFailures: number
  active_: StepResult
  convergence: Convergence
}

/** Active clients in the storm: 20 % editing at 30 Hz, every cursor at 10 Hz. */
const STORM_LEVEL: Level = { m: NaN, editFraction: 0.2, editHz: 30, cursorHz: 10 }
const SEED_CLIENT = 7_000_000

export interface Seeded {
  bytes: number
  /** Yjs clock each seeding client reached (a converged replica has at least these). */
  clocks: Map<number, number>
  /** Closes the seeding sockets. Hocuspocus drops a doc (and, unpersisted, its content) once nobody is connected. */
  release(): Promise<void>
}

/**
 * Writes a pre-built board of `shapes` shapes into a room, 1,000 shapes per seeding client (each
 * its own participant: Parity budgets inbound bytes per participant, 2 MB burst, 512 KB/s), and
 * waits until a fresh client sees all of it.
 */
export async function seedRoom(target: Target, runner: LoadRunner, room: RoomState, shapes: number, perUpdate = 250): Promise<Seeded> {
  const seeders: Bot[] = []
  const clocks = new Map<number, number>()
  let bytes = 0
  const perSeeder = 1000
  for (let first = 0, k = 0; first < shapes; first += perSeeder, k++) {
    const clientId = SEED_CLIENT + room.index * 100 + k
    const seed = seedBoard(Math.min(perSeeder, shapes - first), clientId, perUpdate, first)
    const endpoint = await target.endpoint(room.ref)
    const seeder = new Bot(clientId, endpoint, room.index, null, runner.window)
    await seeder.connect(60_000, false)
    seeders.push(seeder)
    seeder.enqueue(seed.updates.map((update) => ({ frame: endpoint.framing.wrap(encodeSync(SYNC_UPDATE, update)), markerAt: -1, endClock: 0 })))
    while (seeder.sendUpdate(0)) await sleep(5)
    clocks.set(clientId, Y.getState(seed.doc.store, clientId))
    bytes += Y.encodeStateAsUpdate(seed.doc).length
  }
  const release = async () => {
    await Promise.all(seeders.map((seeder) => seeder.close()))
  }
  const check = await target.verifier(room.ref)
  try {
    await check.whenSynced(60_000)
    const ok = await waitFor(() => [...clocks].every(([client, clock]) => Y.getState(check.doc.store, client) >= clock), 60_000, 100)
    if (!ok) {
      const closed = seeders.filter((seeder) => !seeder.open).map((seeder) => seeder.lastCloseCode)
      throw new Error(`seeding ${shapes} shapes did not reach the server${closed.length > 0 ? ` (seeders closed with ${closed.join(', ')})` : ''}`)
    }
  } catch (error) {
    await release()
    throw error
  } finally {
    check.destroy()
  }
  return { bytes, clocks, release }
}

export async function runS3(target: Target, options: { shapes: number; active: number; joins: number; overSec: number; joinTimeoutMs: number }, ctx: ScenarioContext): Promise<S3Result> {
  const { shapes, active, joins, overSec } = options
  ctx.log(`S3 ${target.name}: ${joins} joins in ${overSec} s into a ${shapes}-shape board with ${active} active clients`)
  const runner = new LoadRunner(target, undefined, 3)
  const room = await runner.addRoom(active, 5)
  const seeded = await seedRoom(target, runner, room, shapes)
  ctx.log(`  seeded ${shapes} shapes (${(seeded.bytes / 1e6).toFixed(2)} MB encoded, ${seeded.clocks.size} seeding clients)`)
  const verifier = await target.verifier(room.ref)
  const joiners: Bot[] = []
  try {
    await verifier.whenSynced(60_000)
    await runner.connectAll(8, 60_000)
    const endpoints = await mapLimit(Array.from({ length: joins }), 16, () => target.endpoint(room.ref))
    for (const endpoint of endpoints) joiners.push(new Bot(runner.newClientId(), endpoint, room.index, null, runner.window))

    const joinMs = new Samples()
    let failures = 0
    const storm = async () => {
      const start = nowMs()
      const pending: Promise<void>[] = []
      for (let i = 0; i < joiners.length; i++) {
        const due = start + (i * overSec * 1000) / joiners.length
        const wait = due - nowMs()
        if (wait > 0) await sleep(wait)
        const bot = joiners[i]!
        pending.push(
          bot.connect(options.joinTimeoutMs).then(
            (ms) => joinMs.push(ms),
            () => {
              failures += 1
            },
          ),
        )
      }
      await Promise.all(pending)
    }
    await waitCalm(target, ctx.quick ? 3000 : 30_000)
    const step = await runner.runStep(STORM_LEVEL, { warmupMs: ctx.timing.warmupMs, measureMs: overSec * 1000 + 1000, drainMaxMs: ctx.timing.drainMaxMs + 2000 }, { duringWindow: storm })
    const join = joinMs.summary()
    ctx.log(
      `  joins: p50 ${join.p50.toFixed(0)} ms, p95 ${join.p95.toFixed(0)} ms, p99 ${join.p99.toFixed(0)} ms, max ${join.max.toFixed(0)} ms, ${failures} failed | ` +
        `active clients: doc p99 ${step.doc.p99.toFixed(0)} ms, presence p99 ${step.presence.p99.toFixed(0)} ms, delivered ${(step.docDelivered * 100).toFixed(2)}%, ` +
        `server ${Math.round(step.serverCpu * 100)}% loadgen ${Math.round(step.loadgenCpu * 100)}% other ${Math.round(step.foreignCpu * 100)}% | ${step.withinSlo ? 'within SLO' : step.why.join('; ')}`,
    )
    const convergence = await checkConvergence(runner, room, verifier, seeded.clocks)
    const records = new KeyValueArray<unknown>(verifier.doc.getArray(BoardRoot.records)).size
    ctx.log(`  convergence: ${convergence.detail}; board has ${records} records`)
    return { shapes, boardBytes: seeded.bytes, active, joins, overSec, join, joinFailures: failures, active_: step, convergence }
  } finally {
    verifier.destroy()
    await mapLimit(joiners, 64, (bot) => bot.close())
    await runner.closeAll()
    await seeded.release()
  }
}
