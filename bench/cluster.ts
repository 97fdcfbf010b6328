import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { resetEpoch } from './lib/clock.ts'
import { startCluster, type ClusterTarget, type Placement } from './lib/cluster.ts'
import { inconclusive, type RampResult, type StepResult } from './lib/load.ts'
import { LOADGEN_CORE, pinSelf, SERVER_CORE, ServerProcess } from './lib/proc.ts'
import { startTarget, type Target } from './lib/targets.ts'
import { fullTiming, quickTiming, type RampPlan, type ScenarioContext } from './scenarios/context.ts'
import { runDurable, type DurableResult } from './scenarios/durable.ts'
import { runS1, type S1Result } from './scenarios/s1.ts'
import { runS2, type S2Result } from './scenarios/s2.ts'

/**
 * `npm run bench:cluster` (issue 15): one SQLite instance against two instances behind HAProxy
 * with PostgreSQL and Redis, in one run, with the same load generator (bench/lib, S1, S2):
 *   S1 doc latency with every socket on one instance, senders on A and receivers on B (the Redis
 *   hop), and everyone through HAProxy; S2 throughput per core; durable idea p99; event-loop busy
 *   time per idea (the synchronous PostgreSQL bridge).
 * All servers share core 0 (the cluster's five kinds of process included); the load generator has
 * core 1. Options: --quick (about three minutes), --s1-clients=N.
 */

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)
const started = Date.now()
const deadline = started + (quick ? 3 * 60_000 - 30_000 : 20 * 60_000)
const s1Clients = Number(option('s1-clients') ?? (quick ? 100 : 200))
const s1Plan: RampPlan = quick
  ? { start: 1 / 16, max: 1 / 16, bisect: 0, retries: 0, idleWaitMs: 1500, deadline }
  : { start: 1 / 16, max: 1 / 8, bisect: 0, retries: 1, idleWaitMs: 5000, deadline }
const s2 = quick ? { rooms: 40, perRoom: 5 } : { rooms: 200, perRoom: 5 }
const s2Plan: RampPlan = quick
  ? { start: 1 / 16, max: 1 / 16, bisect: 0, retries: 0, idleWaitMs: 1500, deadline }
  : { start: 1 / 16, max: 1 / 4, bisect: 0, retries: 1, idleWaitMs: 5000, deadline }
const durablePlan = quick ? { participants: 20, perParticipant: 3, spreadSec: 3, sequential: 10 } : { participants: 60, perParticipant: 4, spreadSec: 10, sequential: 40 }

const log = (line: string) => process.stdout.write(`${line}\n`)
const ctx: ScenarioContext = { quick, log, timing: quick ? quickTiming : fullTiming }
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ')

