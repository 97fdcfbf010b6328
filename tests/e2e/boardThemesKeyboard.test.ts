import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { keyboardToCard, openWorkshopAs, recordAnnouncements, said, tabTo } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'


/** Issue 13 item 3: a named keyboard way to put a card with another card or into a theme on the board. */
describe('themes on the board by keyboard only', () => {
  const fixture = serverWithBrowsers()

  it('P on a selected card opens "Put with…", Enter puts it together, and every step is said', { timeout: 150_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    await api(fixture.server, `/api/workshops/${workshopId}/sections/values/themes`, {
      body: { ideaId: flow.ideaId('values', 'Listen first'), withIdeaId: flow.ideaId('values', 'Start on time'), name: 'Respect' },
      token: flow.workshop.facilitatorKey,
    })

    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: people[1]! }, 'board', recordAnnouncements, { viewport: { width: 1366, height: 768 } })
    fixture.browsers.push(browser)
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })

    // The way is named where keyboard users look: the board's keyboard help, and its hint said on the way in.
    expect(await page.locator('.board-keys').textContent()).toContain('(“Put with…”) on a selected card')

    // Keyboard only: into the canvas, to the Values frame, into its cards, to "Be kind".
    await keyboardToCard(page, 'Our values', 'Be kind')
    expect((await said(page)).filter((text) => text.includes('On a selected card, P puts it with another card or in a theme.'))).toHaveLength(1)

    // P: focus goes to "Put with…", and what to do there is said.
    await page.keyboard.press('p')
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLSelectElement | null)?.labels?.[0]?.textContent ?? '')).toContain('Put with…')
    await expect.poll(async () => (await said(page)).at(-1)).toContain('Put with: choose another card or a theme')
    const options = await page.evaluate(() => [...((document.activeElement as HTMLSelectElement).options)].map((o) => o.text))
    // The theme stands for its ideas; the one idea in no theme is offered itself.
    expect(options).toEqual(['Choose a card or a theme…', 'Theme: Respect'])
    // No tldraw tool was switched on by the key (a plain P draws nothing).
    expect(await page.locator('.tl-shape').count()).toBeGreaterThan(0)

    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await said(page)).at(-1), { timeout: 10_000 }).toBe('Put in the theme “Respect”.')
    await expect.poll(() => flow.state().themes.find((t) => t.name === 'Respect')?.ideaIds.length).toBe(3)
    // Back on the card in the canvas, without the "how to leave" hint over the news.
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('tl-container') ?? false)).toBe(true)

    // P again: nothing is left to put it with, and that is said.
    await page.keyboard.press('p')
    await expect.poll(async () => (await said(page)).at(-1)).toBe('There is no other card or theme in this section to put it with.')
  })

  it('says why when themes are closed (after the vote opened), and Escape leaves "Put with…" for the card', { timeout: 150_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: people[1]! }, 'board', recordAnnouncements, { viewport: { width: 1366, height: 768 } })
    fixture.browsers.push(browser)
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })
    await keyboardToCard(page, 'Our values', 'Be kind')

    await page.keyboard.press('p')
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('tl-container') ?? false)).toBe(true)
    await expect.poll(async () => (await said(page)).at(-1)).toBe('Back on the card: Be kind.')

    await flow.facilitate('/sections/values/phase', { phase: 'vote' })
    await expect.poll(() => page.locator('[data-testid="selected-card"] .put-with-row').count(), { timeout: 10_000 }).toBe(0)
    await page.keyboard.press('p')
    await expect.poll(async () => (await said(page)).at(-1)).toBe('Ideas can be put together only before the vote: “Our values” is past that step.')
  })
})
