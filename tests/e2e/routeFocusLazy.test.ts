import { describe, expect, it } from 'vitest'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

/** The December facilitator review: focus after pages that load their code when opened. */
describe('focus after moving to a page that loads when opened', () => {
  const setup = serverWithBrowsers()

  it('puts focus on the new page’s heading after “Create workshop”, pressed with the keyboard', { timeout: 60_000 }, async () => {
    const browser = await openBrowser()
    setup.browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(setup.server.url)
    await page.getByLabel('Workshop name').fill('Focus check')
    await page.getByRole('button', { name: 'Create workshop' }).focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/facilitate$/, { timeout: 15_000 })
    await expect
      .poll(() => page.evaluate(() => (document.activeElement?.tagName === 'H1' ? 'h1' : (document.activeElement?.tagName ?? 'none').toLowerCase())), { timeout: 10_000 })
      .toBe('h1')
    await page.waitForTimeout(3000)
    expect(await page.evaluate(() => `${document.activeElement?.tagName}: ${document.activeElement?.textContent}`)).toBe('H1: Your workshop is ready')
  })
})
