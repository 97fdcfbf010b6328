import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core'
import { loadavg } from 'node:os'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { BoardRoot } from '../../shared/docs.ts'
import { ideaCardId, type BoardRecord } from '../../shared/boardRecords.ts'
import { chromiumPath } from '../../tests/helpers/browser.ts'
import { sleep } from '../lib/clock.ts'
import { LOADGEN_CORE, pinSelf, SERVER_CORE } from '../lib/proc.ts'
import { median, summarise, type Summary } from '../lib/stats.ts'
import { httpJson, joinParity, type Target } from '../lib/targets.ts'
import type { ScenarioContext } from './context.ts'

/**
 * Phones and old laptops, in real Chromium with the CPU slowed 4× through the DevTools Protocol:
 * - what a participant in the list view downloads before the idea form works (the canvas code
 *   must wait until the board is opened), and how long that takes on a slow network;
 * - frame times on a board of 300 idea cards while 30 other people's cursors move and 5 people
 *   drag cards.
 */
export const DEVICE_TARGET = { listViewJsKB: 200, timeToIdeaFormMs: 3000, frameP95Ms: 33 } as const
/** A slow mobile link: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. */
export const SLOW_NETWORK = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 } as const
export const CPU_SLOWDOWN = 4

export interface PhoneResult {
  /** Script bytes on the wire (compressed) before the idea form could be used. */
  listViewJsKB: number
  /** The same scripts decoded. */
  listViewJsDecodedKB: number
  /** Opening the join link → joined → the idea form takes text, on the slow link and CPU: the median of `joinRuns`. */
  timeToIdeaFormMs: number
  /** Every run's time, in order: one fresh phone each. */
  joinRunsMs: number[]
}

export interface DeviceResult {
  /** Null when no phone was timed (`--join-runs=0`). */
  phone: PhoneResult | null
  board: { cards: number; cursors: number; draggers: number; frames: Summary; seconds: number }
  /** One-minute load average before and after: above ~1.5 on two cores, the figures are the machine's, not Parity's. */
  loadAverage: [number, number]
  machineBusy: boolean
}

/** Chromium, the server and the bench share two cores; more runnable work than this means other load. */
const BUSY_LOAD_AVERAGE = 1.5

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']

export async function runDevice(target: Target, ctx: ScenarioContext, plan: { cards: number; cursors: number; draggers: number; seconds: number; joinRuns: number }): Promise<DeviceResult> {
  const base = target.server.url
  const before = loadavg()[0]!
  // The bench pins itself to the load generator's core, and a browser it starts would inherit
  // that: all of Chromium's processes (renderer, network, compositor) on one shared core, which
  // no phone has. The browser gets both cores; the slow device is DevTools' CPU throttle.
  pinSelf(`${SERVER_CORE},${LOADGEN_CORE}`)
  let browser: Browser
  try {
    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ARGS })
  } finally {
    pinSelf(LOADGEN_CORE)
  }
  try {
    // One run varied from 2.9 to 4.4 s on a calm machine (a fresh browser's first page among
    // them): the median of several fresh phones says more than any one of them.
    const runs = []
    for (let i = 0; i < plan.joinRuns; i++) runs.push(await measureListView(browser, target, ctx))
    const joinRunsMs = runs.map((run) => run.timeToIdeaFormMs)
    const phone = runs[0] ? { ...runs[0], timeToIdeaFormMs: median(joinRunsMs), joinRunsMs } : null
    const board = await measureBoard(browser, base, ctx, plan)
    const after = loadavg()[0]!
    const machineBusy = Math.min(before, after) > BUSY_LOAD_AVERAGE
    if (machineBusy) ctx.log(`  invalid: machine busy (load average ${before.toFixed(1)} → ${after.toFixed(1)})`)
    return { phone, board, loadAverage: [before, after], machineBusy }
  } finally {
    await browser.close()
  }
}

/** In the page: an enabled, visible text box labelled "Add an idea…". */
function ideaFormShown(): boolean {
  return [...document.querySelectorAll('textarea, input')].some(
    (field) =>
      field instanceof HTMLTextAreaElement &&
      !field.disabled &&
      field.getClientRects().length > 0 &&
      [...(field.labels ?? [])].some((label) => label.textContent?.startsWith('Add an idea')),
  )
}

