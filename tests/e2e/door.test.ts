import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { createWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * Issue 12 item 4 in a browser: the facilitator sees the headcount change without a reload and
 * closes the door; someone new then gets a plain sentence on the join page, not a second budget.
 */
describe('the door', () => {
  let server: TestServer
  let facilitator: TestBrowser
  let newcomer: TestBrowser
  beforeAll(async () => {
    server = await startTestServer()
    facilitator = await openBrowser()
    newcomer = await openBrowser({ viewport: { width: 360, height: 740 } })
  })
  afterAll(async () => {
    await facilitator.close()
    await newcomer.close()
    await server.dispose()
  })

  it('shows a live headcount, closes the door, and tells a newcomer plainly', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(server)
    const panel = await facilitator.context.newPage()
    await panel.goto(workshop.facilitatorUrl)
    const headcount = panel.getByTestId('headcount').first()
    await expect.poll(() => headcount.textContent(), { timeout: 30_000 }).toBe('0 people have joined.')

    // Someone joins from their phone: the count moves without a reload.
    const phone = await newcomer.context.newPage()
    await phone.goto(`${server.url}/w/${workshop.workshopId}/join`)
    await phone.getByRole('button', { name: 'Join the workshop' }).click()
    await expect.poll(() => phone.url(), { timeout: 30_000 }).toBe(`${server.url}/w/${workshop.workshopId}`)
    await expect.poll(() => headcount.textContent(), { timeout: 30_000 }).toBe('1 person has joined.')

    // Joining again from the same phone is the same person: the count stays at one.
    await phone.goto(`${server.url}/w/${workshop.workshopId}/join`)
    await phone.getByRole('button', { name: 'Join the workshop' }).click()
    await expect.poll(() => phone.url(), { timeout: 30_000 }).toBe(`${server.url}/w/${workshop.workshopId}`)

    await panel.getByRole('button', { name: 'Close the door' }).click()
    await expect.poll(() => panel.getByTestId('door-state').textContent(), { timeout: 30_000 }).toMatch(/^The door is closed/)

    const third = await openBrowser()
    const late = await third.context.newPage()
    await late.goto(`${server.url}/w/${workshop.workshopId}/join`)
    await late.getByRole('button', { name: 'Join the workshop' }).click()
    // Shown under the button and read out by the announcer.
    await expect.poll(() => late.getByText('The facilitator has closed the door').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1)
    // Focus stays on the button (a disabled button while joining dropped it to the top of the page).
    expect(await late.evaluate(() => document.activeElement?.textContent ?? 'nothing')).toBe('Join the workshop')
    await third.close()
    expect(await headcount.textContent()).toBe('1 person has joined.')

    await panel.getByRole('button', { name: 'Open the door again' }).click()
    await expect.poll(() => panel.getByTestId('door-state').textContent(), { timeout: 30_000 }).toMatch(/^The door is open/)
  })
})
