import { describe, expect, it } from 'vitest'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api, createWorkshop } from '../helpers/testServer.ts'

/**
 * Issue 17, target 6b: the join response carries the state doc, so the idea form is usable
 * before the state socket has synced; the page says it is still connecting, not connected,
 * until that socket opens, and that it is trying again if it has not opened after a few seconds. After a reload there is no join response, and the socket alone works.
 */
describe('the list view from the join response', () => {
  const fixture = serverWithBrowsers()

  it('shows a usable idea form while the state socket is held back, and says it is connecting', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server, 'Before the socket')
    const browser = await openBrowser({ viewport: { width: 360, height: 740 } })
    fixture.browsers.push(browser)
    const page = await browser.context.newPage()
    await page.addInitScript(() => localStorage.setItem('parity:view', 'list'))

    // Every state socket waits for `release` before it reaches the server (the page sees it
    // still connecting); the board's sockets are left alone.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let stateSockets = 0
    await page.routeWebSocket(/\/ws\/[^/]+\/state(\?|$)/, async (socket) => {
      stateSockets += 1
      await held
      socket.connectToServer()
    })

    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}/join`)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    const form = page.getByLabel('Add an idea to “Our shared vision”')
    await form.waitFor({ timeout: 15_000 })
    await form.fill('Help that comes quickly')
    expect(await form.inputValue()).toBe('Help that comes quickly')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Before the socket')
    const status = page.getByTestId('connection-status')
    expect(await status.textContent()).toContain('Connecting')
    expect(await status.textContent()).not.toContain('Connected')
    expect(stateSockets).toBe(1)

    // Still not open a few seconds on: the page stops saying "connecting" and says it is trying
    // again, so nobody takes a page that gets no live changes for a working one.
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toContain('Reconnecting')

    // Once the socket reaches the server it syncs, and the page follows the workshop live.
    release()
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Connected')
    const moved = await api(fixture.server, `/api/workshops/${workshop.workshopId}/sections/vision/phase`, { body: { phase: 'discuss' }, token: workshop.facilitatorKey })
    expect(moved.status).toBe(200)
    await expect.poll(() => page.locator('[data-section="vision"]').textContent(), { timeout: 15_000 }).toContain('Talking it through')
    expect(stateSockets).toBe(1)

    // A reload has no join response: the page waits for its socket, as before.
    await page.reload()
    await page.getByLabel('Add an idea to “Our values”').waitFor({ timeout: 15_000 })
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Connected')
    expect(stateSockets).toBe(2)
  })
})
