import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { defaultConfig } from '../server/config.ts'
import { silentLogger } from '../server/logger.ts'
import { LifecycleService } from '../server/services/LifecycleService.ts'
import { Checkpointer } from '../server/storage/Checkpointer.ts'
import { openDatabase } from '../server/storage/database.ts'
import { RetentionStore } from '../server/storage/RetentionStore.ts'
import { WorkshopEraser } from '../server/storage/WorkshopEraser.ts'

/**
 * `npm run bench:purge` — the retention purge under load (issue 18): does deleting big workshops
 * ever hold the event loop for more than 50 ms? Fills a database with `--workshops` expired
 * workshops of `--updates` stored board updates each (plus ideas), keeps a 1 ms timer running as
 * the "load" that would notice a stall, purges, and reports the longest gap and p99 of event
 * loop delay, for the sweep slices and for the final WAL checkpoint separately.
 */
const args = process.argv.slice(2)
const option = (name: string, fallback: number) => Number(args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback)
const workshops = option('workshops', 20)
const updates = option('updates', 3000)
const updateBytes = option('update-bytes', 1500)
const keep = option('keep', 5)

const dir = mkdtempSync(join(tmpdir(), 'parity-bench-purge-'))
const file = join(dir, 'parity.sqlite')
const db = openDatabase(file)
const old = '2000-01-01'
const insertWorkshop = db.prepare(
  "INSERT INTO workshops (workshop_id, title, join_mode, join_code, facilitator_key_hash, created_day, last_active_day, retention_days) VALUES (?, ?, 'open', ?, 'x', ?, ?, 30)",
)
const insertUpdate = db.prepare("INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES (?, 'board', ?)")
const insertIdea = db.prepare("INSERT INTO ideas (idea_id, workshop_id, section_id, text, author_key_hash, status) VALUES (?, ?, 'values', ?, 'h', 'published')")
const fillStarted = performance.now()
for (let w = 0; w < workshops + keep; w++) {
  const id = `w${w}`
  const expired = w < workshops
  db.transaction(() => {
    insertWorkshop.run(id, `Workshop ${w}`, `C${String(w).padStart(5, '0')}`, old, expired ? old : new Date().toISOString().slice(0, 10))
    for (let u = 0; u < updates; u++) insertUpdate.run(id, randomBytes(updateBytes))
    for (let i = 0; i < 300; i++) insertIdea.run(`${id}-i${i}`, id, `Idea ${i} of workshop ${w}, with a sentence or two of text`)
  })()
}
db.pragma('wal_checkpoint(TRUNCATE)')
const sizeMb = statSync(file).size / 1e6
process.stdout.write(`filled ${workshops} expired + ${keep} kept workshops, ${updates} updates × ${updateBytes} B each: ${sizeMb.toFixed(0)} MB in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s\n`)

if (args.includes('--no-autocheckpoint')) db.pragma('wal_autocheckpoint = 0')
const eraser = new WorkshopEraser(db)
// Where the time goes: the longest single call of each synchronous part, and every call's time
// (on a shared machine one long call can be the scheduler, not us: the distribution tells).
const longest: Record<string, number> = {}
const calls: Record<string, number[]> = {}
for (const method of ['gate', 'step', 'orphans'] as const) {
  const original = eraser[method].bind(eraser) as (...args: unknown[]) => unknown
  ;(eraser as unknown as Record<string, unknown>)[method] = (...callArgs: unknown[]) => {
    const started = performance.now()
    try {
      return original(...callArgs)
    } finally {
      const took = performance.now() - started
      longest[method] = Math.max(longest[method] ?? 0, took)
      ;(calls[method] ??= []).push(took)
    }
  }
}
// …and the WAL checkpoint at the end of the purge (one synchronous call).
const pragma = db.pragma.bind(db)
db.pragma = ((source: string, options?: { simple?: boolean }) => {
  const started = performance.now()
  try {
    return pragma(source, options)
  } finally {
    if (source.startsWith('wal_checkpoint')) {
      const took = performance.now() - started
      longest.checkpoint = Math.max(longest.checkpoint ?? 0, took)
      ;(calls.checkpoint ??= []).push(took)
    }
  }
}) as typeof db.pragma
// As the server runs it: checkpoints on a worker thread between slices. `--inline` measures
// the old way (every checkpoint on the event loop).
const checkpointer = args.includes('--inline') ? undefined : new Checkpointer(file)
const lifecycle = new LifecycleService({
  db,
  eraser,
  checkpointer,
  retention: new RetentionStore(db),
  log: silentLogger,
  defaultRetentionDays: 90,
  sliceMs: defaultConfig.purgeSliceMs,
})

/** Runs `work` with a 1 ms timer as the load: any longer gap between ticks is the loop being held. */
async function underProbe<T>(work: () => Promise<T>): Promise<{ value: T; longestGap: number; gaps: number[]; p99: number; tookMs: number }> {
  let last = performance.now()
  let longestGap = 0
  const gaps: number[] = []
  const probe = setInterval(() => {
    const now = performance.now()
    if (now - last > 50) gaps.push(now - last)
    longestGap = Math.max(longestGap, now - last)
    last = now
  }, 1)
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  const started = performance.now()
  const value = await work()
  const tookMs = performance.now() - started
  histogram.disable()
  clearInterval(probe)
  return { value, longestGap, gaps, p99: histogram.percentile(99) / 1e6, tookMs }
}
const describe = (name: string, run: { longestGap: number; gaps: number[]; p99: number; tookMs: number }) =>
  `${name}: ${(run.tookMs / 1000).toFixed(1)} s; longest gap between 1 ms ticks ${run.longestGap.toFixed(1)} ms, delay p99 ${run.p99.toFixed(1)} ms; gaps over 50 ms: ${run.gaps.length}${run.gaps.length ? ` (${run.gaps.slice(0, 10).map((gap) => gap.toFixed(0)).join(', ')}${run.gaps.length > 10 ? ', …' : ''})` : ''}`

// The machine's own noise first (other processes, GC): the same probe, nothing to do.
const idle = await underProbe(() => new Promise((resolve) => setTimeout(resolve, 3000)))
const purge = await underProbe(() => lifecycle.purge())
const deleted = purge.value
const left = (db.prepare('SELECT COUNT(*) AS n FROM workshops').get() as { n: number }).n
process.stdout.write(
  [
    `purged ${deleted} workshops (${left} left, ${keep} expected); slice budget ${defaultConfig.purgeSliceMs} ms, checkpoints ${checkpointer ? 'on a worker thread' : 'inline (--inline)'}; target: no gap over 50 ms`,
    describe('idle (machine noise)', idle),
    describe('purge', purge),
    `longest single call: ${Object.entries(longest).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ')}`,
    `calls (count, median, p99, over 20 ms, over 50 ms): ${Object.entries(calls)
      .map(([name, list]) => {
        const sorted = [...list].sort((a, b) => a - b)
        const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)
        return `${name} ${list.length}, ${at(0.5)} ms, ${at(0.99)} ms, ${list.filter((ms) => ms > 20).length}, ${list.filter((ms) => ms > 50).length}`
      })
      .join('; ')}`,
    purge.longestGap <= 50 ? 'OK: the purge never held the event loop for more than 50 ms' : 'OVER: a gap over 50 ms (compare with idle: on a shared machine some are not ours)',
    '',
  ].join('\n'),
)
await checkpointer?.close()
db.close()
rmSync(dir, { recursive: true, force: true })
