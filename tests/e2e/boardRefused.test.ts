import { describe, expect, it } from 'vitest'
import { boardRecordsOf, shapeRecord } from '../helpers/clients.ts'
import { announcements, openWorkshopAs, recordAnnouncements } from '../helpers/a11y.ts'
import { serverWithBrowsers, someoneElseOnTheBoard } from '../helpers/e2e.ts'
import { testLimits } from '../helpers/testServer.ts'

/**
 * A change the server refuses outright (4405) would be refused again on every reconnect if the
 * page kept it: the page must open the board afresh, as everyone sees it, and say so.
 */
describe('a board change the server refuses', () => {
  const fixture = serverWithBrowsers({ config: { limits: { ...testLimits, foreignDeletesPerMinute: 3 } } })

  it('puts the board back as everyone sees it, says the change could not be kept, and carries on', { timeout: 120_000 }, async () => {
    const { server } = fixture
    const { workshop, viewer: ann, other } = await someoneElseOnTheBoard(server)
    try {
      for (let i = 0; i < 5; i++) boardRecordsOf(other.doc).set(`shape:bob-${i}`, shapeRecord(`bob-${i}`, { x: 100 + i * 200, y: 100 }))
      const { browser, page } = await openWorkshopAs(server.url, workshop.workshopId, { token: ann.token }, 'board', recordAnnouncements)
      fixture.browsers.push(browser)
      const shapes = page.locator('.tl-shape[data-shape-type="geo"]')
      await expect.poll(() => shapes.count(), { timeout: 60_000 }).toBe(5)
      await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')

      // Everything Bob made, removed at once: more than the 3 a minute one person may remove.
      const box = (await page.locator('.tl-canvas').boundingBox())!
      await page.mouse.click(box.x + box.width - 20, box.y + box.height - 20)
      await page.keyboard.press('Control+a')
      await page.keyboard.press('Delete')

      await page.getByTestId('board-reset').waitFor({ timeout: 20_000 })
      expect(await page.getByTestId('board-reset').textContent()).toContain('Your last change to the board could not be kept.')
      // Said as it happens, through the page's alert region (a region that appears filled is often not read).
      await expect.poll(async () => (await announcements(page)).filter((a) => a.politeness === 'assertive').map((a) => a.text).join(' ')).toContain('Your last change to the board could not be kept.')
      await expect.poll(() => shapes.count(), { timeout: 30_000 }).toBe(5)
      await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')
      expect([...boardRecordsOf(other.doc).keys()].filter((key) => key.startsWith('shape:bob-'))).toHaveLength(5)
      await page.getByRole('button', { name: 'OK' }).click()
      expect(await page.getByTestId('board-reset').count()).toBe(0)
    } finally {
      other.destroy()
    }
  })
})