interface Results {
  startedAt: string
  mode: string
  machine: string
  loadAverages: string[]
  s1: Partial<Record<'sqlite' | Placement, S1Result>>
  s2: Partial<Record<'sqlite' | 'balancer', S2Result>>
  durable: Partial<Record<'sqlite' | 'postgres', DurableResult>>
  /** Share of the cluster's CPU by part over the whole S2 run (joins included). */
  s2CpuShares: Record<string, number>
  errors: string[]
}
const results: Results = {
  startedAt: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; servers on core ${SERVER_CORE}, load generator on core ${LOADGEN_CORE}`,
  loadAverages: [],
  s1: {},
  s2: {},
  durable: {},
  s2CpuShares: {},
  errors: [],
}

pinSelf(LOADGEN_CORE)
log(`Parity cluster bench (${results.mode}) — ${results.machine}; load average ${load()}`)

async function step<T>(label: string, work: () => Promise<T>): Promise<T | null> {
  if (Date.now() > deadline) {
    log(`${label}: invalid: machine busy — not run, the time budget was used up`)
    results.errors.push(`${label}: not run (time budget used up)`)
    return null
  }
  resetEpoch()
  results.loadAverages.push(`${label}: ${load()}`)
  log(`${label} (load average ${load()})`)
  try {
    return await work()
  } catch (error) {
    const message = `${label}: ${error instanceof Error ? error.message : String(error)}`
    log(`  ERROR ${message}`)
    results.errors.push(message)
    return null
  }
}

// One SQLite instance: the baseline.
const sqlite: Target | null = await step('SQLite instance: start', () => startTarget('parity', log))
if (sqlite) {
  try {
    const s1 = await step(`S1 ${s1Clients} clients, one SQLite instance`, () => runS1(sqlite, s1Clients, ctx, s1Plan))
    if (s1) results.s1.sqlite = s1
    const s2r = await step('S2, one SQLite instance', () => runS2(sqlite, s2.rooms, s2.perRoom, ctx, s2Plan))
    if (s2r) results.s2.sqlite = s2r
    const instance = sqlite.server instanceof ServerProcess ? [sqlite.server] : []
    const durable = await step('Durable ideas, SQLite', () => runDurable(sqlite, instance, durablePlan, ctx))
    if (durable) results.durable.sqlite = durable
  } finally {
    await sqlite.dispose().catch(() => undefined)
  }
}

// Two instances, PostgreSQL, Redis, HAProxy.
const cluster: ClusterTarget | null = await step('Cluster: start', () => startCluster(log))
if (cluster) {
  try {
    const placements: [Placement, string][] = [
      ['a', 'every socket on instance A (the owner)'],
      ['split', 'senders on A, receivers on B (the Redis hop)'],
      ['balancer', 'everyone through HAProxy'],
    ]
    for (const [placement, label] of placements) {
      cluster.placement = placement
      const s1 = await step(`S1 ${s1Clients} clients, cluster: ${label}`, () => runS1(cluster, s1Clients, ctx, s1Plan))
      if (s1) results.s1[placement] = s1
    }
    cluster.placement = 'balancer'
    const before = cluster.server.cpuByPart()
    const s2r = await step('S2, cluster through HAProxy', () => runS2(cluster, s2.rooms, s2.perRoom, ctx, s2Plan))
    if (s2r) results.s2.balancer = s2r
    const after = s2r ? cluster.server.cpuByPart() : before
    const used = Object.fromEntries(Object.entries(after).map(([part, us]) => [part, us - (before[part] ?? 0)]))
    const total = Object.values(used).reduce((sum, us) => sum + us, 0)
    results.s2CpuShares = Object.fromEntries(Object.entries(used).filter(([, us]) => us > 0).map(([part, us]) => [part, us / total]))
    const durable = await step('Durable ideas, PostgreSQL (through HAProxy)', () => runDurable(cluster, cluster.instances, durablePlan, ctx))
    if (durable) results.durable.postgres = durable
  } finally {
    await cluster.dispose().catch(() => undefined)
  }
}

const report = render(results)
const dir = resolve(import.meta.dirname, 'results')
mkdirSync(dir, { recursive: true })
const stamp = results.startedAt.replace(/[:.]/g, '-')
writeFileSync(join(dir, `${stamp}-cluster-${results.mode}.json`), JSON.stringify(results, null, 2))
writeFileSync(join(dir, `${stamp}-cluster-${results.mode}.md`), report)
log('')
log(report)
log(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s. Results in bench/results/${stamp}-cluster-${results.mode}.{md,json}`)
process.exit(results.errors.length > 0 ? 1 : 0)

