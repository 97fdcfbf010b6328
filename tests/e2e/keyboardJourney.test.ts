import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { PublicProposal } from '../../shared/consent.ts'
import { focusedName, openWorkshopAs, tabTo } from '../helpers/a11y.ts'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

const values = (page: Page) => page.locator('[data-section="values"]')

/**
 * L4 and L5: the whole participant journey with the keyboard only — no mouse call anywhere in
 * this file. The facilitator's steps go through the HTTP API, as another device would.
 */
describe('the whole journey with only a keyboard (L4, L5)', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  it('joins, reads the ground rules, adds and edits an idea, votes and changes it, answers a draft, takes a break and leaves', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const facilitate = (path: string, body: unknown = {}) => api<PublicProposal>(fixture.server, `${base}${path}`, { body, token: workshop.facilitatorKey })
    // Ground rules agreed earlier in the day, by someone else.
    const others = await Promise.all([1, 2].map(() => joinWorkshop(fixture.server, workshop.workshopId)))
    await api(fixture.server, `${base}/sections/ground-rules/ideas`, { body: { text: 'One voice at a time' }, token: others[0]!.token })
    await facilitate('/sections/ground-rules/reveal', { publishAnyway: true })
    await facilitate('/sections/ground-rules/phase', { phase: 'agree' })
    const rules = (await facilitate('/sections/ground-rules/proposals', { items: ['One voice at a time', 'Breaks are fine'] })).body
    await api(fixture.server, `${base}/proposals/${rules.proposalId}/response`, { method: 'PUT', body: { response: 'agree' }, token: others[0]!.token })
    await facilitate(`/proposals/${rules.proposalId}/close`, { publishAnyway: true })

    const browser = await openBrowser()
    browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(workshop.joinUrl)
    await page.getByRole('heading', { level: 1, name: 'Join the workshop' }).waitFor()

    // Join. The first stop is the skip link.
    await page.keyboard.press('Tab')
    expect(await focusedName(page)).toBe('Skip to main content')
    await tabTo(page, 'Join the workshop')
    await page.keyboard.press('Enter')
    await page.waitForURL(`**/w/${workshop.workshopId}`)
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')
    await tabTo(page, 'List')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('button', { name: 'List' }).getAttribute('aria-pressed')).toBe('true')

    // Read the ground rules: the panel opens with focus on its heading; Escape goes back.
    await tabTo(page, 'Ground rules')
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedName(page)).toBe('Our ground rules')
    await expect.poll(() => page.locator('.ground-rules-list').textContent()).toContain('Breaks are fine')
    expect(await page.locator('.bar-panel').textContent()).toContain('We agreed these ground rules together.')
    await page.keyboard.press('Escape')
    expect(await focusedName(page)).toBe('Ground rules')
    expect(await page.locator('.bar-panel').count()).toBe(0)

    // Add an idea.
    await tabTo(page, 'Add an idea to “Our values”')
    await page.keyboard.type('Everyone is heard')
    await tabTo(page, 'Add my idea', 5)
    await page.keyboard.press('Enter')
    await expect.poll(() => values(page).locator('.my-idea').textContent()).toContain('Everyone is heard')
    await expect.poll(() => values(page).locator('.my-idea').textContent()).toContain('Waiting — only you can see it')

    // Edit it: focus goes into the box, and back to Edit afterwards.
    await tabTo(page, 'Edit your idea: Everyone is heard')
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedName(page)).toBe('Change your idea')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('Everyone is heard and believed')
    await tabTo(page, 'Save change', 5)
    await page.keyboard.press('Enter')
    await expect.poll(() => values(page).locator('.my-idea .idea-text').textContent()).toBe('Everyone is heard and believed')
    await expect.poll(() => focusedName(page)).toBe('Edit your idea: Everyone is heard and believed')

    // Vote with buttons, then change the vote.
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Be kind' }, token: others[0]!.token })
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'No jargon' }, token: others[1]!.token })
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    await facilitate('/sections/values/phase', { phase: 'vote' })
    await values(page).getByRole('button', { name: 'Vote for: Be kind' }).waitFor({ timeout: 10_000 })
    await tabTo(page, 'Vote for: Be kind')
    await page.keyboard.press('Space')
    await expect.poll(() => values(page).getByRole('button', { name: 'Vote for: Be kind' }).getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => values(page).locator('.dots-left').textContent()).toContain('You have 2 of 3 dots left')
    await page.keyboard.press('Space')
    await expect.poll(() => values(page).getByRole('button', { name: 'Vote for: Be kind' }).getAttribute('aria-pressed')).toBe('false')
    await tabTo(page, 'Vote for: No jargon')
    await page.keyboard.press('Space')
    await expect.poll(() => values(page).getByRole('button', { name: 'Vote for: No jargon' }).getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => values(page).locator('.dots-left').textContent()).toContain('You have 2 of 3 dots left')
    // The buttons answer at once; the saves behind them may still be on their way.
    const token = await page.evaluate((id) => localStorage.getItem(`parity:${id}:token`)!, workshop.workshopId)
    await expect
      .poll(async () => Object.values((await api<{ dots: Record<string, number> }>(fixture.server, `${base}/sections/values/ballot`, { token })).body.dots))
      .toEqual([1])

    // Answer a draft (leaving the vote publishes one person's ballot: only because the facilitator insists).
    await facilitate('/sections/values/phase', { phase: 'agree', publishAnyway: true })
    await facilitate('/sections/values/proposals', { items: ['No jargon', 'Everyone is heard and believed'] })
    await values(page).getByRole('radio', { name: 'I agree' }).waitFor({ timeout: 10_000 })
    await tabTo(page, 'I agree')
    await page.keyboard.press('Space')
    await tabTo(page, 'Save my answer')
    await page.keyboard.press('Enter')
    await expect.poll(() => values(page).locator('.consent-form .success').textContent()).toContain('Your answer is saved')
    expect(await values(page).getByRole('radio', { name: 'I agree' }).isChecked()).toBe(true)

    // Take a break and come back: focus lands on the way back.
    await tabTo(page, 'Take a break')
    await page.keyboard.press('Enter')
    await page.getByTestId('break-screen').waitFor()
    await expect.poll(() => focusedName(page)).toBe('I am ready to come back')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('break-screen').count()).toBe(0)

    // Leave, quietly: this device forgets them.
    await tabTo(page, 'Leave')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: 'You have left the workshop' }).waitFor()
    await expect.poll(() => page.evaluate((id) => Object.keys(localStorage).filter((key) => key.includes(id)), workshop.workshopId)).toEqual([])
  })

  it('adds an idea from the board without a pointer, and Escape then Tab leaves the canvas', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const person = await joinWorkshop(fixture.server, workshop.workshopId)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { token: person.token }, 'board')
    browsers.push(browser)
    await page.locator('.tl-canvas').waitFor({ timeout: 30_000 })
    // L3: a participant's tools are only what the workshop needs.
    const tools = (p: typeof page) => p.locator('[data-testid^="tools."]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))
    expect(await tools(page)).toEqual(['tools.select', 'tools.hand'])

    // "Add an idea" opens a dialog for the section in view; focus starts in it.
    await tabTo(page, 'Add an idea')
    await page.keyboard.press('Enter')
    await page.getByRole('dialog', { name: 'Add an idea' }).waitFor()
    // Typing goes straight into the idea's box, not into the Section list (December review).
    await expect.poll(() => focusedName(page)).toMatch(/^Add an idea to “/)
    await page.keyboard.type('Listen first')
    await tabTo(page, 'Add my idea', 5)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('dialog .success').textContent()).toContain('Your idea is saved')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    expect(await focusedName(page)).toBe('Add an idea')

    // Into the canvas (tldraw's own skip button), where Tab moves between shapes; then out
    // again with Escape and Tab: no keyboard trap.
    await tabTo(page, 'Go to the board')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('tl-container') ?? false)).toBe(true)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('tl-container') ?? false)).toBe(true)
    await page.keyboard.press('Escape')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.closest('.tl-container') ?? null)).toBeNull()

    // The facilitator keeps tldraw's full set.
    const { browser: facilitatorBrowser, page: facilitator } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { facilitatorKey: workshop.facilitatorKey }, 'board')
    browsers.push(facilitatorBrowser)
    await facilitator.locator('[data-testid="tools.select"]').waitFor({ timeout: 30_000 })
    const facilitatorTools = await tools(facilitator)
    expect(facilitatorTools).toEqual(expect.arrayContaining(['tools.select', 'tools.hand', 'tools.draw', 'tools.note']))
    expect(facilitatorTools.length).toBeGreaterThan(3)
  })
})
