import type { BindingResult } from '../scenarios/binding.ts'
import type { HostileResult } from '../scenarios/hostile.ts'
import { GROWTH_PATTERNS } from '../scenarios/binding.ts'
import type { S1Result } from '../scenarios/s1.ts'
import type { S2Result } from '../scenarios/s2.ts'
import type { S3Result } from '../scenarios/s3.ts'
import type { S4Result } from '../scenarios/s4.ts'
import type { S5Result } from '../scenarios/s5.ts'
import type { S6Result } from '../scenarios/s6.ts'
import { S7_LEVEL, S7_TARGET, type S7Result } from '../scenarios/s7.ts'
import { CPU_SLOWDOWN, DEVICE_TARGET, SLOW_NETWORK, type DeviceResult } from '../scenarios/device.ts'
import type { RampResult, StepResult } from './load.ts'
import { fmt, type Summary } from './stats.ts'
import { TARGET_LABELS, type TargetName } from './targets.ts'

/** Everything one run measured, by server. Missing entries were not run (or failed: see errors). */
export interface RunResults {
  startedAt: string
  mode: 'quick' | 'full'
  machine: string
  runtimes: Partial<Record<TargetName, string>>
  s1: Partial<Record<TargetName, S1Result[]>>
  /** S1 with clients echoing awareness as y-websocket's provider does (Parity and y-websocket only). */
  s1e: Partial<Record<TargetName, S1Result>>
  s2: Partial<Record<TargetName, S2Result>>
  s3: Partial<Record<TargetName, S3Result>>
  /** S3 on Parity with the proposed JoinSnapshot patched in (bench-only experiment). */
  s4: S4Result | null
  s5: S5Result | null
  s6: S6Result | null
  /** Small rooms at normal load: latency people feel. */
  s7: Partial<Record<TargetName, S7Result>>
  /** Phones and old laptops in real Chromium (Parity only). */
  device: DeviceResult | null
  binding: BindingResult[]
  /** Issue 12 item 5: event-loop time one hostile frame costs (in process, no network). */
  hostile?: HostileResult | null
  errors: string[]
  notes: string[]
}

const TARGETS: TargetName[] = ['parity', 'y-websocket', 'hocuspocus']
type Better = 'higher' | 'lower' | 'none'

interface Row {
  label: string
  values: Partial<Record<TargetName, number | string>>
  better: Better
  /** Values that are lower bounds (the ramp stopped before the server missed the SLO). */
  lowerBound?: Partial<Record<TargetName, boolean>>
  unit?: string
}

const ms3 = (s: Summary | undefined) => (s && s.count > 0 ? `${fmt(s.p50)} / ${fmt(s.p95)} / ${fmt(s.p99)}` : '—')

function ratio(row: Row, other: TargetName): string {
  const ours = row.values.parity
  const theirs = row.values[other]
  if (row.better === 'none' || typeof ours !== 'number' || typeof theirs !== 'number' || !Number.isFinite(ours) || !Number.isFinite(theirs) || ours === 0 || theirs === 0) return ''
  const advantage = row.better === 'higher' ? ours / theirs : theirs / ours
  const oursBound = row.lowerBound?.parity === true
  const theirsBound = row.lowerBound?.[other] === true
  const prefix = oursBound && theirsBound ? '~' : oursBound ? '≥ ' : theirsBound ? '≤ ' : ''
  return `${prefix}${fmt(advantage, 2)}×`
}

function cell(value: number | string | undefined, unit = ''): string {
  if (value === undefined) return 'n/a'
  if (typeof value === 'string') return value
  return Number.isFinite(value) ? `${fmt(value)}${unit}` : '—'
}

const sustainedRate = (ramp: RampResult) => ramp.sustained?.inboundPerSec ?? NaN
/** The ramp stopped for a reason other than the server missing the SLO: its limit is higher. */
const isLowerBound = (ramp: RampResult | undefined) => ramp !== undefined && ramp.ceiling !== 'slo'
/** The step the latency columns describe: the sustained one, else the lightest step run. */
const shownStep = (ramp: RampResult): StepResult | undefined => ramp.sustained ?? [...ramp.steps].sort((a, b) => a.level.m - b.level.m)[0]

