import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { createWorkshop } from '../helpers/testServer.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

/** Opens the join link in a fresh browser and joins; lands in the list view. */
async function joinAsParticipant(browser: TestBrowser, joinUrl: string): Promise<Page> {
  const page = await browser.context.newPage()
  await page.goto(joinUrl)
  await page.getByRole('button', { name: 'Join the workshop' }).click()
  await page.getByRole('button', { name: 'List' }).click()
  return page
}

const values = (page: Page) => page.locator('[data-section="values"]')

describe('gather, reveal and discuss in real browsers', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  it('keeps ideas private until the facilitator reveals them, then shows them as cards to everyone', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const [facilitatorBrowser, aliceBrowser, bobBrowser] = await Promise.all([openBrowser(), openBrowser(), openBrowser()])
    browsers.push(facilitatorBrowser, aliceBrowser, bobBrowser)

    const facilitator = await facilitatorBrowser.context.newPage()
    await facilitator.goto(new URL(workshop.facilitatorUrl.replace(/^https?:\/\/[^/]+/, fixture.server.url)).toString())
    await facilitator.getByRole('link', { name: 'Open the board' }).click()
    await facilitator.locator('.tl-canvas').waitFor({ timeout: 20_000 })

    const alice = await joinAsParticipant(aliceBrowser, workshop.joinUrl)
    const bob = await joinAsParticipant(bobBrowser, workshop.joinUrl)

    await values(alice).getByLabel('Add an idea to “Our values”').fill('Everyone is listened to')
    await values(alice).getByRole('button', { name: 'Add my idea' }).click()
    await values(alice).getByLabel('Add an idea to “Our values”').fill('No jargon')
    await values(alice).getByRole('button', { name: 'Add my idea' }).click()
    await values(bob).getByLabel('Add an idea to “Our values”').fill('Be kind')
    await values(bob).getByRole('button', { name: 'Add my idea' }).click()

    // Each sees their own ideas and the count; nobody sees anyone else's.
    await expect.poll(() => values(alice).locator('.my-idea').count()).toBe(2)
    // The count is coarse ("a few"), so it does not step with each Send.
    await expect.poll(() => values(bob).locator('.idea-count').textContent()).toContain('a few ideas')
    expect(await bob.locator('body').textContent()).not.toContain('Everyone is listened to')
    expect(await facilitator.locator('body').textContent()).not.toContain('No jargon')

    // Three ideas from only two people: the facilitator is told, and can keep them waiting...
    await values(facilitator).getByRole('button', { name: 'Show all ideas (a few ideas waiting)' }).click()
    const tooFew = values(facilitator).getByRole('group', { name: 'Too few people to keep this secret.' })
    await tooFew.waitFor({ timeout: 10_000 })
    await tooFew.getByRole('button', { name: 'Wait for more people' }).click()
    expect(await values(alice).locator('.idea-list .idea').count()).toBe(0)
    // ...or show them anyway, which everyone is told.
    await values(facilitator).getByRole('button', { name: 'Show all ideas (a few ideas waiting)' }).click()
    await values(facilitator).getByRole('button', { name: 'Show it anyway (everyone will see that you did)' }).click()
    await expect.poll(() => values(bob).locator('.moderation-lines').textContent(), { timeout: 10_000 }).toContain('fewer than 3 people')
    for (const page of [alice, bob]) {
      await expect.poll(() => values(page).locator('.idea-list .idea').count(), { timeout: 10_000 }).toBe(3)
    }
    // Cards appear on the board, with the text from the state doc.
    await expect.poll(() => facilitator.locator('.tl-shape[data-shape-type="idea-card"]').count(), { timeout: 10_000 }).toBe(3)
    await expect.poll(() => facilitator.locator('.idea-card').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Be kind'), expect.stringContaining('No jargon')]))

    await values(facilitator).getByRole('button', { name: /Move on to “Talking it through”/ }).click()
    await expect.poll(() => values(bob).locator('.phase-badge').textContent()).toContain('Talking it through')

    // Hide one with a reason: everyone sees the line, nothing disappears silently.
    await values(facilitator).getByRole('checkbox', { name: 'No jargon' }).check()
    await values(facilitator).getByLabel('Reason for hiding (everyone will see it)').fill('off-topic')
    await values(facilitator).getByRole('button', { name: 'Hide selected (1)' }).click()
    await expect.poll(() => values(bob).locator('.moderation-lines').textContent()).toContain('1 idea hidden by the facilitator: off-topic')
    expect(await values(bob).locator('.moderation-lines').textContent()).toContain('fewer than 3 people')
    await expect.poll(() => values(alice).locator('.my-idea').filter({ hasText: 'No jargon' }).textContent()).toContain('Hidden by the facilitator')
    // The count matches the list everyone sees (it said "3 ideas shown" over 2).
    expect(await values(bob).locator('.idea-list .idea').count()).toBe(2)
    expect(await values(bob).locator('.idea-count').textContent()).toBe('2 ideas shown (and 1 hidden)')
  })
})

describe('adding ideas on a slow connection', () => {
  const fixture = serverWithBrowsers()

  it('keeps the next idea typed while the first is still sending, and sends it too', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const browser = await openBrowser()
    fixture.browsers.push(browser)
    const page = await joinAsParticipant(browser, workshop.joinUrl)
    // The first idea takes a while to reach the server.
    let delayed = false
    await page.route('**/sections/values/ideas', async (route) => {
      if (!delayed && route.request().method() === 'POST') {
        delayed = true
        await new Promise((resolve) => setTimeout(resolve, 1500))
      }
      await route.continue()
    })
    const box = values(page).getByLabel('Add an idea to “Our values”')
    await box.fill('Listen first')
    await values(page).getByRole('button', { name: 'Add my idea' }).click()
    await box.fill('Plain words')
    await values(page).getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => values(page).locator('.my-idea').allTextContents(), { timeout: 15_000 }).toEqual(
      expect.arrayContaining([expect.stringContaining('Listen first'), expect.stringContaining('Plain words')]),
    )
    await expect.poll(() => box.inputValue()).toBe('')
  })
})