async function slowDown(page: Page, network: boolean): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })
  await cdp.send('Network.enable')
  if (network) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...SLOW_NETWORK })
  return cdp
}

async function measureListView(browser: Browser, target: Target, ctx: ScenarioContext) {
  const room = await target.createRoom()
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'en-GB' })
  try {
    const page = await context.newPage()
    const cdp = await slowDown(page, true)
    const scripts = new Map<string, { url: string; encoded: number; decoded: number }>()
    cdp.on('Network.responseReceived', (event) => {
      if (event.type === 'Script') scripts.set(event.requestId, { url: event.response.url, encoded: 0, decoded: 0 })
    })
    cdp.on('Network.dataReceived', (event) => {
      const script = scripts.get(event.requestId)
      if (script) script.decoded += event.dataLength
    })
    cdp.on('Network.loadingFinished', (event) => {
      const script = scripts.get(event.requestId)
      if (script) script.encoded = event.encodedDataLength
    })
    const started = performance.now()
    await page.goto(`${target.server.url}/w/${room.id}/join`)
    const loadedAt = performance.now() - started
    await page.getByRole('button', { name: 'Join the workshop' }).click({ timeout: 30_000 })
    const clickedAt = performance.now() - started
    // Checked on every animation frame: Playwright's own wait polls ever less often (up to every
    // 500 ms), which measured its back-off rather than the page.
    await page.waitForFunction(ideaFormShown, undefined, { polling: 'raf', timeout: 30_000 })
    const timeToIdeaFormMs = performance.now() - started
    // And it takes text: the form is usable, not only drawn.
    await page.getByRole('textbox', { name: /Add an idea/ }).first().fill('x', { timeout: 30_000 })
    const loaded = [...scripts.values()]
    const kb = (n: number) => n / 1024
    ctx.log(`  list view on a slow phone: form usable after ${timeToIdeaFormMs.toFixed(0)} ms (page loaded ${loadedAt.toFixed(0)}, joined ${clickedAt.toFixed(0)}); ${loaded.length} scripts, ${kb(loaded.reduce((s, x) => s + x.encoded, 0)).toFixed(0)} KB on the wire`)
    return {
      listViewJsKB: kb(loaded.reduce((sum, script) => sum + script.encoded, 0)),
      listViewJsDecodedKB: kb(loaded.reduce((sum, script) => sum + script.decoded, 0)),
      timeToIdeaFormMs,
    }
  } finally {
    await context.close()
  }
}

/** A workshop whose board holds `cards` published idea cards. */
async function boardWithCards(base: string, cards: number): Promise<{ workshopId: string; facilitatorKey: string }> {
  const created = await httpJson<{ workshopId: string; facilitatorKey: string }>(`${base}/api/workshops`, { body: { title: 'Device bench' } })
  const { workshopId, facilitatorKey } = created.body
  const sections = ['vision', 'values', 'ground-rules']
  const perPerson = 10
  const people = await Promise.all(Array.from({ length: Math.ceil(cards / perPerson) }, () => joinParity(base, workshopId)))
  let made = 0
  await Promise.all(
    people.map(async (token, person) => {
      for (let i = 0; i < perPerson && made < cards; i++) {
        made += 1
        const section = sections[(person + i) % sections.length]!
        const { status, body } = await httpJson(`${base}/api/workshops/${workshopId}/sections/${section}/ideas`, {
          body: { text: `Idea ${person}-${i}: people are listened to and treated as equals in every meeting` },
          token,
        })
        if (status !== 201) throw new Error(`idea: ${status} ${JSON.stringify(body)}`)
      }
    }),
  )
  for (const section of sections) await httpJson(`${base}/api/workshops/${workshopId}/sections/${section}/reveal`, { body: {}, token: facilitatorKey })
  return { workshopId, facilitatorKey }
}

