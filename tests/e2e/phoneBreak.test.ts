import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }

/** Issue 13 item 8 (phones): a first-time phone user finds and uses "Take a break" behind the header's menu. */
describe('“Take a break” on a 360 px phone', () => {
  const fixture = serverWithBrowsers()

  const open = async (): Promise<Page> => {
    const flow = await workshopFlow(fixture.server)
    const [token] = await flow.join(1)
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: token! }, 'list', undefined, PHONE)
    fixture.browsers.push(browser)
    await page.locator('[data-section="vision"] h2').waitFor({ timeout: 30_000 })
    return page
  }

  it('the menu button says what is inside; by keyboard: Tab to it, Enter, Tab to “Take a break”, Enter', { timeout: 90_000 }, async () => {
    const page = await open()
    const menu = page.getByRole('button', { name: 'Menu: take a break, ask for a pause, list or board, settings' })
    expect(await menu.isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Take a break', exact: true }).isVisible()).toBe(false)
    // The name is what is printed on the button: what sighted and screen-reader users meet is the same.
    expect((await menu.textContent())?.trim()).toBe('Menu: take a break, ask for a pause, list or board, settings')
    const box = (await menu.boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(360)
    expect(box.y).toBeLessThan(740)

    await page.locator('body').focus()
    for (let i = 0; i < 30 && !(await menu.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab')
    expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    expect(await page.getByRole('button', { name: 'Close the menu' }).getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Take a break')
    await page.keyboard.press('Enter')
    await page.getByTestId('break-screen').waitFor({ timeout: 10_000 })
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('I am ready to come back')
  })

  it('by tapping: the menu, then “Take a break”, then back', { timeout: 90_000 }, async () => {
    const page = await open()
    await page.getByRole('button', { name: /^Menu: take a break/ }).tap()
    const takeBreak = page.getByRole('button', { name: 'Take a break', exact: true })
    expect(await takeBreak.isVisible()).toBe(true)
    await takeBreak.tap()
    await page.getByTestId('break-screen').waitFor({ timeout: 10_000 })
    await page.getByRole('button', { name: 'I am ready to come back' }).tap()
    await page.getByTestId('break-screen').waitFor({ state: 'detached', timeout: 10_000 })
    expect(await page.locator('[data-section="vision"] h2').isVisible()).toBe(true)
  })
})
