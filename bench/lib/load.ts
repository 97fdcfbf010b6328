import * as Y from 'yjs'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { Bot, presenceHeard, ProbeStats, type MeasureWindow } from './bot.ts'
import { nowMs, nowUs, rng, sleep, waitFor } from './clock.ts'
import { defaultMix, EditorScript, type EditMix } from './editor.ts'
import { Samples, summarise, type Summary } from './stats.ts'
import { runQueueWaitNs, systemBusyUs } from './proc.ts'
import type { RoomRef, Target, VerifyClient } from './targets.ts'

/**
 * Drives bots through load steps and measures them. A step: warm up, open the measurement
 * window, send for `measureMs`, close the window, stop sending and wait (bounded) for probes to
 * receive what was sent. Only messages sent inside the window count.
 */

export interface Level {
  /** Multiplier of the top of the issue's range (30 % editing at 30 Hz, cursors 30 Hz). */
  m: number
  editFraction: number
  editHz: number
  cursorHz: number
}

export const levelAt = (m: number): Level => ({ m, editFraction: Math.min(1, 0.3 * m), editHz: 30, cursorHz: 30 * m })

export interface StepTiming {
  warmupMs: number
  measureMs: number
  drainMaxMs: number
}

/** The service level a step must meet to count as sustained. */
export const SLO = { docP99Ms: 100, presenceP99Ms: 150, delivered: 0.999 } as const
/** A run counts only if the load generator stayed below this share of its core. */
export const LOADGEN_CPU_LIMIT = 0.8

export interface StepResult {
  level: Level
  clients: number
  editors: number
  windowSec: number
  docPerSec: number
  presencePerSec: number
  inboundPerSec: number
  outFramesPerSec: number
  outMBPerSec: number
  doc: Summary
  presence: Summary
  docDelivered: number
  presenceConverged: number
  /** Share of presence messages that reached probes as their own frame entry (the rest were coalesced). */
  presenceForwarded: number
  drops: number
  lagged: number
  loadgenCpu: number
  serverCpu: number
  /** CPU (in cores) used on this machine by anything other than the server and the load generator. */
  foreignCpu: number
  /** Share of the window the server's / load generator's main thread waited for a CPU (other load on the machine). */
  serverStarved: number
  loadgenStarved: number
  cpuUsPerInbound: number
  cpuUsPerOutFrame: number
  /** The server's event loop over the window (servers that report it): share busy, worst stall. */
  serverLoop?: { busy: number; delayP99Ms: number; delayMaxMs: number }
  valid: boolean
  withinSlo: boolean
  why: string[]
}

export interface RoomState {
  index: number
  ref: RoomRef
  bots: Bot[]
  probes: Bot[]
  sentInWindow: number
}

export class LoadRunner {
  readonly window: MeasureWindow = { seqFrom: Infinity, seqTo: Infinity, usFrom: Infinity, usTo: Infinity }
  readonly rooms: RoomState[] = []
  readonly joinMs = new Samples()
  private readonly scripts = new Map<Bot, EditorScript>()
  private readonly usedIds = new Set<number>()
  private readonly random: () => number
  private seq = 1
  private editors: Bot[] = []
  private windowOpen = false
  private sentDoc = 0
  private sentPresence = 0
  private lagged = 0
  private readonly windowPresence = new Map<Bot, number>()
  private pumpTimer: NodeJS.Timeout | null = null

  constructor(
    readonly target: Target,
    readonly mix: EditMix = defaultMix,
    seed = 1,
  ) {
    this.random = rng(seed)
  }

  get bots(): Bot[] {
    return this.rooms.flatMap((room) => room.bots)
  }

