import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, release, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { resetEpoch } from './lib/clock.ts'
import type { StepTiming } from './lib/load.ts'
import { LOADGEN_CORE, pinSelf, SERVER_CORE, setBenchNice } from './lib/proc.ts'
import { renderReport, type RunResults } from './lib/report.ts'
import { ensureNode22, startTarget, TARGET_LABELS, type Target, type TargetName } from './lib/targets.ts'
import { runBinding } from './scenarios/binding.ts'
import { runHostile } from './scenarios/hostile.ts'
import { fullTiming, quickTiming, type ScenarioContext } from './scenarios/context.ts'
import { runS1 } from './scenarios/s1.ts'
import { runS2 } from './scenarios/s2.ts'
import { runS3 } from './scenarios/s3.ts'
import { runS4 } from './scenarios/s4.ts'
import { runS5 } from './scenarios/s5.ts'
import { runS6 } from './scenarios/s6.ts'
import { runS7 } from './scenarios/s7.ts'
import { runDevice } from './scenarios/device.ts'

/**
 * `npm run bench` (about an hour, 30 minutes of it the soak) and `npm run bench:quick` (about two
 * minutes on a calm machine). Each server runs as a child process pinned to core 0; this
 * process — the load generator — pins itself to core 1. Every scenario gets a fresh server.
 * Options:
 *   --quick                 short version of everything
 *   --only=s1,s3,binding    run some scenarios only (s1 s1e s2 s3 s4 s5 s6 s7 device binding hostile)
 *   --targets=parity,hocuspocus
 *   --soak-minutes=N        length of S5 (default 30, quick 0.05)
 *   --s1-clients=200,300    room sizes for S1
 *   --join-runs=N           fresh phones timed in the device scenario (default 5, quick 1; 0: board only)
 *   --nice=N                run the servers and the load generator at this niceness (e.g. -5 on a
 *                           shared machine; needs root for negative values)
 */

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const only = new Set((option('only') ?? 's1,s1e,s2,s3,s4,s5,s6,s7,device,binding,hostile').split(','))
const targets = (option('targets') ?? 'parity,y-websocket,hocuspocus').split(',') as TargetName[]

const QUICK_BUDGET_MS = 5 * 60_000
const RESERVE_MS = 25_000
const started = Date.now()
const deadline = started + QUICK_BUDGET_MS - RESERVE_MS

const plan = quick
  ? {
      timing: quickTiming,
      s1: { clients: [200], start: 1 / 16, max: 1 / 4, bisect: 0, retries: 1, idleWaitMs: 3000, deadline },
      s1e: null,
      s2: { rooms: 40, perRoom: 5, start: 1 / 16, max: 1 / 16, bisect: 0, retries: 1, idleWaitMs: 3000, deadline },
      s3: { shapes: 2000, active: 50, joins: 20, overSec: 1, joinTimeoutMs: 10_000 },
      s4: { rooms: 8, shapes: 200, edits: 100 },
      s5: { rooms: 2, perRoom: 30, minutes: Number(option('soak-minutes') ?? 0.05), chunkSec: 3 },
      s6: { participants: 50, spreadSec: 2 },
      s7: { sizes: [5, 30], clientsPerSize: 60 },
      device: { cards: 90, cursors: 10, draggers: 2, seconds: 3, joinRuns: Number(option('join-runs') ?? 1) },
    }
  : {
      timing: fullTiming,
      s1: { clients: [200, 300], start: 1 / 32, max: 2, bisect: 2, retries: 3, idleWaitMs: 45_000 },
      s1e: { clients: 100, start: 1 / 32, max: 1, bisect: 1, retries: 3, idleWaitMs: 45_000 },
      s2: { rooms: 500, perRoom: 5, start: 1 / 64, max: 1, bisect: 2, retries: 3, idleWaitMs: 45_000 },
      s3: { shapes: 5000, active: 50, joins: 300, overSec: 10, joinTimeoutMs: 30_000 },
      s4: { rooms: 300, shapes: 200, edits: 300 },
      s5: { rooms: 4, perRoom: 50, minutes: Number(option('soak-minutes') ?? 30), chunkSec: 60 },
      s6: { participants: 100, spreadSec: 10 },
      s7: { sizes: [5, 15, 30], clientsPerSize: 150 },
      device: { cards: 300, cursors: 30, draggers: 5, seconds: 10, joinRuns: Number(option('join-runs') ?? 5) },
    }

const log = (line: string) => process.stdout.write(`${line}\n`)
const ctx: ScenarioContext = { quick, log, timing: plan.timing }
const results: RunResults = {
  startedAt: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; servers on core ${SERVER_CORE}, load generator on core ${LOADGEN_CORE}`,
  runtimes: {},
  s1: {},
  s1e: {},
  s2: {},
  s3: {},
  s4: null,
  s5: null,
  s6: null,
  s7: {},
  device: null,
  binding: [],
  errors: [],
  notes: [],
}

pinSelf(LOADGEN_CORE)
const nice = Number(option('nice') ?? 0)
setBenchNice(nice)
if (nice !== 0) results.notes.push(`Servers and load generator ran at niceness ${nice} (the machine was shared).`)
log(`Parity bench (${results.mode}) — ${results.machine}${nice !== 0 ? `, niceness ${nice}` : ''}`)
if (targets.includes('hocuspocus')) {
  try {
    ensureNode22(log)
  } catch (error) {
    results.errors.push(`Could not install Node 22 for Hocuspocus: ${String(error)}`)
    targets.splice(targets.indexOf('hocuspocus'), 1)
  }
}

/**
 * The quick run must end within five minutes even on a busy machine: a scenario that would start
 * after its share of the budget is reported as not run ("machine busy") instead of running on.
 */
function outOfTime(scenario: string, name: TargetName): boolean {
  if (!quick || Date.now() < deadline) return false
  const note = `${scenario} on ${TARGET_LABELS[name]}: invalid: machine busy — not run, the quick run's five minutes were used up`
  log(`  ${note}`)
  results.notes.push(note)
  return true
}