async function measureBoard(browser: Browser, base: string, ctx: ScenarioContext, plan: { cards: number; cursors: number; draggers: number; seconds: number }) {
  const { workshopId, facilitatorKey } = await boardWithCards(base, plan.cards)
  const wsBase = base.replace(/^http/, 'ws')
  const others = await Promise.all(
    Array.from({ length: plan.cursors }, async (_, i) => {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(`${wsBase}/ws/${workshopId}`, 'board', doc, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token: await joinParity(base, workshopId) },
        disableBc: true,
      })
      provider.awareness.setLocalState({ name: `Person ${i + 1}`, color: '#3366aa', cursor: [100, 100], hidden: false })
      return { doc, provider }
    }),
  )
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' })
  await context.addInitScript(
    ({ workshopId, facilitatorKey }) => {
      localStorage.setItem(`parity:${workshopId}:facilitator`, facilitatorKey)
      localStorage.setItem('parity:view', 'board')
    },
    { workshopId, facilitatorKey },
  )
  const timers: NodeJS.Timeout[] = []
  try {
    const page = await context.newPage()
    await page.goto(`${base}/w/${workshopId}`)
    await page.locator('.tl-canvas').waitFor({ timeout: 60_000 })
    await sleep(2000)
    const cdp = await slowDown(page, false)
    // Cursors at 10 Hz each; 5 people drag cards at 20 Hz.
    let t = 0
    timers.push(
      setInterval(() => {
        t += 1
        others.forEach(({ provider }, i) => provider.awareness.setLocalStateField('cursor', [200 + ((t * 7 + i * 40) % 900), 200 + ((t * 5 + i * 30) % 700)]))
      }, 100),
    )
    const cardIds = (others[0]!.doc.getArray(BoardRoot.records).toArray() as { key: string }[]).map((entry) => entry.key).filter((key) => key.startsWith(ideaCardId('')))
    const draggers = others.slice(0, plan.draggers).map(({ doc }, i) => {
      const records = new KeyValueArray<BoardRecord>(doc.getArray(BoardRoot.records))
      return { records, id: cardIds[i * 7] }
    })
    timers.push(
      setInterval(() => {
        t += 1
        for (const dragger of draggers) {
          if (!dragger.id) continue
          const record = dragger.records.get(dragger.id)
          if (record) dragger.records.set(dragger.id, { ...record, x: 40 + ((t * 3) % 600), y: 80 + ((t * 2) % 500) })
        }
      }, 50),
    )
    // A string, not a function: tsx wraps named functions in a helper the page does not have.
    // BENCH_PROFILE_DIR: a CPU profile of the page for the measured seconds (open it in DevTools).
    const profileDir = process.env.BENCH_PROFILE_DIR
    // BENCH_TRACE_DIR: a performance trace of the same seconds (style, layout, paint, layers).
    const traceDir = process.env.BENCH_TRACE_DIR
    if (profileDir) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    if (traceDir) {
      mkdirSync(traceDir, { recursive: true })
      await browser.startTracing(page, { path: join(traceDir, `board-${Date.now()}.json`), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'viz'] })
    }
    const frames = (await page.evaluate(`new Promise((resolve) => {
      const deltas = []
      let last = performance.now()
      const end = last + ${plan.seconds * 1000}
      const tick = (now) => {
        deltas.push(now - last)
        last = now
        if (now < end) requestAnimationFrame(tick)
        else resolve(deltas)
      }
      requestAnimationFrame(tick)
    })`)) as number[]
    if (traceDir) await browser.stopTracing()
    if (profileDir) {
      const { profile } = await cdp.send('Profiler.stop')
      mkdirSync(profileDir, { recursive: true })
      writeFileSync(join(profileDir, `board-${Date.now()}.cpuprofile`), JSON.stringify(profile))
    }
    const summary = summarise(frames)
    ctx.log(`  board, ${plan.cards} cards, ${plan.cursors} cursors, ${plan.draggers} dragging, CPU ÷${CPU_SLOWDOWN}: frame p50 ${summary.p50.toFixed(1)} ms, p95 ${summary.p95.toFixed(1)} ms`)
    return { cards: plan.cards, cursors: plan.cursors, draggers: plan.draggers, frames: summary, seconds: plan.seconds }
  } finally {
    for (const timer of timers) clearInterval(timer)
    for (const { provider, doc } of others) {
      provider.destroy()
      doc.destroy()
    }
    await context.close()
  }
}