  newClientId(): number {
    for (;;) {
      const id = 1 + Math.floor(this.random() * 0x7ffffffe)
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id)
        return id
      }
    }
  }

  /** Creates a room and connects `clients` bots to it; the first `probes` are probes. */
  async addRoom(clients: number, probes: number, ref?: RoomRef): Promise<RoomState> {
    const room: RoomState = { index: this.rooms.length, ref: ref ?? (await this.target.createRoom()), bots: [], probes: [], sentInWindow: 0 }
    this.rooms.push(room)
    const endpoints = await mapLimit(Array.from({ length: clients }), 16, () => this.target.endpoint(room.ref))
    for (let i = 0; i < clients; i++) {
      const bot = new Bot(this.newClientId(), endpoints[i]!, room.index, i < probes ? new ProbeStats() : null, this.window)
      room.bots.push(bot)
      if (bot.probe) room.probes.push(bot)
    }
    return room
  }

  /** Connects every bot (of `among`) not yet open, `concurrency` at a time, recording time to synced. */
  async connectAll(concurrency = 24, timeoutMs = 30_000, among: readonly Bot[] = this.bots): Promise<void> {
    const pending = among.filter((bot) => !bot.open)
    await mapLimit(pending, concurrency, async (bot) => {
      const ms = await bot.connect(timeoutMs)
      this.joinMs.push(ms)
    })
  }

  /** Sets who edits and how fast everyone moves. Editors stay editors as the level grows. */
  setLevel(level: Level): void {
    const order: Bot[] = []
    const depth = Math.max(...this.rooms.map((room) => room.bots.length))
    for (let i = 0; i < depth; i++) {
      for (const room of this.rooms) {
        const candidates = room.bots.filter((bot) => !bot.probe)
        if (candidates[i]) order.push(candidates[i]!)
      }
    }
    const total = this.rooms.reduce((sum, room) => sum + room.bots.length, 0)
    const editorCount = Math.min(order.length, Math.round(total * level.editFraction))
    this.editors = order.slice(0, editorCount)
    const editors = new Set(this.editors)
    for (const bot of this.bots) {
      bot.cursorPeriodMs = level.cursorHz > 0 ? 1000 / level.cursorHz : 0
      bot.editPeriodMs = editors.has(bot) ? 1000 / level.editHz : 0
    }
  }

  /** Spreads everyone's first send over one period from now (call right before pumping). */
  private resetSchedule(): void {
    const now = nowMs()
    for (const bot of this.bots) {
      bot.nextPresenceAt = now + this.random() * bot.cursorPeriodMs
      bot.nextEditAt = now + this.random() * bot.editPeriodMs
    }
  }

  /** Generates (before the clock starts) the updates each editor will send in this step. */
  private pregenerate(timing: StepTiming): void {
    for (const bot of this.editors) {
      let script = this.scripts.get(bot)
      if (!script) {
        script = new EditorScript(bot.clientId, this.mix)
        this.scripts.set(bot, script)
      }
      const needed = Math.ceil(((timing.warmupMs + timing.measureMs) / bot.editPeriodMs) * 1.1) + 4 - bot.pendingUpdates
      if (needed > 0) bot.enqueue(script.generate(needed, bot.endpoint.framing))
    }
  }

  private pump = (): void => {
    const now = nowMs()
    for (const room of this.rooms) {
      for (const bot of room.bots) {
        if (!bot.open) continue
        if (bot.cursorPeriodMs > 0) {
          while (bot.nextPresenceAt <= now) {
            if (now - bot.nextPresenceAt > 100) {
              if (this.windowOpen) this.lagged += 1
              bot.nextPresenceAt = now
            }
            bot.sendPresence()
            bot.nextPresenceAt += bot.cursorPeriodMs
            if (this.windowOpen) {
              this.sentPresence += 1
              this.windowPresence.set(bot, (this.windowPresence.get(bot) ?? 0) + 1)
            }
          }
        }
        if (bot.editPeriodMs > 0) {
          while (bot.nextEditAt <= now) {
            if (now - bot.nextEditAt > 100) {
              if (this.windowOpen) this.lagged += 1
              bot.nextEditAt = now
            }
            const seq = this.seq++
            if (!bot.sendUpdate(seq)) break
            bot.nextEditAt += bot.editPeriodMs
            if (this.windowOpen) {
              this.sentDoc += 1
              room.sentInWindow += 1
            }
          }
        }
      }
    }
  }

  startPump(): void {
    this.pumpTimer ??= setInterval(this.pump, 2)
  }

  stopPump(): void {
    if (this.pumpTimer) clearInterval(this.pumpTimer)
    this.pumpTimer = null
  }

  private totalReceived(): { frames: number; bytes: number } {
    let frames = 0
    let bytes = 0
    for (const bot of this.bots) {
      frames += bot.counters.frames
      bytes += bot.counters.bytes
    }
    return { frames, bytes }
  }

  private closes(): number {
    return this.bots.reduce((sum, bot) => sum + bot.unexpectedCloses, 0)
  }

  /** Every probe has every window update of its room, and every sender's last presence. */
  deliveredAll(): boolean {
    for (const room of this.rooms) {
      for (const probe of room.probes) {
        if (probe.probe!.seen.size < room.sentInWindow) return false
        for (const bot of room.bots) {
          if (bot === probe || !bot.open || bot.presenceClock === 0) continue
          if (presenceHeard(probe.probe!, bot) < bot.presenceClock) return false
        }
      }
    }
    return true
  }

  async runStep(level: Level, timing: StepTiming, options: { afterWarmup?: () => void; duringWindow?: () => Promise<void> } = {}): Promise<StepResult> {
    this.setLevel(level)
    this.pregenerate(timing)
    for (const room of this.rooms) {
      room.sentInWindow = 0
      for (const probe of room.probes) probe.probe!.reset()
    }
    this.windowPresence.clear()
    this.sentDoc = 0
    this.sentPresence = 0
    this.lagged = 0
    this.window.seqFrom = Infinity
    this.window.seqTo = Infinity
    this.window.usFrom = Infinity
    this.window.usTo = Infinity
    const closesBefore = this.closes()

    this.resetSchedule()
    this.startPump()
    await sleep(timing.warmupMs)
    options.afterWarmup?.()
    this.window.seqFrom = this.seq
    this.window.usFrom = nowUs()
    const server = this.target.server
    const cpu0 = process.cpuUsage()
    const wall0 = nowMs()
    const serverCpu0 = server.cpuUs()
    const busy0 = systemBusyUs()
    const serverWait0 = runQueueWaitNs(server.pid)
    const selfWait0 = runQueueWaitNs('self')
    const received0 = this.totalReceived()
    // Resets the server's loop figures so the next reading covers the window alone.
    await server.loop?.()
    this.windowOpen = true
    const windowEnd = sleep(timing.measureMs)
    await options.duringWindow?.()
    await windowEnd
    this.windowOpen = false
    this.window.seqTo = this.seq
    this.window.usTo = nowUs()
    const wall1 = nowMs()
    const cpu1 = process.cpuUsage(cpu0)
    const serverCpu1 = server.cpuUs()
    const busy1 = systemBusyUs()
    const serverWait1 = runQueueWaitNs(server.pid)
    const selfWait1 = runQueueWaitNs('self')
    const received1 = this.totalReceived()
    const loop = await server.loop?.()
    this.stopPump()
    // Stop moving; wait (bounded) for whatever is still in flight.
    for (const bot of this.bots) {
      bot.cursorPeriodMs = 0
      bot.editPeriodMs = 0
    }
    await waitFor(() => this.deliveredAll(), timing.drainMaxMs, 25)

    const windowSec = (wall1 - wall0) / 1000
    const probes = this.rooms.flatMap((room) => room.probes.map((probe) => ({ room, probe })))
    const docSamples = new Samples()
    const presenceSamples = new Samples()
    let seen = 0
    let expectedDoc = 0
    let pairs = 0
    let converged = 0
    let expectedPresence = 0
    for (const { room, probe } of probes) {
      const stats = probe.probe!
      docSamples.pushAll(stats.docLatencyMs)
      presenceSamples.pushAll(stats.presenceLatencyMs)
      seen += stats.seen.size
      expectedDoc += room.sentInWindow
      for (const bot of room.bots) {
        if (bot === probe) continue
        expectedPresence += this.windowPresence.get(bot) ?? 0
        if (bot.presenceClock === 0) continue
        pairs += 1
        if (presenceHeard(stats, bot) >= bot.presenceClock) converged += 1
      }
    }
    const serverCpuUs = serverCpu1 - serverCpu0
    const framesOut = received1.frames - received0.frames
    const inbound = this.sentDoc + this.sentPresence
    const loadgenCpu = (cpu1.user + cpu1.system) / 1000 / (wall1 - wall0)
    const result: StepResult = {
      level,
      clients: this.bots.length,
      editors: this.editors.length,
      windowSec,
      docPerSec: this.sentDoc / windowSec,
      presencePerSec: this.sentPresence / windowSec,
      inboundPerSec: inbound / windowSec,
      outFramesPerSec: framesOut / windowSec,
      outMBPerSec: (received1.bytes - received0.bytes) / windowSec / 1e6,
      doc: docSamples.summary(),
      presence: presenceSamples.summary(),
      docDelivered: expectedDoc === 0 ? 1 : seen / expectedDoc,
      presenceConverged: pairs === 0 ? 1 : converged / pairs,
      presenceForwarded: expectedPresence === 0 ? 1 : presenceSamples.length / expectedPresence,
      drops: this.closes() - closesBefore,
      lagged: this.lagged,
      loadgenCpu,
      serverCpu: serverCpuUs / 1000 / (wall1 - wall0),
      foreignCpu: Math.max(0, busy1 - busy0 - serverCpuUs - (cpu1.user + cpu1.system)) / 1000 / (wall1 - wall0),
      serverStarved: (serverWait1 - serverWait0) / 1e6 / (wall1 - wall0),
      loadgenStarved: (selfWait1 - selfWait0) / 1e6 / (wall1 - wall0),
      cpuUsPerInbound: inbound === 0 ? NaN : serverCpuUs / inbound,
      cpuUsPerOutFrame: framesOut === 0 ? NaN : serverCpuUs / framesOut,
      ...(loop ? { serverLoop: { busy: loop.activeMs / loop.wallMs, delayP99Ms: loop.delayP99Ms, delayMaxMs: loop.delayMaxMs } } : {}),
      valid: true,
      withinSlo: true,
      why: [],
    }
    judge(result, inbound)
    return result
  }

  /** Reconnects bots the server dropped (viewers only: an editor's history would be off). */
  async reconnectDropped(): Promise<{ editorsLost: boolean }> {
    const editors = new Set(this.scripts.keys())
    const dropped = this.bots.filter((bot) => !bot.open)
    if (dropped.some((bot) => editors.has(bot))) return { editorsLost: true }
    await mapLimit(dropped, 16, async (bot) => {
      bot.presenceClock += 2
      await bot.connect(30_000).catch(() => undefined)
    })
    return { editorsLost: false }
  }

  async closeAll(): Promise<void> {
    this.stopPump()
    await mapLimit(this.bots, 64, (bot) => bot.close())
  }

  /** Highest clock sent per editing client (what a converged replica must contain). */
  expectedClocks(room: RoomState): Map<number, number> {
    const clocks = new Map<number, number>()
    for (const bot of room.bots) if (bot.sentClock > 0) clocks.set(bot.clientId, bot.sentClock)
    return clocks
  }
}

