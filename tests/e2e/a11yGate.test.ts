import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { busyWorkshop, rememberKeys, runAxe } from '../helpers/a11y.ts'
import { readState } from '../../shared/stateDoc.ts'
import { api, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * The gate (L25) on every route at desktop and 360 px, reduced motion on, plus what axe cannot
 * see: one h1 and a title per view (L22), reflow at 360 and 320 (L11), no endless animation
 * (L14), 44 px targets in participant views (L10), focus never hidden (L12), a visible focus
 * outline in forced colours (L13), and no request leaving our origin (W14).
 */
interface RouteCase {
  name: string
  who: 'participant' | 'facilitator'
  path: (workshopId: string) => string
  /** Waits until the view has settled (data loaded). */
  ready: (page: Page) => Promise<unknown>
  /** A participant view: every target at least 44 × 44 (L10). */
  participantView: boolean
  board?: boolean
}

const heading = (page: Page, text: string) => page.getByRole('heading', { level: 1, name: text }).waitFor({ timeout: 15_000 })

const ROUTES: RouteCase[] = [
  { name: 'home', who: 'participant', path: () => '/', ready: (p) => heading(p, 'Parity'), participantView: true },
  {
    name: 'join',
    who: 'participant',
    path: (id) => `/w/${id}/join`,
    ready: (p) => p.getByTestId('workshop-content-note').waitFor({ timeout: 15_000 }),
    participantView: true,
  },
  {
    name: 'workshop (list)',
    who: 'participant',
    path: (id) => `/w/${id}`,
    ready: (p) => p.getByRole('button', { name: /^Vote for: Be kind/ }).waitFor({ timeout: 15_000 }),
    participantView: true,
  },
  {
    name: 'workshop (board)',
    who: 'participant',
    path: (id) => `/w/${id}?view=board`,
    ready: (p) => p.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 30_000 }),
    participantView: false,
    board: true,
  },
  { name: 'what we agreed', who: 'participant', path: (id) => `/w/${id}/agreed`, ready: (p) => p.locator('main .card').first().waitFor({ timeout: 15_000 }), participantView: true },
  { name: 'presenter', who: 'participant', path: (id) => `/w/${id}/present`, ready: (p) => p.locator('.present-section').waitFor({ timeout: 15_000 }), participantView: false },
  { name: 'left', who: 'participant', path: (id) => `/w/${id}/left`, ready: (p) => heading(p, 'You have left the workshop'), participantView: true },
  { name: 'not found', who: 'participant', path: () => '/nothing/here', ready: (p) => heading(p, 'We could not find that page'), participantView: true },
  { name: 'facilitator setup', who: 'facilitator', path: (id) => `/w/${id}/facilitate`, ready: (p) => p.locator('.join-code').waitFor({ timeout: 15_000 }), participantView: false },
  {
    name: 'workshop (facilitator)',
    who: 'facilitator',
    path: (id) => `/w/${id}`,
    ready: (p) => p.getByTestId('pause-requests').waitFor({ timeout: 15_000 }),
    participantView: false,
  },
]

const WIDTHS = [
  { label: 'desktop', viewport: { width: 1280, height: 800 } },
  { label: '360 px', viewport: { width: 360, height: 740 } },
]

/** Horizontal scroll outside the canvas (L11). */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const root = document.documentElement
    return root.scrollWidth > root.clientWidth ? `page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window` : null
  })

/** Interactive elements smaller than 44 × 44 (L10). Links inside running text are exempt (WCAG 2.5.8). */
const smallTargets = (page: Page) =>
  page.evaluate(() => {
    const found: string[] = []
    for (const element of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, summary, [role="button"]')) {
      if (element.closest('.visually-hidden, .skip-link, .tl-container')) continue
      const style = getComputedStyle(element)
      if (style.display === 'none' || style.visibility === 'hidden') continue
      if (element.tagName === 'A' && element.closest('p, li') && !element.classList.contains('button')) continue
      // A tick box or radio inside its label: the label is the target.
      const target = element.matches('input[type="checkbox"], input[type="radio"]') ? (element.closest('label') ?? element) : element
      const box = target.getBoundingClientRect()
      if (box.width === 0 && box.height === 0) continue
      if (box.width < 44 || box.height < 44) found.push(`${element.tagName.toLowerCase()} “${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}” ${Math.round(box.width)}×${Math.round(box.height)}`)
    }
    return found
  })