function sustainedLabel(ramp: RampResult): string {
  if (!ramp.sustained) return `< ${fmt(ramp.failed?.inboundPerSec ?? NaN)} (failed lightest step)`
  const suffix =
    ramp.ceiling === 'top of range' ? ' (top step passed)' : ramp.ceiling === 'load generator' ? ' (load generator limit above)' : ramp.ceiling === 'machine busy' ? ' (machine busy above)' : ''
  return `${fmt(ramp.sustained.inboundPerSec)}${suffix}`
}

function s1Rows(results: RunResults, index: number | 'echo'): { title: string; rows: Row[] } | null {
  const byTarget = Object.fromEntries(TARGETS.map((t) => [t, index === 'echo' ? results.s1e[t] : results.s1[t]?.[index]])) as Record<TargetName, S1Result | undefined>
  const any = TARGETS.map((t) => byTarget[t]).find(Boolean)
  if (!any) return null
  const map = <T>(pick: (r: S1Result) => T): Partial<Record<TargetName, T>> => Object.fromEntries(TARGETS.filter((t) => byTarget[t]).map((t) => [t, pick(byTarget[t]!)]))
  return {
    title: index === 'echo' ? `S1e — one room × ${any.clients} clients echoing awareness like y-websocket's provider (Hocuspocus's provider does not echo: not run)` : `S1 — one room × ${any.clients} clients`,
    rows: [
      { label: 'sustained inbound msgs/s within SLO', values: map((r) => sustainedRate(r.ramp)), better: 'higher', lowerBound: map((r) => isLowerBound(r.ramp)) },
      { label: '… as measured', values: map((r) => sustainedLabel(r.ramp)), better: 'none' },
      { label: '… of which document updates/s', values: map((r) => r.ramp.sustained?.docPerSec ?? NaN), better: 'none' },
      { label: 'doc latency p50 / p95 / p99 ms (at that step)', values: map((r) => ms3(shownStep(r.ramp)?.doc)), better: 'none' },
      { label: 'presence latency p50 / p95 / p99 ms', values: map((r) => ms3(shownStep(r.ramp)?.presence)), better: 'none' },
      { label: 'first failing step: why', values: map((r) => (r.ramp.failed ? `m=${fmt(r.ramp.failed.level.m, 2)}: ${r.ramp.failed.why.join('; ')}` : '—')), better: 'none' },
      { label: 'server CPU µs per inbound message', values: map((r) => shownStep(r.ramp)?.cpuUsPerInbound ?? NaN), better: 'lower' },
      { label: 'server CPU µs per outbound frame', values: map((r) => shownStep(r.ramp)?.cpuUsPerOutFrame ?? NaN), better: 'none' },
      { label: 'outbound frames/s (at that step)', values: map((r) => shownStep(r.ramp)?.outFramesPerSec ?? NaN), better: 'lower' },
      { label: 'heap per connection KB (median of rooms)', values: map((r) => r.heapPerConnectionKB), better: 'lower' },
      { label: '… in each room', values: map((r) => r.heapRoundsKB.map((kb) => fmt(kb)).join(', ')), better: 'none' },
      { label: 'time to synced on join p50 / p99 ms', values: map((r) => `${fmt(r.join.p50)} / ${fmt(r.join.p99)}`), better: 'none' },
      { label: 'official client converged', values: map((r) => (r.convergence.ok ? 'yes' : `NO: ${r.convergence.detail}`)), better: 'none' },
    ],
  }
}

function s2Rows(results: RunResults): { title: string; rows: Row[] } | null {
  const any = TARGETS.map((t) => results.s2[t]).find(Boolean)
  if (!any) return null
  const map = <T>(pick: (r: S2Result) => T): Partial<Record<TargetName, T>> => Object.fromEntries(TARGETS.filter((t) => results.s2[t]).map((t) => [t, pick(results.s2[t]!)]))
  return {
    title: `S2 — ${any.rooms} rooms × ${any.perRoom} clients`,
    rows: [
      { label: 'sustained inbound msgs/s within SLO', values: map((r) => sustainedRate(r.ramp)), better: 'higher', lowerBound: map((r) => isLowerBound(r.ramp)) },
      { label: '… as measured', values: map((r) => sustainedLabel(r.ramp)), better: 'none' },
      { label: 'doc / presence p99 ms (at that step)', values: map((r) => `${fmt(shownStep(r.ramp)?.doc.p99 ?? NaN)} / ${fmt(shownStep(r.ramp)?.presence.p99 ?? NaN)}`), better: 'none' },
      { label: 'first failing step: why', values: map((r) => (r.ramp.failed ? `m=${fmt(r.ramp.failed.level.m, 2)}: ${r.ramp.failed.why.join('; ')}` : '—')), better: 'none' },
      { label: 'server CPU µs per inbound message', values: map((r) => shownStep(r.ramp)?.cpuUsPerInbound ?? NaN), better: 'lower' },
      { label: 'heap per room (5 clients) KB', values: map((r) => r.heapPerRoomKB), better: 'lower' },
      { label: 'time to synced on join p50 / p99 ms', values: map((r) => `${fmt(r.join.p50)} / ${fmt(r.join.p99)}`), better: 'none' },
      { label: 'official client converged', values: map((r) => (r.convergence.ok ? 'yes' : `NO: ${r.convergence.detail}`)), better: 'none' },
    ],
  }
}

