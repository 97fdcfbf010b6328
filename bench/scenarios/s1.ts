import { sleep } from '../lib/clock.ts'
import { heapGrowth } from '../lib/heap.ts'
import { checkConvergence, LoadRunner, ramp, type Convergence, type RampResult } from '../lib/load.ts'
import type { Summary } from '../lib/stats.ts'
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
  heapPerConnectionKB: number
  ramp: RampResult
  convergence: Convergence
}

export async function runS1(target: Target, clients: number, ctx: ScenarioContext, rampOptions: RampPlan, echo = false): Promise<S1Result> {
  ctx.log(`S1${echo ? 'e' : ''} ${target.name}: one room × ${clients} clients${echo ? ', every client echoing awareness like y-websocket’s provider' : ''}`)
  const runner = new LoadRunner(target)
  const room = await runner.addRoom(clients, 5)
  for (const bot of room.bots) bot.echoAwareness = echo
  const verifier = await target.verifier(room.ref)
  try {
    await verifier.whenSynced(10_000)
    const before = await target.server.memory()
    await runner.connectAll(24, 30_000, room.bots.slice(0, Math.floor(clients / 2)))
    await sleep(300)
    const half = await target.server.memory()
    await runner.connectAll()
    await sleep(300)
    const after = await target.server.memory()
    const memory = heapGrowth(before, half, after, clients)
    ctx.log(`  heap per connection: ${memory.perUnitKB.toFixed(1)} KB over the second half (${memory.wholeKB.toFixed(1)} KB over all, one-off costs included)`)
    const join = runner.joinMs.summary()
    ctx.log(`  joined ${clients} in a room: time to synced p50 ${join.p50.toFixed(1)} ms, p99 ${join.p99.toFixed(1)} ms`)
    const result = await ramp(runner, { ...rampOptions, timing: ctx.timing, log: ctx.log })
    const convergence = await checkConvergence(runner, room, verifier)
    ctx.log(`  convergence: ${convergence.detail}`)
    return { clients, join, heapPerConnectionKB: memory.perUnitKB, ramp: result, convergence }
  } finally {
    verifier.destroy()
    await runner.closeAll()
  }
}