describe('accessibility gate on every route (L25, L10–L14, L22, W14)', () => {
  let server: TestServer
  let workshopId: string
  let facilitatorKey: string
  const browsers: Record<'participant' | 'facilitator', TestBrowser | null> = { participant: null, facilitator: null }
  const requests: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    const busy = await busyWorkshop(server)
    workshopId = busy.workshop.workshopId
    facilitatorKey = busy.workshop.facilitatorKey
    for (const who of ['participant', 'facilitator'] as const) {
      // bypassCSP lets axe be injected as a script tag. It also makes the W14 check stricter: a
      // third-party request our CSP would block still shows up here instead of failing silently.
      const browser = await openBrowser({ reducedMotion: 'reduce', bypassCSP: true })
      browsers[who] = browser
      await rememberKeys(browser.context, workshopId, who === 'participant' ? { token: busy.people[0]!.token } : { facilitatorKey: busy.workshop.facilitatorKey })
      // W14: every request of every page, from the first.
      browser.context.on('request', (request) => requests.push(request.url()))
    }
  })
  afterAll(async () => {
    for (const browser of Object.values(browsers)) await browser?.close()
    await server.dispose()
  })

  const open = async (route: RouteCase, viewport: { width: number; height: number }) => {
    const page = await browsers[route.who]!.context.newPage()
    await page.setViewportSize(viewport)
    await page.emulateMedia({ reducedMotion: 'reduce' })
    await page.addInitScript((board) => localStorage.setItem('parity:view', board ? 'board' : 'list'), route.board === true)
    await page.goto(server.url + route.path(workshopId))
    await route.ready(page)
    return page
  }

  for (const width of WIDTHS)
    describe(width.label, () => {
      for (const route of ROUTES)
        it(`${route.name}: axe clean, one h1 and a title, reflows, no endless motion`, { timeout: 60_000 }, async () => {
          const page = await open(route, width.viewport)
          try {
            const violations = await runAxe(page)
            expect(violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
            expect(await page.evaluate(() => document.documentElement.lang)).toBe('en-GB')
            expect(await page.locator('h1').count()).toBe(1)
            expect(await page.title()).toMatch(/.+ – Parity$/)
            expect(await overflow(page)).toBeNull()
            // L21, W11: "Get support" first in the same bar on every screen; the ground rules beside it in a workshop.
            expect(await page.locator('.support-bar button').first().textContent()).toBe('Get support')
            if (route.path('x').startsWith('/w/')) expect(await page.locator('.support-bar').getByRole('button', { name: 'Ground rules' }).count()).toBe(1)
            const endless = await page.evaluate(() => document.getAnimations().filter((a) => a.effect?.getTiming().iterations === Infinity).length)
            expect(endless).toBe(0)
            if (width.viewport.width === 360) {
              await page.setViewportSize({ width: 320, height: 700 })
              expect(await overflow(page)).toBeNull()
              if (route.participantView) expect(await smallTargets(page)).toEqual([])
            }
            const foreign = requests.filter((url) => !url.startsWith(server.url) && !/^(data|blob):/.test(url))
            expect(foreign).toEqual([])
          } finally {
            await page.close()
          }
        })
    })

  it('never hides the focused element behind anything, at 360 px (L12)', { timeout: 60_000 }, async () => {
    const page = await open(ROUTES[2]!, { width: 360, height: 740 })
    try {
      const hidden: string[] = []
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab')
        const problem = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null
          if (!element || element === document.body) return null
          const box = element.getBoundingClientRect()
          const x = Math.min(Math.max(box.left + box.width / 2, 0), window.innerWidth - 1)
          const y = Math.min(Math.max(box.top + Math.min(box.height / 2, 10), 0), window.innerHeight - 1)
          const top = document.elementFromPoint(x, y)
          if (top && (top === element || element.contains(top) || top.contains(element) || top.closest('label')?.contains(element))) return null
          return `${element.tagName} “${(element.textContent ?? '').trim().slice(0, 30)}” is under ${top?.tagName}.${top?.className}`
        })
        if (problem) hidden.push(problem)
      }
      expect(hidden).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('shows focus as an outline in forced colours (L13)', { timeout: 60_000 }, async () => {
    const page = await open(ROUTES[2]!, { width: 1280, height: 800 })
    try {
      await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' })
      const missing: string[] = []
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab')
        const outline = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null
          if (!element || element === document.body) return null
          const style = getComputedStyle(element)
          return { name: (element.textContent ?? element.tagName).trim().slice(0, 30), style: style.outlineStyle, width: parseFloat(style.outlineWidth) }
        })
        if (outline && (outline.style === 'none' || outline.width < 2)) missing.push(`${outline.name}: ${outline.style} ${outline.width}px`)
      }
      expect(missing).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('lists every section, idea, tally and proposal the state doc holds (L1)', { timeout: 60_000 }, async () => {
    await api(server, `/api/workshops/${workshopId}/sections/values/close-vote`, { body: { publishAnyway: true }, token: facilitatorKey })
    const view = server.rooms.withRoom(workshopId, (room) => readState(room.state.doc))
    const page = await open({ ...ROUTES[2]!, ready: (p) => p.locator('[data-section="values"] .results-list li').first().waitFor({ timeout: 15_000 }) }, { width: 1280, height: 800 })
    try {
      expect(await page.locator('.section-card h2').allTextContents()).toEqual(view.sections.map((s) => s.title))
      for (const section of view.sections) {
        const card = page.locator(`[data-section="${section.sectionId}"]`)
        const published = view.ideas.filter((idea) => idea.sectionId === section.sectionId && idea.status === 'published' && idea.kind === 'idea')
        expect(await card.locator('.idea-list .idea').count()).toBe(published.length)
        const shown = await card.locator('.idea-list .idea').allTextContents()
        // A noted idea shows its note until opened; every other idea shows its words.
        for (const idea of published) expect(shown.some((text) => text.includes(idea.contentNote ? `Content note: ${idea.contentNote}` : idea.text))).toBe(true)
        const results = view.results[section.sectionId]
        if (results) expect(await card.locator('.results-list li').count()).toBe(results.ranked.length)
        for (const proposal of view.proposals.filter((p) => p.sectionId === section.sectionId && p.status === 'open'))
          expect(await card.locator('.consent-form').textContent()).toContain(proposal.text ?? proposal.items![0]!)
      }
    } finally {
      await page.close()
    }
  })
})
