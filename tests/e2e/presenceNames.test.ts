import { describe, expect, it } from 'vitest'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { createWorkshop } from '../helpers/testServer.ts'

/**
 * The made-up name (and colour) others see on the board belongs to one workshop. Kept once per
 * device, the same name in the same colour followed a person through every workshop of a
 * programme, so anyone who knew them in March knew them in April (December insider review).
 */
describe('names on the board', () => {
  const fixture = serverWithBrowsers()

  it('are made afresh for each workshop, never carried from another one on the same device', { timeout: 90_000 }, async () => {
    const [march, april] = [await createWorkshop(fixture.server, 'March'), await createWorkshop(fixture.server, 'April')]
    const browser = await openBrowser({ viewport: { width: 360, height: 740 } })
    fixture.browsers.push(browser)
    const page = await browser.context.newPage()
    // What an older version kept for the whole device.
    await page.goto(`${fixture.server.url}/`)
    await page.evaluate(() => localStorage.setItem('parity:pseudonym', 'Legacy Lark'))

    const nameBox = page.getByLabel('Name others see on the board (optional)')
    await page.goto(`${fixture.server.url}/w/${march.workshopId}/join`)
    expect(await nameBox.inputValue()).not.toBe('Legacy Lark')
    await nameBox.fill('Sam from March')
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.getByRole('heading', { level: 1, name: 'March' }).waitFor({ timeout: 20_000 })

    await page.goto(`${fixture.server.url}/w/${april.workshopId}/join`)
    const offered = await nameBox.inputValue()
    expect(offered).not.toBe('Sam from March')
    expect(offered).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.getByRole('heading', { level: 1, name: 'April' }).waitFor({ timeout: 20_000 })

    const kept = await page.evaluate(([a, b]) => [localStorage.getItem(`parity:${a}:pseudonym`), localStorage.getItem(`parity:${b}:pseudonym`)], [march.workshopId, april.workshopId])
    expect(kept).toEqual(['Sam from March', offered])
  })
})