function judge(result: StepResult, inbound: number): void {
  const why = result.why
  if (result.loadgenCpu >= LOADGEN_CPU_LIMIT) why.push(`load generator at ${Math.round(result.loadgenCpu * 100)}% CPU`)
  if (result.lagged > inbound * 0.01) why.push(`load generator fell behind (${result.lagged} late sends)`)
  result.valid = why.length === 0
  if (result.docPerSec > 0 && !(result.doc.p99 <= SLO.docP99Ms)) why.push(`doc p99 ${result.doc.p99.toFixed(0)} ms`)
  if (result.presencePerSec > 0 && !(result.presence.p99 <= SLO.presenceP99Ms)) why.push(`presence p99 ${result.presence.p99.toFixed(0)} ms`)
  if (result.docDelivered < SLO.delivered) why.push(`delivered ${(result.docDelivered * 100).toFixed(2)}%`)
  if (result.presenceConverged < SLO.delivered) why.push(`presence converged ${(result.presenceConverged * 100).toFixed(2)}%`)
  if (result.drops > 0) why.push(`${result.drops} sockets dropped`)
  result.withinSlo = result.valid && why.length === 0
  // Other load on the machine can only make a step look worse: a pass still counts, a failure
  // says nothing about the server and is re-run.
  if (!result.withinSlo && machineBusy(result))
    why.push(`machine busy: server waited for a CPU ${Math.round(result.serverStarved * 100)}% of the time, load generator ${Math.round(result.loadgenStarved * 100)}%`)
}

