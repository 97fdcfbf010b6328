import { describe, it } from 'vitest'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { busyWorkshop } from '../helpers/a11y.ts'

describe('shot', () => {
  const fixture = serverWithBrowsers()
  it('phone', { timeout: 120_000 }, async () => {
    const { workshop, people } = await busyWorkshop(fixture.server)
    const phone = await openBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    fixture.browsers.push(phone)
    await phone.context.addInitScript(({ id, token }) => { localStorage.setItem(`parity:${id}:token`, token); localStorage.setItem('parity:view', 'board') }, { id: workshop.workshopId, token: people[0]!.token })
    const page = await phone.context.newPage()
    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    await page.locator('.tl-canvas').waitFor({ timeout: 30_000 })
    await page.waitForTimeout(2000)
    await page.screenshot({ path: '/tmp/phone.png' })
    console.log('CANVAS', JSON.stringify(await page.locator('.tl-canvas').boundingBox()))
  })
})
