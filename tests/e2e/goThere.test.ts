import { describe, expect, it } from 'vitest'
import { announcements, openWorkshopAs, recordAnnouncements } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

describe('“Go there” on the board', () => {
  const fixture = serverWithBrowsers()

  it('brings the section the facilitator is showing into view, and says so', { timeout: 90_000 }, async () => {
    const { server } = fixture
    const workshop = await createWorkshop(server)
    const person = await joinWorkshop(server, workshop.workshopId)
    const { browser, page } = await openWorkshopAs(server.url, workshop.workshopId, { token: person.token }, 'board', recordAnnouncements)
    fixture.browsers.push(browser)
    const frame = page.locator('.tl-shape[data-shape-id="shape:section-ground-rules"]')
    await frame.waitFor({ state: 'attached', timeout: 60_000 })
    const canvas = (await page.locator('.tl-canvas').boundingBox())!
    const centreOf = async () => {
      const box = await frame.boundingBox()
      return box ? { x: box.x + box.width / 2, y: box.y + box.height / 2, w: box.width } : null
    }
    // The board opens on every section: the third frame starts off to the right of the middle.
    const before = await centreOf()

    await api(server, `/api/workshops/${workshop.workshopId}/wellbeing/spotlight`, { method: 'PUT', body: { sectionId: 'ground-rules' }, token: workshop.facilitatorKey })
    await page.getByRole('button', { name: 'Go there' }).click()
    await expect.poll(async () => (await announcements(page)).map((a) => a.text)).toContain('Showing “Our ground rules” on the board.')
    await expect.poll(async () => {
      const after = await centreOf()
      return after !== null && Math.abs(after.x - (canvas.x + canvas.width / 2)) < canvas.width / 4 && Math.abs(after.y - (canvas.y + canvas.height / 2)) < canvas.height / 4
    }, { timeout: 10_000 }).toBe(true)
    expect(await centreOf()).not.toEqual(before)
  })
})
