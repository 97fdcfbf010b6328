import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { expect } from 'vitest'
import { openBrowser, type TestBrowser } from './browser.ts'
import { api, createWorkshop, joinWorkshop, type TestServer } from './testServer.ts'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** L25: WCAG 2.0–2.2 A and AA. `wcag22aa` turns on target-size, which is off by default. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export interface AxeViolation {
  id: string
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

/** Runs axe-core in the page (injected from our own node_modules: no request leaves the machine). */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE })
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }))
  }, AXE_TAGS)
}

export interface Announcement {
  politeness: 'polite' | 'assertive'
  text: string
  /** The page's clock (fake when `page.clock` is installed). */
  at: number
}

/**
 * Records every message written to the app's two live regions, from the first moment the page
 * exists. Read them with `announcements(page)`.
 */
export async function recordAnnouncements(context: BrowserContext | Page): Promise<void> {
  await context.addInitScript(() => {
    const log: { politeness: string; text: string; at: number }[] = []
    ;(window as unknown as { __announcements: typeof log }).__announcements = log
    const watch = () => {
      for (const politeness of ['polite', 'assertive']) {
        const region = document.getElementById(`announcer-${politeness}`)
        if (!region) continue
        new MutationObserver(() => {
          const text = (region.textContent ?? '').replace(/\u00a0/g, '').trim()
          if (text) log.push({ politeness, text, at: Date.now() })
        }).observe(region, { childList: true, characterData: true, subtree: true })
      }
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch)
    else watch()
  })
}

export const announcements = (page: Page): Promise<Announcement[]> =>
  page.evaluate(() => (window as unknown as { __announcements?: Announcement[] }).__announcements ?? [])

/** The accessible-ish name of the focused element: aria-label, its label, or its text. */
export const focusedName = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }
    if (!element || element === document.body) return ''
    return (element.getAttribute('aria-label') ?? element.labels?.[0]?.textContent ?? element.textContent ?? '').replace(/\s+/g, ' ').trim()
  })

/** Presses Tab (only the keyboard) until the focused element's name matches; fails after `max` presses. */
export async function tabTo(page: Page, name: string | RegExp, max = 150): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text))
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (matches(await focusedName(page))) return
  }
  throw new Error(`Tab never reached “${String(name)}” (last: “${await focusedName(page)}”)`)
}

/** What the page has said through its announcer, in order. */
export const said = async (page: Page): Promise<string[]> => (await announcements(page)).map((a) => a.text)

/**
 * Keyboard only, as a screen reader user would: onto the board, Tab to the frame of `section`,
 * into its cards, Tab to the card whose description says `card`. Each key must be answered by
 * the announcer before the next is pressed.
 */
export async function keyboardToCard(page: Page, section: string, card: string): Promise<void> {
  await tabTo(page, 'Go to the board')
  await page.keyboard.press('Enter')
  await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('tl-container') ?? false)).toBe(true)
  const pressAndHear = async (key: string) => {
    const heard = (await said(page)).length
    await page.keyboard.press(key)
    await expect.poll(async () => (await said(page)).length).toBeGreaterThan(heard)
  }
  for (let step = 0; step < 6 && !(await said(page)).at(-1)?.includes(section); step++) await pressAndHear('Tab')
  await pressAndHear('Control+Shift+ArrowDown')
  for (let step = 0; step < 6 && !(await said(page)).at(-1)?.includes(card); step++) await pressAndHear('Tab')
  expect((await said(page)).at(-1)).toContain(card)
}

/**
 * A new device (its own browser profile) holding `keys`, open on the workshop page in `view`.
 * The caller closes `browser`. `before` runs on the context before the page opens; `options` go to
 * the browser (`bypassCSP` to inject axe, `viewport`, …).
 */
export async function openWorkshopAs(
  serverUrl: string,
  workshopId: string,
  keys: { token?: string; facilitatorKey?: string },
  view: 'list' | 'board',
  before?: (context: BrowserContext) => Promise<void>,
  options: BrowserContextOptions = {},
): Promise<{ browser: TestBrowser; page: Page }> {
  const browser = await openBrowser(options)
  await rememberKeys(browser.context, workshopId, keys)
  await before?.(browser.context)
  const page = await browser.context.newPage()
  await page.addInitScript((chosen) => localStorage.setItem('parity:view', chosen), view)
  await page.goto(`${serverUrl}/w/${workshopId}`)
  return { browser, page }
}

/** On phones the workshop header's actions sit behind "Menu" (issue 14): opens it when it is there and shut. */
export async function openHeaderMenu(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: /^Menu: / })
  if (await menu.isVisible()) await menu.click()
}

/** Gives a browser context a participant's or facilitator's key, as joining would. */
export async function rememberKeys(context: BrowserContext, workshopId: string, keys: { token?: string; facilitatorKey?: string }): Promise<void> {
  await context.addInitScript(
    ({ workshopId, token, facilitatorKey }) => {
      if (token) localStorage.setItem(`parity:${workshopId}:token`, token)
      if (facilitatorKey) localStorage.setItem(`parity:${workshopId}:facilitator`, facilitatorKey)
      // Tests choose the view themselves; the default depends on the screen width.
      if (!localStorage.getItem('parity:view')) localStorage.setItem('parity:view', 'list')
    },
    { workshopId, token: keys.token ?? null, facilitatorKey: keys.facilitatorKey ?? null },
  )
}

/**
 * A workshop in the middle of things, so every component is on screen: values in an open vote
 * (one idea with a content note), the vision with a draft to answer, ground rules gathering,
 * support contacts, a content note and a running timer.
 */
export async function busyWorkshop(server: TestServer) {
  const workshop = await createWorkshop(server)
  const base = `/api/workshops/${workshop.workshopId}`
  const facilitate = (path: string, body: unknown = {}, method?: string) =>
    api<Record<string, unknown>>(server, `${base}${path}`, { body, token: workshop.facilitatorKey, ...(method ? { method } : {}) })
  const people = await Promise.all([1, 2, 3].map(() => joinWorkshop(server, workshop.workshopId)))
  const add = (token: string, sectionId: string, text: string, contentNote?: string) =>
    api(server, `${base}/sections/${sectionId}/ideas`, { body: { text, ...(contentNote ? { contentNote } : {}) }, token })
  await facilitate('/wellbeing/settings', { supportContacts: ['Sam, peer support worker, in the room all day'], contentNote: 'We will talk about crisis care.' }, 'PUT')
  await add(people[0]!.token, 'values', 'Everyone is listened to')
  await add(people[1]!.token, 'values', 'Something hard that happened to me', 'mentions self-harm')
  await add(people[2]!.token, 'values', 'Be kind')
  await add(people[0]!.token, 'vision', 'Care that listens')
  await add(people[1]!.token, 'ground-rules', 'One voice at a time')
  // Vision and ground rules have one idea each: shown only because the facilitator insists (issue 12).
  for (const sectionId of ['values', 'vision', 'ground-rules']) await facilitate(`/sections/${sectionId}/reveal`, { publishAnyway: true })
  await facilitate('/sections/values/phase', { phase: 'vote' })
  await facilitate('/sections/vision/phase', { phase: 'agree' })
  await facilitate('/sections/vision/proposals', { text: 'Care that listens, for everyone.' })
  await facilitate('/wellbeing/timer', { sectionId: 'values', minutes: 30 })
  return { workshop, people, facilitate }
}