/** A fresh server for one scenario; always stopped afterwards. */
async function withServer<T>(name: TargetName, scenario: string, run: (target: Target) => Promise<T>): Promise<T | null> {
  if (outOfTime(scenario, name)) return null
  let target: Target | null = null
  resetEpoch()
  const startedAt = Date.now()
  try {
    target = await startTarget(name, log)
    results.runtimes[name] = target.runtime
    const result = await run(target)
    log(`  (${scenario} on ${TARGET_LABELS[name]}: ${((Date.now() - startedAt) / 1000).toFixed(0)} s)`)
    return result
  } catch (error) {
    const message = `${scenario} on ${TARGET_LABELS[name]}: ${error instanceof Error ? error.message : String(error)}`
    log(`  ERROR ${message}`)
    if (target && !target.server.alive) results.errors.push(`${message} (the server process died; last stderr: ${target.server.recentErrors().slice(-3).join(' | ')})`)
    else results.errors.push(message)
    return null
  } finally {
    await target?.dispose().catch(() => undefined)
  }
}

const s1Clients = option('s1-clients')?.split(',').map(Number) ?? plan.s1.clients
if (only.has('s1')) {
  for (const clients of s1Clients) {
    for (const name of targets) {
      const result = await withServer(name, `S1 (${clients} clients)`, (target) =>
        runS1(target, clients, ctx, plan.s1),
      )
      if (result) (results.s1[name] ??= []).push(result)
    }
  }
}
const s1e = plan.s1e
if (only.has('s1e') && s1e) {
  // y-websocket's provider echoes awareness; Hocuspocus's provider does not, so it is not run here.
  for (const name of targets.filter((t) => t !== 'hocuspocus')) {
    const result = await withServer(name, 'S1e', (target) => runS1(target, s1e.clients, ctx, s1e, true))
    if (result) results.s1e[name] = result
  }
} else if (only.has('s1e')) results.notes.push('S1e (clients echoing awareness) runs in the full run only.')
if (only.has('s2')) {
  for (const name of targets) {
    const result = await withServer(name, 'S2', (target) => runS2(target, plan.s2.rooms, plan.s2.perRoom, ctx, plan.s2))
    if (result) results.s2[name] = result
  }
}
if (only.has('s3')) {
  for (const name of targets) {
    const result = await withServer(name, 'S3', (target) => runS3(target, plan.s3, ctx))
    if (result) results.s3[name] = result
  }
}
if (only.has('s4') && targets.includes('parity')) results.s4 = await withServer('parity', 'S4', (target) => runS4(target, plan.s4, ctx))
if (only.has('s5') && targets.includes('parity')) results.s5 = await withServer('parity', 'S5', (target) => runS5(target, plan.s5, ctx))
if (only.has('s6') && targets.includes('parity')) results.s6 = await withServer('parity', 'S6', (target) => runS6(target, plan.s6, ctx))
if (only.has('s7')) {
  for (const name of targets) {
    const result = await withServer(name, 'S7', (target) => runS7(target, ctx, plan.s7))
    if (result) results.s7[name] = result
  }
}
if (only.has('device') && targets.includes('parity')) results.device = await withServer('parity', 'Phones and old laptops', (target) => runDevice(target, ctx, plan.device))
if (only.has('binding')) results.binding = runBinding(ctx)
if (only.has('hostile')) {
  log('Hostile frames: event-loop time of one frame, in this process')
  results.hostile = runHostile(ctx)
}

if (!targets.includes('hocuspocus')) results.notes.push('Hocuspocus was not run.')
results.notes.push(
  'S4–S6 run against Parity only: the reference servers are configured without persistence (as their own examples ship) and have no intent routes.',
  `Every step records how long the server and the load generator waited for a CPU (/proc/<pid>/schedstat): a step that failed while either waited more than 10 % of the time and other processes used more than 15 % of a core is re-run, and if the machine stays busy the ramp stops there ("machine busy") instead of counting it as the server's limit. Before each step the bench waits (bounded) until other processes use less than 20 % of a core.`,
)

const report = renderReport(results)
const dir = resolve(import.meta.dirname, 'results')
mkdirSync(dir, { recursive: true })
const stamp = results.startedAt.replace(/[:.]/g, '-')
writeFileSync(join(dir, `${stamp}-${results.mode}.json`), JSON.stringify(results, null, 2))
writeFileSync(join(dir, `${stamp}-${results.mode}.md`), report)
log('')
log(report)
log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s. Results in bench/results/${stamp}-${results.mode}.{md,json}`)
process.exit(results.errors.length > 0 ? 1 : 0)