/**
 * The server or the load generator spent more than this share of the window waiting for a CPU
 * while other processes used more than FOREIGN_LIMIT of a core. (A busy process also waits
 * behind its own GC threads on its core: waiting alone is not a sign of other load.)
 */
export const STARVED_LIMIT = 0.1
export const FOREIGN_LIMIT = 0.15
export const machineBusy = (result: StepResult) =>
  result.foreignCpu > FOREIGN_LIMIT && (result.serverStarved > STARVED_LIMIT || result.loadgenStarved > STARVED_LIMIT)

/** A failed step that other processes may have caused. */
export const inconclusive = (result: StepResult) => !result.withinSlo && machineBusy(result)

export interface RampResult {
  steps: StepResult[]
  /** The highest valid step within the SLO. */
  sustained: StepResult | null
  /** The lowest step that failed the SLO (or was invalid). */
  failed: StepResult | null
  /** Why the ramp ended. */
  ceiling: 'slo' | 'load generator' | 'top of range' | 'dropped editors' | 'machine busy'
}

export interface RampOptions {
  start: number
  max: number
  bisect: number
  timing: StepTiming
  log: (line: string) => void
  /** Longest wait for the server to go idle between steps. */
  idleWaitMs?: number
  /** Re-runs of a failed step while other processes were busy (default 2). */
  retries?: number
  /** Date.now() after which no step starts: the ramp ends as "machine busy". */
  deadline?: number
}

