import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

const values = (page: Page) => page.locator('[data-section="values"]')

/** Issue 13 item 8: after "Yes, withdraw it", Undo for an idea nobody has seen yet. */
describe('withdraw has Undo', () => {
  const fixture = serverWithBrowsers()

  it('brings a waiting idea back with Undo; a shown idea says it cannot be undone and offers none', { timeout: 150_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const [token, other, third] = await flow.join(3)
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: token! }, 'list')
    fixture.browsers.push(browser)
    await values(page).getByLabel('Add an idea to “Our values”').fill('Second thoughts')
    await values(page).getByRole('button', { name: 'Add my idea' }).click()
    const myIdeas = () => values(page).locator('.my-idea .idea-text').allTextContents()
    await expect.poll(myIdeas, { timeout: 10_000 }).toEqual(['Second thoughts'])

    // The page's clock is moved on, not waited for: timers set from here on are faked.
    await page.clock.install()
    await values(page).getByRole('button', { name: 'Withdraw your idea: Second thoughts' }).click()
    const confirm = values(page).getByRole('group', { name: 'Withdraw this idea?' })
    expect(await confirm.textContent()).toContain('Nobody has seen it yet. You can undo this while ideas are still being added here.')
    await confirm.getByRole('button', { name: 'Yes, withdraw it' }).click()
    await expect.poll(myIdeas).toEqual([])
    const undo = values(page).getByRole('group', { name: 'Withdrawn: “Second thoughts”. Nobody saw it.' })
    // No clock: Undo is still there after the 30 seconds it used to last (focus and pointer elsewhere).
    await page.mouse.move(0, 0)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.clock.fastForward('00:31')
    expect(await undo.getByRole('button', { name: 'Undo' }).count()).toBe(1)
    await undo.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(myIdeas, { timeout: 10_000 }).toEqual(['Second thoughts'])
    expect(await values(page).locator('.my-idea .idea-status').textContent()).toBe('Waiting — only you can see it')
    await expect.poll(() => undo.count()).toBe(0)

    // Back among the waiting ideas: shown with the next batch like any other.
    await flow.addAndReveal('values', [other!, third!], ['Be kind', 'Hope'])
    expect(flow.state().ideas.map((idea) => idea.text).sort()).toEqual(['Be kind', 'Hope', 'Second thoughts'])

    // A shown idea: no Undo, and the question says so.
    await values(page).getByRole('button', { name: 'Withdraw your idea: Second thoughts' }).click({ timeout: 10_000 })
    expect(await confirm.textContent()).toContain('This cannot be undone.')
    await confirm.getByRole('button', { name: 'Yes, withdraw it' }).click()
    await expect.poll(myIdeas).toEqual([])
    expect(await values(page).locator('.undo-withdraw').count()).toBe(0)
  })
})