function s3Rows(results: RunResults): { title: string; rows: Row[] } | null {
  const any = TARGETS.map((t) => results.s3[t]).find(Boolean)
  if (!any) return null
  const map = <T>(pick: (r: S3Result) => T): Partial<Record<TargetName, T>> => Object.fromEntries(TARGETS.filter((t) => results.s3[t]).map((t) => [t, pick(results.s3[t]!)]))
  return {
    title: `S3 — ${any.joins} joins in ${any.overSec} s into a ${any.shapes}-shape board (${(any.boardBytes / 1e6).toFixed(1)} MB), ${any.active} active clients`,
    rows: [
      { label: 'join (time to synced) p99 ms', values: map((r) => r.join.p99), better: 'lower' },
      { label: 'join p50 / p95 / max ms', values: map((r) => `${fmt(r.join.p50)} / ${fmt(r.join.p95)} / ${fmt(r.join.max)}`), better: 'none' },
      { label: 'joins that failed (timed out)', values: map((r) => r.joinFailures), better: 'none' },
      { label: 'active clients: doc / presence p99 ms', values: map((r) => `${fmt(r.active_.doc.p99)} / ${fmt(r.active_.presence.p99)}`), better: 'none' },
      { label: 'active clients within SLO during the storm', values: map((r) => (r.active_.withinSlo ? 'yes' : `no: ${r.active_.why.join('; ')}`)), better: 'none' },
      { label: 'server CPU during the storm', values: map((r) => `${Math.round(r.active_.serverCpu * 100)} %`), better: 'none' },
      { label: 'official client converged', values: map((r) => (r.convergence.ok ? 'yes' : `NO: ${r.convergence.detail}`)), better: 'none' },
    ],
  }
}

function s7Rows(results: RunResults): { title: string; rows: Row[] } | null {
  const present = TARGETS.filter((t) => results.s7[t])
  if (present.length === 0) return null
  const sizes = results.s7[present[0]!]!.sizes.map((size) => size.perRoom)
  const rows: Row[] = []
  for (const perRoom of sizes) {
    const pick = <T>(f: (size: S7Result['sizes'][number]) => T): Partial<Record<TargetName, T>> =>
      Object.fromEntries(present.flatMap((t) => results.s7[t]!.sizes.filter((s) => s.perRoom === perRoom).map((s) => [t, f(s)])))
    rows.push(
      { label: `rooms of ${perRoom}: doc p99 ms`, values: pick((s) => (s.step.doc.count > 0 ? s.step.doc.p99 : NaN)), better: 'lower' },
      { label: `rooms of ${perRoom}: doc p50 ms`, values: pick((s) => (s.step.doc.count > 0 ? s.step.doc.p50 : NaN)), better: 'lower' },
      {
        label: `rooms of ${perRoom}: p50 ≤ ${S7_TARGET.docP50Ms} ms and p99 ≤ ${S7_TARGET.docP99Ms} ms`,
        values: pick((s) => (s.busy ? 'invalid: machine busy' : !s.step.valid ? `invalid: ${s.step.why.join('; ')}` : s.meetsTarget ? 'yes' : 'no')),
        better: 'none',
      },
    )
  }
  return { title: `S7 — small rooms at normal load (m = ${fmt(S7_LEVEL, 2)})`, rows }
}