function render(r: Results): string {
  const f = (n: number | undefined, digits = 1) => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits))
  const stepAt = (ramp: RampResult, m: number): StepResult | undefined => ramp.steps.filter((s) => s.level.m === m).at(-1)
  const levels = [...new Set(Object.values(r.s1).flatMap((s) => s.ramp.steps.map((x) => x.level.m)))].sort((a, b) => a - b)
  const validity = (s: StepResult) =>
    `${s.withinSlo ? 'within SLO' : s.why.join('; ')}; server ${Math.round(s.serverCpu * 100)}%, other ${Math.round(s.foreignCpu * 100)}%, waited ${Math.round(s.serverStarved * 100)}/${Math.round(s.loadgenStarved * 100)}%`
  const lines: string[] = [
    `# Parity cluster bench (${r.mode}), ${r.startedAt}`,
    '',
    `Machine: ${r.machine}.`,
    `Load averages (1, 5, 15 min) when each part started: ${r.loadAverages.join(' · ')}.`,
    '',
    `## S1, one room of ${s1Clients} clients: doc latency p50 / p99 (ms)`,
    '',
    '| setup | ' + levels.map((m) => `m = ${f(m, 3)}`).join(' | ') + ' |',
    '|---|' + levels.map(() => '---|').join(''),
  ]
  const s1Labels: [keyof Results['s1'], string][] = [
    ['sqlite', 'one SQLite instance'],
    ['a', 'cluster, all on instance A'],
    ['split', 'cluster, senders A → receivers B'],
    ['balancer', 'cluster, through HAProxy'],
  ]
  for (const [key, label] of s1Labels) {
    const s = r.s1[key]
    if (!s) continue
    lines.push(`| ${label} | ` + levels.map((m) => {
      const x = stepAt(s.ramp, m)
      return x ? `${f(x.doc.p50)} / ${f(x.doc.p99)} (${validity(x)})` : '—'
    }).join(' | ') + ' |')
  }
  const a = r.s1.a
  const split = r.s1.split
  if (a && split) {
    for (const m of levels) {
      const same = stepAt(a.ramp, m)
      const cross = stepAt(split.ramp, m)
      if (!same || !cross) continue
      const busy = [same, cross].some(inconclusive) ? ' — invalid: machine busy (a step failed while the server or load generator waited for a CPU), so this difference says little' : ''
      lines.push('', `Redis hop at m = ${f(m, 3)}: cross-instance doc p99 − same-instance p99 = ${f(cross.doc.p99 - same.doc.p99)} ms (target ≤ 50 ms: ${cross.doc.p99 - same.doc.p99 <= 50 ? 'met' : 'missed'})${busy}.`)
    }
  }
  lines.push(
    '',
    `## S2, ${s2.rooms} rooms × ${s2.perRoom}: throughput per core`,
    '',
    'Every step, passed or not: inbound messages per second divided by the CPU (in cores) all server processes used in the window.',
    '',
    '| setup | step | inbound msgs/s | server CPU (cores) | msgs/s per core | doc p50 / p99 (ms) | validity |',
    '|---|---|---|---|---|---|---|',
  )
  for (const [key, label] of [['sqlite', 'one SQLite instance'], ['balancer', 'cluster through HAProxy (all its processes)']] as const) {
    const s = r.s2[key]
    if (!s) continue
    for (const x of s.ramp.steps)
      lines.push(`| ${label} | m = ${f(x.level.m, 3)} | ${f(x.inboundPerSec, 0)} | ${f(x.serverCpu, 2)} | ${f(x.inboundPerSec / x.serverCpu, 0)} | ${f(x.doc.p50)} / ${f(x.doc.p99)} | ${validity(x)} |`)
    lines.push(`| ${label} | highest step within SLO | ${s.ramp.sustained ? `m = ${f(s.ramp.sustained.level.m, 3)}` : `none (${s.ramp.ceiling})`} | | | | |`)
  }
  const shares = Object.entries(r.s2CpuShares).sort(([, x], [, y]) => y - x)
  if (shares.length > 0) lines.push('', `Cluster CPU by part over the whole S2 run (joins included): ${shares.map(([part, share]) => `${part} ${Math.round(share * 100)}%`).join(', ')}.`)
  lines.push('', '## Durable ideas (POST, answered once committed)', '', '| storage | ideas | p50 (ms) | p99 (ms) | event loop busy per idea, one at a time on the owner (ms) | loop delay p99 / max under load (ms) | validity |', '|---|---|---|---|---|---|---|')
  for (const [key, label] of [['sqlite', 'SQLite, one instance'], ['postgres', 'PostgreSQL, cluster through HAProxy']] as const) {
    const d = r.durable[key]
    if (!d) continue
    lines.push(`| ${label} | ${d.ideas.count} (${JSON.stringify(d.statuses)}) | ${f(d.ideas.p50)} | ${f(d.ideas.p99)} | ${f(d.loopMsPerIdea, 2)} | ${f(d.loopDelayP99Ms)} / ${f(d.loopDelayMaxMs)} | ${d.valid ? 'valid' : d.why.join('; ')}; other processes ${Math.round(d.foreignCpu * 100)}% of a core, server waited ${Math.round(d.serverStarved * 100)}% |`)
  }
  const pg = r.durable.postgres
  if (pg) lines.push('', `Durable idea p99 on PostgreSQL: ${f(pg.ideas.p99)} ms (target ≤ 50 ms: ${pg.ideas.p99 <= 50 ? 'met' : 'missed'}${pg.valid ? '' : '; invalid: machine busy'}).`)
  lines.push('', `Validity per step: server = CPU of every server process, "waited" = share of the window instance A's (or the single server's) main thread and the load generator waited for a CPU; "other" = CPU used by processes outside the bench.`)
  if (r.errors.length > 0) lines.push('', '## Errors', '', ...r.errors.map((e) => `- ${e}`))
  return lines.join('\n') + '\n'
}
