import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { decodeQrImage } from '../helpers/qr.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/** Issue 13 item 5: one join block (code, QR code, short address, link) on every facilitator screen, once. */
describe('one join block', () => {
  const fixture = serverWithBrowsers()

  it('the facilitator page and the board each show one QR code, inside the console’s “Invite people”, with the code and the short address', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey, joinCode } = flow.workshop
    const joinUrl = `${fixture.server.url}/w/${workshopId}/join`
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'board', undefined, { viewport: { width: 1366, height: 768 } })
    fixture.browsers.push(browser)

    const check = async (screen: Page) => {
      const block = screen.getByTestId('facilitator-console').getByRole('region', { name: 'Invite people' })
      await expect.poll(() => block.locator('.join-code').textContent(), { timeout: 30_000 }).toBe(`${joinCode.slice(0, 3)}-${joinCode.slice(3)}`)
      expect(await block.locator('.join-code').getAttribute('aria-label')).toBe(`Join code: ${joinCode.split('').join(' ')}`)
      expect(await block.textContent()).toContain(`Go to ${new URL(fixture.server.url).host} and type the code:`)
      expect(await block.getByLabel('Join link').inputValue()).toBe(joinUrl)
      // One QR code on the whole screen, and it scans to the join link.
      expect(await screen.getByRole('img', { name: /QR code/ }).count()).toBe(1)
      expect(await decodeQrImage(block.getByRole('img', { name: /QR code/ }))).toBe(joinUrl)
      expect(await screen.getByRole('region', { name: 'Invite people' }).count()).toBe(1)
    }
    await check(page)
    await page.goto(`${fixture.server.url}/w/${workshopId}/facilitate`)
    await check(page)
  })
})