function renderTable(title: string, rows: Row[]): string {
  const header = ['metric', ...TARGETS.map((t) => TARGET_LABELS[t]), 'Parity vs y-websocket', 'Parity vs Hocuspocus']
  const lines = [`### ${title}`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`]
  for (const row of rows) {
    const values = TARGETS.map((t) => cell(row.values[t], row.unit))
    lines.push(`| ${row.label} | ${values.join(' | ')} | ${ratio(row, 'y-websocket')} | ${ratio(row, 'hocuspocus')} |`)
  }
  return lines.join('\n')
}

export function renderReport(results: RunResults): string {
  const out: string[] = []
  out.push(`## Bench results (${results.mode} run, ${results.startedAt})`, '', `Machine: ${results.machine}`)
  out.push(`Runtimes: ${TARGETS.filter((t) => results.runtimes[t]).map((t) => `${TARGET_LABELS[t]} on ${results.runtimes[t]}`).join('; ')}`, '')
  out.push(
    'Ratios say how many times better Parity is (higher throughput, or lower cost/latency). "≥": Parity\'s ramp stopped before Parity missed the SLO (top step, load generator limit or busy machine), so the real ratio is higher; "≤": the same for the other server; "~": both. ' +
      'Load level m: at m = 1, 30 % of clients edit at 30 Hz and every cursor moves at 30 Hz; steps double from m = 1/32 (S1) or 1/64 (S2).',
    '',
  )
  for (const index of [0, 1, 'echo'] as const) {
    const table = s1Rows(results, index)
    if (table) out.push(renderTable(table.title, table.rows), '')
  }
  for (const table of [s2Rows(results), s3Rows(results), s7Rows(results)]) if (table) out.push(renderTable(table.title, table.rows), '')
  if (results.s4) {
    const s4 = results.s4
    out.push(`### S4 — cold load from SQLite (Parity only), ${s4.rooms} rooms of ${s4.shapes} shapes + ${s4.edits} edits`, '')
    out.push('| case | one room at a time p50 / p99 ms | 16 at a time p50 / p99 ms | rooms/s (16 at a time) |', '| --- | --- | --- | --- |')
    out.push(`| after a crash (every stored update merged) | ${fmt(s4.afterCrash.sequential.p50)} / ${fmt(s4.afterCrash.sequential.p99)} | ${fmt(s4.afterCrash.concurrent.p50)} / ${fmt(s4.afterCrash.concurrent.p99)} | ${fmt(s4.afterCrash.concurrentRoomsPerSec)} |`)
    out.push(`| after a graceful restart (compacted) | ${fmt(s4.afterGraceful.sequential.p50)} / ${fmt(s4.afterGraceful.sequential.p99)} | ${fmt(s4.afterGraceful.concurrent.p50)} / ${fmt(s4.afterGraceful.concurrent.p99)} | ${fmt(s4.afterGraceful.concurrentRoomsPerSec)} |`)
    out.push(`| warm (room already loaded) | ${fmt(s4.warm.p50)} / ${fmt(s4.warm.p99)} | | |`, '', `Heap per loaded room: ${fmt(s4.heapPerLoadedRoomKB)} KB.`, '')
  }
  if (results.s5) {
    const s5 = results.s5
    const breaches = s5.chunks.filter((chunk) => !chunk.withinSlo).length
    out.push(`### S5 — soak, ${s5.minutes} min, ${s5.clients} clients, ${s5.reconnects} reconnects (${s5.reconnectFailures} failed) (Parity only)`, '')
    out.push(
      `Heap after a full GC: baseline ${fmt(s5.baseline.heapUsed / 1e6)} MB → end ${fmt(s5.end.heapUsed / 1e6)} MB (${(s5.heapChange * 100).toFixed(1)} %, target ±10 %); ` +
        `with everyone gone and rooms unloaded ${(s5.emptyChange * 100).toFixed(1)} % vs the empty server. RSS ${fmt(s5.baseline.rss / 1e6)} → ${fmt(s5.end.rss / 1e6)} MB. ` +
        `Chunks outside the SLO: ${breaches} of ${s5.chunks.length}. Convergence: ${s5.convergence.detail}.`,
      '',
    )
  }
  if (results.s6) {
    const s6 = results.s6
    out.push(`### S6 — intents over HTTP (Parity only), ${s6.participants} participants`, '')
    if (s6.skipped) out.push(`Skipped: ${s6.skipped}.`, '')
    else {
      out.push(
        `Ideas at once: 2xx p50 ${fmt(s6.ideas.p50)} ms, p95 ${fmt(s6.ideas.p95)} ms, p99 ${fmt(s6.ideas.p99)} ms (target p99 ≤ 50 ms), statuses ${JSON.stringify(s6.ideaStatuses)}. ` +
          `Visible on every observer socket, one at a time: p50 ${fmt(s6.visibility.p50)} ms, p99 ${fmt(s6.visibility.p99)} ms. ` +
          (s6.ballots ? `Ballots at once: p50 ${fmt(s6.ballots.p50)} ms, p99 ${fmt(s6.ballots.p99)} ms, statuses ${JSON.stringify(s6.ballotStatuses)}.` : `Ballots: ${s6.ballotNote ?? 'not run'}.`),
        '',
      )
    }
  }
  if (results.device) {
    const d = results.device
    const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER target')
    out.push(`### Phones and old laptops (Parity only, real Chromium, CPU ÷${CPU_SLOWDOWN})`, '')
    if (d.machineBusy) out.push(`**Invalid: machine busy** (one-minute load average ${fmt(d.loadAverage[0], 1)} → ${fmt(d.loadAverage[1], 1)} on two cores): the figures below say more about the machine than about Parity.`, '')
    const phone = d.phone
    out.push(
      phone
        ? `List view on a 360 px phone over a slow link (${(SLOW_NETWORK.downloadThroughput * 8) / 1e6} Mbit/s down, ${SLOW_NETWORK.latency} ms round trip): ` +
            `${fmt(phone.listViewJsKB)} KB of JavaScript on the wire (${fmt(phone.listViewJsDecodedKB)} KB decoded) before the idea form works — ${verdict(phone.listViewJsKB <= DEVICE_TARGET.listViewJsKB)} (≤ ${DEVICE_TARGET.listViewJsKB} KB); ` +
            `join link to a usable idea form ${fmt(phone.timeToIdeaFormMs)} ms${phone.joinRunsMs.length > 1 ? ` (median of ${phone.joinRunsMs.length} fresh phones: ${phone.joinRunsMs.map((ms) => fmt(ms)).join(', ')} ms)` : ''} — ${verdict(phone.timeToIdeaFormMs <= DEVICE_TARGET.timeToIdeaFormMs)} (≤ ${DEVICE_TARGET.timeToIdeaFormMs} ms).`
        : 'List view on a phone: not run (`--join-runs=0`).',
      '',
      `Board of ${d.board.cards} idea cards at 1366×768, ${d.board.cursors} other cursors moving at 10 Hz, ${d.board.draggers} people dragging cards at 20 Hz, ${d.board.seconds} s: ` +
        `frame time p50 ${fmt(d.board.frames.p50)} ms, p95 ${fmt(d.board.frames.p95)} ms, max ${fmt(d.board.frames.max)} ms — ${verdict(d.board.frames.p95 <= DEVICE_TARGET.frameP95Ms)} (p95 ≤ ${DEVICE_TARGET.frameP95Ms} ms).`,
      '',
    )
  }
  if (results.binding.length > 0) {
    const shapes = results.binding[0]!.shapes
    out.push(`### Board binding (client side, no server): doc growth per 10,000 moves; remote apply of one move at ${shapes} shapes`, '')
    out.push(`| binding | ${GROWTH_PATTERNS.map((p) => `growth, ${p}`).join(' | ')} | remote apply p50 / p95 / p99 µs |`, `| --- | ${GROWTH_PATTERNS.map(() => '---').join(' | ')} | --- |`)
    for (const b of results.binding) {
      out.push(`| ${b.name} | ${GROWTH_PATTERNS.map((p) => `${b.growthPer10kMoves[p].toLocaleString('en-GB')} B`).join(' | ')} | ${ms3(b.remoteApplyUs)} |`)
    }
    out.push('')
  }
  if (results.hostile) {
    const h = results.hostile
    out.push(`### Hostile frames: event-loop time of one frame (board of ${h.shapes} shapes, default limits)`, '')
    out.push('| frame | bytes | outcome | median wall ms | worst wall ms | worst CPU ms |', '| --- | --- | --- | --- | --- | --- |')
    for (const row of h.rows) out.push(`| ${row.frame} | ${row.bytes.toLocaleString('en-GB')} | ${row.outcome} | ${fmt(row.medianMs)} | ${fmt(row.worstMs)} | ${fmt(row.worstCpuMs)} |`)
    out.push('', `Longest: ${fmt(h.worstMs)} ms wall, ${fmt(h.worstCpuMs)} ms CPU (target ≤ 50 ms).`, '')
  }
  if (results.notes.length > 0) out.push('Notes:', ...results.notes.map((note) => `- ${note}`), '')
  if (results.errors.length > 0) out.push('Errors:', ...results.errors.map((error) => `- ${error}`), '')
  return out.join('\n')
}