/**
 * Doubles the load from `start` until a step misses the SLO (or `max`), halves below `start` if
 * the first step already fails, then bisects (geometric midpoint) between the last pass and
 * the first failure `bisect` times. A failure while the machine was busy with other work is
 * re-run; if it stays busy the ramp stops there ("machine busy").
 */
export async function ramp(runner: LoadRunner, options: RampOptions): Promise<RampResult> {
  const steps: StepResult[] = []
  let pass: StepResult | null = null
  let fail: StepResult | null = null
  let ceiling = 'top of range' as RampResult['ceiling']
  const run = async (m: number): Promise<StepResult | null> => {
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      options.log(`  m=${m.toFixed(3)}: invalid: machine busy — out of time, step not run`)
      ceiling = 'machine busy'
      return null
    }
    await waitCalm(runner.target, options.idleWaitMs ?? 20_000)
    let result = await runner.runStep(levelAt(m), options.timing)
    options.log(describeStep(runner.target.name, result))
    for (let attempt = 0; attempt < (options.retries ?? 2) && inconclusive(result); attempt++) {
      await waitServerIdle(runner.target, options.idleWaitMs ?? 8000)
      await waitCalm(runner.target, options.idleWaitMs ?? 20_000)
      result = await runner.runStep(levelAt(m), options.timing)
      options.log(describeStep(runner.target.name, result) + ' (re-run)')
    }
    steps.push(result)
    await waitServerIdle(runner.target, options.idleWaitMs ?? 8000)
    const { editorsLost } = await runner.reconnectDropped()
    if (editorsLost) {
      ceiling = 'dropped editors'
      return null
    }
    if (inconclusive(result)) {
      ceiling = 'machine busy'
      return null
    }
    return result
  }
  const judgeFail = (result: StepResult) => {
    fail = result
    ceiling = result.valid ? 'slo' : 'load generator'
  }

  let m = options.start
  for (;;) {
    const result = await run(m)
    if (!result) break
    if (!result.withinSlo) {
      judgeFail(result)
      break
    }
    pass = result
    if (m >= options.max) break
    m = Math.min(options.max, m * 2)
  }
  const stopped = () => ceiling === 'dropped editors' || ceiling === 'machine busy'
  for (let i = 0; i < 3 && !stopped() && !pass && fail; i++) {
    m /= 2
    const result = await run(m)
    if (!result) break
    if (result.withinSlo) pass = result
    else judgeFail(result)
  }
  for (let i = 0; i < options.bisect && !stopped() && pass && fail; i++) {
    const mid = Math.sqrt((pass as StepResult).level.m * (fail as StepResult).level.m)
    const result = await run(mid)
    if (!result) break
    if (result.withinSlo) pass = result
    else judgeFail(result)
  }
  return { steps, sustained: pass, failed: fail, ceiling }
}

/**
 * Waits (bounded) until other processes on the machine use less than 20 % of a core, measured
 * over half-second windows: this machine may be shared, and a step needs both cores.
 */
