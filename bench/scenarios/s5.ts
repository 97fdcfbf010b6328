import { nowMs, sleep } from '../lib/clock.ts'
import { steadyMix } from '../lib/editor.ts'
import { checkConvergence, LoadRunner, mapLimit, type Convergence, type Level, type StepResult } from '../lib/load.ts'
import type { MemorySample } from '../lib/proc.ts'
import type { Target } from '../lib/targets.ts'
import type { ScenarioContext } from './context.ts'

/**
 * S5 — soak with reconnect churn. Rooms under steady load (10 % editing at 30 Hz with drags and
 * typing only, so the board does not grow; cursors at 10 Hz) while 2 % of the viewers drop and
 * reconnect every second. Heap (after a full GC, with the load paused) is sampled after every
 * chunk; at the end it must be back within ±10 % of the baseline taken after warm-up.
 */
export interface S5Result {
  minutes: number
  clients: number
  reconnects: number
  reconnectFailures: number
  baseline: MemorySample
  end: MemorySample
  /** End heap relative to the baseline (0.05 = 5 % above). */
  heapChange: number
  /** Heap with every socket gone and rooms unloaded, relative to the empty server at the start. */
  emptyChange: number
  samples: { minute: number; heapMB: number; rssMB: number; docP99: number; presenceP99: number; withinSlo: boolean }[]
  chunks: StepResult[]
  convergence: Convergence
}

const SOAK_LEVEL: Level = { m: NaN, editFraction: 0.1, editHz: 30, cursorHz: 10 }

export async function runS5(target: Target, options: { rooms: number; perRoom: number; minutes: number; chunkSec: number }, ctx: ScenarioContext): Promise<S5Result> {
  const { rooms, perRoom, minutes, chunkSec } = options
  ctx.log(`S5 ${target.name}: soak ${minutes} min, ${rooms} rooms × ${perRoom} clients, 2 % reconnecting every second`)
  // "Empty" is measured after one room has been used and unloaded, so modules and caches that
  // load on first use (tldraw's schema, prepared statements) count as baseline, not as a leak.
  const warm = new LoadRunner(target, steadyMix, 55)
  await warm.addRoom(5, 1)
  await warm.connectAll()
  await warm.runStep(SOAK_LEVEL, { warmupMs: 500, measureMs: 1500, drainMaxMs: 1500 })
  await warm.closeAll()
  await sleep(4000)
  const empty = await target.server.memory()
  const runner = new LoadRunner(target, steadyMix, 5)
  for (let i = 0; i < rooms; i++) await runner.addRoom(perRoom, 2)
  const verifier = await target.verifier(runner.rooms[0]!.ref)
  let verifierOpen = true
  const closeVerifier = () => {
    if (verifierOpen) verifier.destroy()
    verifierOpen = false
  }
  await verifier.whenSynced(10_000)
  await runner.connectAll()
  const chunks: StepResult[] = []
  const samples: S5Result['samples'] = []
  let reconnects = 0
  let reconnectFailures = 0
  const viewers = runner.bots.filter((bot) => !bot.probe)
  const churn = async (seconds: number) => {
    const until = nowMs() + seconds * 1000
    while (nowMs() < until - 1000) {
      const tick = sleep(1000)
      const editing = new Set(runner.bots.filter((bot) => bot.editPeriodMs > 0))
      const candidates = viewers.filter((bot) => !editing.has(bot) && bot.open)
      const chosen = candidates.sort(() => Math.random() - 0.5).slice(0, Math.max(1, Math.round(runner.bots.length * 0.02)))
      await mapLimit(chosen, 16, async (bot) => {
        await bot.close()
        bot.presenceClock += 2
        try {
          await bot.connect(20_000)
          reconnects += 1
        } catch {
          reconnectFailures += 1
        }
      })
      await tick
    }
  }
  const chunk = () =>
    runner.runStep(SOAK_LEVEL, { warmupMs: 1000, measureMs: chunkSec * 1000, drainMaxMs: 3000 }, { duringWindow: () => churn(chunkSec) })

  try {
    // Warm-up chunk, then the baseline.
    chunks.push(await chunk())
    const baseline = await target.server.memory()
    const started = nowMs()
    while (nowMs() - started < minutes * 60_000) {
      const result = await chunk()
      chunks.push(result)
      const memory = await target.server.memory()
      const minute = (nowMs() - started) / 60_000
      samples.push({ minute, heapMB: memory.heapUsed / 1e6, rssMB: memory.rss / 1e6, docP99: result.doc.p99, presenceP99: result.presence.p99, withinSlo: result.withinSlo })
      ctx.log(
        `  ${minute.toFixed(1)} min: heap ${(memory.heapUsed / 1e6).toFixed(1)} MB (baseline ${(baseline.heapUsed / 1e6).toFixed(1)}), rss ${(memory.rss / 1e6).toFixed(0)} MB, ` +
          `doc p99 ${result.doc.p99.toFixed(0)} ms, presence p99 ${result.presence.p99.toFixed(0)} ms, ${reconnects} reconnects${result.withinSlo ? '' : ` — ${result.why.join('; ')}`}`,
      )
    }
    // Everyone who churned is back; nothing in flight.
    await runner.reconnectDropped()
    await sleep(1000)
    const end = await target.server.memory()
    const convergence = await checkConvergence(runner, runner.rooms[0]!, verifier)
    closeVerifier()
    await runner.closeAll()
    // Rooms unload once empty (2 s grace in the bench config for Parity).
    await sleep(4000)
    const emptyAgain = await target.server.memory()
    const heapChange = end.heapUsed / baseline.heapUsed - 1
    const emptyChange = emptyAgain.heapUsed / empty.heapUsed - 1
    ctx.log(
      `  end heap ${(end.heapUsed / 1e6).toFixed(1)} MB = ${(heapChange * 100).toFixed(1)} % vs baseline; ` +
        `after everyone left ${(emptyAgain.heapUsed / 1e6).toFixed(1)} MB = ${(emptyChange * 100).toFixed(1)} % vs the empty server; convergence: ${convergence.detail}`,
    )
    return { minutes, clients: runner.bots.length, reconnects, reconnectFailures, baseline, end, heapChange, emptyChange, samples, chunks, convergence }
  } finally {
    closeVerifier()
    await runner.closeAll()
  }
}
