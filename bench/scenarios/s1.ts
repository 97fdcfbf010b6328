import { sleep } from '../lib/clock.ts'
import { heapGrowth } from '../lib/heap.ts'
import type { Bot } from '../lib/bot.ts'
import { checkConvergence, LoadRunner, ramp, type Convergence, type RampResult } from '../lib/load.ts'
import { median, type Summary } from '../lib/stats.ts'
import type { Target } from '../lib/targets.ts'
import type { RampPlan, ScenarioContext } from './context.ts'

/**
 * S1 — one room, N clients. Load rises from a trickle (m = 1/32 of the top of the issue's
 * range) by doubling: at m = 1, 30 % of clients edit at 30 Hz and every cursor moves at 30 Hz.
 * The sustained rate is the inbound rate of the highest step that met the SLO.
 */
export interface S1Result {
  clients: number
  join: Summary
  /** The median of the rounds below. */
  heapPerConnectionKB: number
  /** Heap per connection in each round (KB): extra rooms first, the measured room last. */
  heapRoundsKB: number[]
  ramp: RampResult
  convergence: Convergence
}

export async function runS1(target: Target, clients: number, ctx: ScenarioContext, rampOptions: RampPlan, echo = false): Promise<S1Result> {
  ctx.log(`S1${echo ? 'e' : ''} ${target.name}: one room × ${clients} clients${echo ? ', every client echoing awareness like y-websocket’s provider' : ''}`)
  const rounds: number[] = []
  for (let round = 0; round < (ctx.quick || echo ? 0 : EXTRA_HEAP_ROUNDS); round++) {
    const runner = new LoadRunner(target)
    const room = await runner.addRoom(clients, 0)
    try {
      rounds.push(await connectionHeap(target, runner, room.bots, ctx))
    } finally {
      await runner.closeAll()
    }
  }
  const runner = new LoadRunner(target)
  const room = await runner.addRoom(clients, 5)
  for (const bot of room.bots) bot.echoAwareness = echo
  const verifier = await target.verifier(room.ref)
  try {
    await verifier.whenSynced(10_000)
    rounds.push(await connectionHeap(target, runner, room.bots, ctx))
    const join = runner.joinMs.summary()
    ctx.log(`  joined ${clients} in a room: time to synced p50 ${join.p50.toFixed(1)} ms, p99 ${join.p99.toFixed(1)} ms`)
    const result = await ramp(runner, { ...rampOptions, timing: ctx.timing, log: ctx.log })
    const convergence = await checkConvergence(runner, room, verifier)
    ctx.log(`  convergence: ${convergence.detail}`)
    return { clients, join, heapPerConnectionKB: median(rounds), heapRoundsKB: rounds, ramp: result, convergence }
  } finally {
    verifier.destroy()
    await runner.closeAll()
  }
}

/**
 * One room's heap per connection swings by ±0.7 KB between identical runs, for both servers
 * (what the JIT compiles meanwhile, when timers and collections fall): the figure is the median
 * over rooms filled the same way, the extra ones emptied again before the measured room.
 */
const EXTRA_HEAP_ROUNDS = 2

/** Connects `bots` (none open yet) and returns the heap per connection over the second half, in KB. */
async function connectionHeap(target: Target, runner: LoadRunner, bots: readonly Bot[], ctx: ScenarioContext): Promise<number> {
  const before = await target.server.memory()
  await runner.connectAll(24, 30_000, bots.slice(0, Math.floor(bots.length / 2)))
  await sleep(300)
  const half = await target.server.memory()
  await runner.connectAll(24, 30_000, bots)
  await sleep(300)
  const memory = heapGrowth(before, half, await target.server.memory(), bots.length)
  ctx.log(
    `  heap per connection: ${memory.perUnitKB.toFixed(2)} KB over the second half (${memory.perUnitDataKB.toFixed(2)} KB without compiled code; ` +
      `${memory.wholeKB.toFixed(2)} KB over all, one-off costs included)`,
  )
  return memory.perUnitKB
}
