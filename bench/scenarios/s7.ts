import { checkConvergence, describeStep, levelAt, LoadRunner, machineBusy, waitCalm, waitServerIdle, type Convergence, type StepResult } from '../lib/load.ts'
import type { Target } from '../lib/targets.ts'
import type { ScenarioContext } from './context.ts'

/**
 * S7 — small rooms feel instant. Rooms of 5, 15 and 30 people at normal load (m = 1/4: 7.5 %
 * of people editing at 30 Hz, every cursor at 7.5 Hz), about 150 clients in all for each size.
 * What people feel is latency, not throughput: the target is doc p50 ≤ 5 ms and p99 ≤ 30 ms.
 */
export const S7_TARGET = { docP50Ms: 5, docP99Ms: 30 } as const
export const S7_LEVEL = 1 / 4

export interface S7Size {
  perRoom: number
  rooms: number
  step: StepResult
  /** The step ran while other processes held the CPU: its latency says nothing about the server. */
  busy: boolean
  meetsTarget: boolean
  convergence: Convergence
}

export interface S7Result {
  sizes: S7Size[]
}

export async function runS7(target: Target, ctx: ScenarioContext, plan: { sizes: number[]; clientsPerSize: number }): Promise<S7Result> {
  const sizes: S7Size[] = []
  for (const perRoom of plan.sizes) {
    const rooms = Math.max(1, Math.round(plan.clientsPerSize / perRoom))
    ctx.log(`S7 ${target.name}: ${rooms} rooms × ${perRoom} clients at m = ${S7_LEVEL}`)
    const runner = new LoadRunner(target, undefined, 2)
    for (let i = 0; i < rooms; i++) await runner.addRoom(perRoom, 1)
    const first = runner.rooms[0]!
    const verifier = await target.verifier(first.ref)
    try {
      await verifier.whenSynced(10_000)
      await runner.connectAll(24)
      await waitCalm(target, ctx.quick ? 3000 : 20_000)
      let step = await runner.runStep(levelAt(S7_LEVEL), ctx.timing)
      ctx.log(describeStep(target.name, step))
      if (machineBusy(step) || !step.valid) {
        await waitServerIdle(target, 8000)
        await waitCalm(target, ctx.quick ? 3000 : 20_000)
        step = await runner.runStep(levelAt(S7_LEVEL), ctx.timing)
        ctx.log(describeStep(target.name, step) + ' (re-run)')
      }
      const convergence = await checkConvergence(runner, first, verifier)
      const meetsTarget = step.valid && step.doc.count > 0 && step.doc.p50 <= S7_TARGET.docP50Ms && step.doc.p99 <= S7_TARGET.docP99Ms
      sizes.push({ perRoom, rooms, step, busy: machineBusy(step), meetsTarget, convergence })
    } finally {
      verifier.destroy()
      await runner.closeAll()
    }
  }
  return { sizes }
}
