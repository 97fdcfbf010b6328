import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { api, createWorkshop } from '../helpers/testServer.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

const values = (page: Page) => page.locator('[data-section="values"]')

describe('voting and consent in real browsers', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  it('three participants vote with buttons, see ranked results, and agree a list by consent', { timeout: 150_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const opened = await Promise.all([0, 1, 2].map(() => openBrowser()))
    browsers.push(...opened)
    const pages: Page[] = []
    for (const browser of opened) {
      const page = await browser.context.newPage()
      await page.goto(workshop.joinUrl)
      await page.getByRole('button', { name: 'Join the workshop' }).click()
      await page.getByRole('button', { name: 'List' }).click()
      pages.push(page)
    }
    const [a, b, c] = pages as [Page, Page, Page]
    for (const [page, text] of [
      [a, 'Respect'],
      [b, 'Honesty'],
      [c, 'Hope'],
    ] as const) {
      await values(page).getByLabel('Add an idea to “Our values”').fill(text)
      await values(page).getByRole('button', { name: 'Add my idea' }).click()
      await expect.poll(() => values(page).locator('.my-idea').count()).toBe(1)
    }
    const fac = (path: string, body: unknown = {}) => api(fixture.server, `/api/workshops/${workshop.workshopId}${path}`, { body, token: workshop.facilitatorKey })
    await fac('/sections/values/reveal', { publishAnyway: true })
    await fac('/sections/values/phase', { phase: 'vote' })

    // Votes are toggle buttons named with the idea text; remaining dots are always shown.
    await expect.poll(() => values(a).getByRole('button', { name: 'Vote for: Respect' }).count(), { timeout: 10_000 }).toBe(1)
    await values(a).getByRole('button', { name: 'Vote for: Respect' }).click()
    await expect.poll(() => values(a).getByRole('button', { name: 'Vote for: Respect' }).getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => values(a).locator('.dots-left').textContent()).toContain('You have 2 of 3 dots left')
    await values(a).getByRole('button', { name: 'Vote for: Hope' }).click()
    await values(b).getByRole('button', { name: 'Vote for: Respect' }).click()
    await values(c).getByRole('button', { name: 'Vote for: Respect' }).click()
    await values(c).getByRole('button', { name: 'Vote for: Honesty' }).click()
    // Change of mind: c takes the dot off Honesty.
    await values(c).getByRole('button', { name: 'Vote for: Honesty' }).click()
    await expect.poll(() => values(c).getByRole('button', { name: 'Vote for: Honesty' }).getAttribute('aria-pressed')).toBe('false')
    await expect.poll(() => values(b).locator('.vote-count').textContent()).toContain('3 of 3 have voted')
    expect(await values(b).locator('.results').count()).toBe(0)
    // Presses show at once and are saved just after: the vote closes only once every one is saved
    // (closing while c's change of mind was still on its way counted it as a dot on Honesty).
    for (const page of [a, b, c]) await expect.poll(() => values(page).locator('.dots-left').textContent()).not.toContain('saving')
    expect(await values(c).locator('.dots-left').textContent()).toContain('You have 2 of 3 dots left')

    await fac('/sections/values/close-vote', { publishAnyway: true })
    await expect.poll(() => values(b).locator('.results-list li').allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/Respect.*3 dots/),
      expect.stringMatching(/Hope.*1 dot/),
      expect.stringMatching(/Honesty.*0 dots/),
    ])

    await fac('/sections/values/phase', { phase: 'agree' })
    // c's saved answer (none) arrives late: what c picks and types first must stay.
    await c.route('**/response', async (route) => {
      if (route.request().method() === 'GET') await new Promise((resolve) => setTimeout(resolve, 1500))
      await route.continue()
    })
    const cSavedAnswer = c.waitForResponse((response) => response.url().endsWith('/response') && response.request().method() === 'GET')
    await fac('/sections/values/proposals', { items: ['Respect', 'Hope'] })
    for (const page of [a, b]) {
      await values(page).getByRole('radio', { name: 'I agree' }).check({ timeout: 10_000 })
      await values(page).getByRole('button', { name: 'Save my answer' }).click()
      await expect.poll(() => values(page).locator('.consent-form .success').count()).toBe(1)
    }
    await values(c).getByRole('radio', { name: 'I can live with it' }).check()
    await values(c).getByLabel('Why? (optional, shared without your name)').fill('Honesty matters too')
    await cSavedAnswer
    await c.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))))
    expect(await values(c).getByRole('radio', { name: 'I can live with it' }).isChecked()).toBe(true)
    expect(await values(c).getByLabel('Why? (optional, shared without your name)').inputValue()).toBe('Honesty matters too')
    await values(c).getByRole('button', { name: 'Save my answer' }).click()
    await expect.poll(() => values(c).locator('.consent-form .success').count()).toBe(1)
    const proposalId = fixture.server.rooms.withRoom(workshop.workshopId, (room) => [...room.state.doc.getMap('proposals').keys()][0]!)
    await api(fixture.server, `/api/workshops/${workshop.workshopId}/proposals/${proposalId}/close`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    await expect.poll(() => values(a).locator('.consent-history').textContent(), { timeout: 10_000 }).toContain('Round 1: ✓ Agreed')
    expect(await values(a).locator('.consent-history').textContent()).toContain('“Honesty matters too”')
  })
})
