import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readState } from '../../shared/stateDoc.ts'
import { openHeaderMenu, rememberKeys } from '../helpers/a11y.ts'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

const values = (page: Page) => page.locator('[data-section="values"]')

/**
 * Real input from keyboards and screen readers (issue 6, "Bad input"): rapid repeated presses,
 * a 10,000-character paste, pressing Back mid-flow. Each gets a gentle, specific message and
 * nothing is lost. (Submitting while offline is in announcements.test.ts.)
 */
describe('bad input, handled gently', () => {
  let server: TestServer
  let browser: TestBrowser
  beforeAll(async () => {
    server = await startTestServer()
    browser = await openBrowser({ viewport: { width: 360, height: 740 } })
  })
  afterAll(async () => {
    await browser.close()
    await server.dispose()
  })

  it('sends once on rapid presses, keeps a 10,000-character paste with a specific message, keeps drafts across Back, counts fast votes right', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(server)
    const base = `/api/workshops/${workshop.workshopId}`
    const person = await joinWorkshop(server, workshop.workshopId)
    await rememberKeys(browser.context, workshop.workshopId, { token: person.token })
    const page = await browser.context.newPage()

    // L20: the code field suits pasting a code and the phone's code suggestions.
    await page.goto(server.url)
    expect(await page.getByLabel('Workshop code').getAttribute('autocomplete')).toBe('one-time-code')

    await page.goto(`${server.url}/w/${workshop.workshopId}`)
    const box = values(page).getByLabel('Add an idea to “Our values”')

    // A 10,000-character paste: kept, with the length and the limit, nothing sent.
    await box.focus()
    await page.keyboard.insertText('a'.repeat(10_000))
    await values(page).getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => values(page).locator('.field-error').textContent()).toBe(
      'Your idea is 10000 characters long. Please keep it to 500. Your text is still here to shorten.',
    )
    expect((await box.inputValue()).length).toBe(10_000)
    expect(await values(page).locator('.char-count').textContent()).toBe('10000 of 500 characters — too long')

    // Rapid repeated Enter on the button: one idea.
    await box.fill('Listen before deciding')
    await values(page).getByRole('button', { name: 'Add my idea' }).focus()
    for (let i = 0; i < 5; i++) await page.keyboard.press('Enter')
    await expect.poll(() => values(page).locator('.my-idea').count()).toBe(1)
    await page.waitForTimeout(500)
    expect(await values(page).locator('.my-idea').count()).toBe(1)
    const pending = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).sections.find((s) => s.sectionId === 'values')!.pendingCount)
    expect(pending()).toBe(1)

    // Back mid-flow: the half-written idea is still there.
    await page.locator('[data-section="vision"]').getByLabel('Add an idea to “Our shared vision”').fill('Half-written, then I went to look at something')
    await openHeaderMenu(page)
    await page.getByRole('link', { name: 'What we agreed' }).click()
    await page.getByRole('heading', { level: 1, name: 'What we agreed' }).waitFor()
    await page.goBack()
    await expect.poll(() => page.locator('[data-section="vision"]').getByLabel('Add an idea to “Our shared vision”').inputValue()).toBe('Half-written, then I went to look at something')

    // Fast presses on a vote button: every press counts, and the screen ends where the server is.
    const others = await Promise.all([1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    await api(server, `${base}/sections/values/ideas`, { body: { text: 'Be kind' }, token: others[0]!.token })
    await api(server, `${base}/sections/values/ideas`, { body: { text: 'No jargon' }, token: others[1]!.token })
    await api(server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    await api(server, `${base}/sections/values/phase`, { body: { phase: 'vote' }, token: workshop.facilitatorKey })
    const vote = values(page).getByRole('button', { name: 'Vote for: Be kind' })
    await vote.focus()
    for (let i = 0; i < 3; i++) await page.keyboard.press('Space')
    await expect.poll(() => values(page).locator('.dots-left').textContent()).toBe('●●○ You have 2 of 3 dots left.')
    expect(await vote.getAttribute('aria-pressed')).toBe('true')
    // The screen answers at once; the save behind the last press may still be on its way.
    await expect
      .poll(async () => Object.values((await api<{ dots: Record<string, number> }>(server, `${base}/sections/values/ballot`, { token: person.token })).body.dots))
      .toEqual([1])
  })
})