export async function waitCalm(target: Target, maxMs: number): Promise<boolean> {
  const deadline = nowMs() + maxMs
  for (;;) {
    const busy0 = systemBusyUs()
    const server0 = target.server.cpuUs()
    const self0 = process.cpuUsage()
    const at = nowMs()
    await sleep(500)
    const self = process.cpuUsage(self0)
    const foreign = (systemBusyUs() - busy0 - (target.server.cpuUs() - server0) - self.user - self.system) / 1000 / (nowMs() - at)
    if (foreign < 0.2) return true
    if (nowMs() > deadline) return false
  }
}

/** Waits until the server process uses less than 10 % of its core (its backlog is drained). */
export async function waitServerIdle(target: Target, maxMs: number): Promise<boolean> {
  const deadline = nowMs() + maxMs
  let last = target.server.cpuUs()
  let at = nowMs()
  while (nowMs() < deadline) {
    await sleep(250)
    const cpu = target.server.cpuUs()
    const now = nowMs()
    if ((cpu - last) / 1000 / (now - at) < 0.1) return true
    last = cpu
    at = now
  }
  return false
}

export function describeStep(target: string, r: StepResult): string {
  const ms = (s: Summary) => (s.count === 0 ? '—' : `${s.p50.toFixed(1)}/${s.p95.toFixed(1)}/${s.p99.toFixed(1)}`)
  return (
    `  ${target.padEnd(12)} m=${r.level.m.toFixed(3).padEnd(6)} ${r.clients} clients, ${r.editors} editing: ` +
    `in ${Math.round(r.inboundPerSec)}/s (doc ${Math.round(r.docPerSec)}), out ${Math.round(r.outFramesPerSec)} frames/s ${r.outMBPerSec.toFixed(1)} MB/s | ` +
    `doc ${ms(r.doc)} ms, presence ${ms(r.presence)} ms | delivered ${(r.docDelivered * 100).toFixed(2)}% | ` +
    (r.serverLoop ? `loop busy ${Math.round(r.serverLoop.busy * 100)}%, late p99/max ${r.serverLoop.delayP99Ms.toFixed(0)}/${r.serverLoop.delayMaxMs.toFixed(0)} ms | ` : '') +
    `server ${Math.round(r.serverCpu * 100)}% loadgen ${Math.round(r.loadgenCpu * 100)}% other ${Math.round(r.foreignCpu * 100)}% waited ${Math.round(r.serverStarved * 100)}/${Math.round(r.loadgenStarved * 100)}% | ${r.withinSlo ? 'PASS' : `FAIL (${r.why.join('; ')})`}`
  )
}

/** Runs `work` over `items`, at most `limit` at a time, keeping order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!, index)
    }
  })
  await Promise.all(workers)
  return results
}

export interface Convergence {
  ok: boolean
  detail: string
}

/**
 * The run's real client (the server's own provider) must hold every update every editor of
 * the room sent, and a client joining afterwards must end up with the same records.
 */
export async function checkConvergence(runner: LoadRunner, room: RoomState, verifier: VerifyClient, extraClocks = new Map<number, number>()): Promise<Convergence> {
  const expected = new Map([...extraClocks, ...runner.expectedClocks(room)])
  const has = () => [...expected].every(([client, clock]) => Y.getState(verifier.doc.store, client) >= clock)
  const complete = await waitFor(has, 15_000, 50)
  if (!complete) {
    const missing = [...expected].filter(([client, clock]) => Y.getState(verifier.doc.store, client) < clock).length
    return { ok: false, detail: `provider is missing updates from ${missing} of ${expected.size} writers` }
  }
  const late = await runner.target.verifier(room.ref)
  try {
    await late.whenSynced(30_000)
    const same = await waitFor(() => Y.encodeStateVector(late.doc).join() === Y.encodeStateVector(verifier.doc).join(), 10_000, 50)
    const records = (doc: Y.Doc) => JSON.stringify([...new KeyValueArray<unknown>(doc.getArray(BoardRoot.records)).entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (!same || records(late.doc) !== records(verifier.doc)) return { ok: false, detail: 'a late joiner does not match the live provider' }
    const count = new KeyValueArray<unknown>(verifier.doc.getArray(BoardRoot.records)).size
    return { ok: true, detail: `provider and late joiner converged (${count} records, ${expected.size} writers)` }
  } finally {
    late.destroy()
  }
}
