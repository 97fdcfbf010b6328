import { heapGrowth } from '../lib/heap.ts'
import { checkConvergence, LoadRunner, ramp, type Convergence, type RampResult } from '../lib/load.ts'
import type { Summary } from '../lib/stats.ts'
import type { Target } from '../lib/targets.ts'
import type { RampPlan, ScenarioContext } from './context.ts'

/**
 * S2 — many small rooms (500 × 5 in the full run): the per-room and per-connection overhead
 * that one big room hides. Same load levels as S1, spread so each room gets its first editor
 * before any room gets a second. One probe in each of the first rooms.
 */
export interface S2Result {
  rooms: number
  perRoom: number
  join: Summary
  heapPerRoomKB: number
  ramp: RampResult
  convergence: Convergence
}

export async function runS2(target: Target, rooms: number, perRoom: number, ctx: ScenarioContext, rampOptions: RampPlan): Promise<S2Result> {
  ctx.log(`S2 ${target.name}: ${rooms} rooms × ${perRoom} clients`)
  const runner = new LoadRunner(target, undefined, 2)
  const probeRooms = Math.min(rooms, ctx.quick ? 20 : 50)
  const before = await target.server.memory()
  for (let i = 0; i < Math.floor(rooms / 2); i++) await runner.addRoom(perRoom, i < probeRooms ? 1 : 0)
  const first = runner.rooms[0]!
  const verifier = await target.verifier(first.ref)
  try {
    await verifier.whenSynced(10_000)
    await runner.connectAll(48)
    const half = await target.server.memory()
    for (let i = runner.rooms.length; i < rooms; i++) await runner.addRoom(perRoom, i < probeRooms ? 1 : 0)
    await runner.connectAll(48)
    const after = await target.server.memory()
    const memory = heapGrowth(before, half, after, rooms)
    ctx.log(`  heap per room: ${memory.perUnitKB.toFixed(1)} KB over the second half (${memory.wholeKB.toFixed(1)} KB over all, one-off costs included)`)
    const join = runner.joinMs.summary()
    ctx.log(`  ${rooms * perRoom} clients joined: time to synced p50 ${join.p50.toFixed(1)} ms, p99 ${join.p99.toFixed(1)} ms`)
    const result = await ramp(runner, { ...rampOptions, timing: ctx.timing, log: ctx.log })
    const convergence = await checkConvergence(runner, first, verifier)
    ctx.log(`  convergence: ${convergence.detail}`)
    return { rooms, perRoom, join, heapPerRoomKB: memory.perUnitKB, ramp: result, convergence }
  } finally {
    verifier.destroy()
    await runner.closeAll()
  }
}
