import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CARD_WIDTH, ideaCardId, sectionFrameId } from '../../shared/boardRecords.ts'
import { readIdeas } from '../../shared/stateDoc.ts'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { boardRecordsOf, connectClient, eventually, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

const shapeCount = (page: Page) => page.locator('.tl-shape[data-shape-type="geo"]').count()

async function drawRectangle(page: Page) {
  const canvas = page.locator('.tl-canvas')
  await canvas.click({ position: { x: 400, y: 300 } })
  await page.keyboard.press('r')
  const box = (await canvas.boundingBox())!
  await page.mouse.move(box.x + 300, box.y + 200)
  await page.mouse.down()
  await page.mouse.move(box.x + 420, box.y + 300, { steps: 5 })
  await page.mouse.up()
}

describe('live board in a real browser', () => {
  let server: TestServer
  const browsers: TestBrowser[] = []
  const clients: ProviderClient[] = []

  beforeAll(async () => {
    server = await startTestServer({ config: { roomUnloadGraceMs: 50 } })
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    for (const browser of browsers) await browser.close()
    await server.dispose()
  })

  it('creates a workshop, joins from a second device, shares a shape, survives reload and restart', { timeout: 120_000 }, async () => {
    const facilitator = await openBrowser()
    const participant = await openBrowser()
    browsers.push(facilitator, participant)

    const a = await facilitator.context.newPage()
    await a.goto(server.url)
    await a.getByLabel('Workshop name').fill('Our shared vision, March')
    await a.getByRole('button', { name: 'Create workshop' }).click()
    await expect.poll(() => a.getByRole('heading', { name: 'Your workshop is ready' }).count()).toBe(1)
    expect(new URL(a.url()).hash).toBe('')
    const joinUrl = await a.getByLabel('Join link').inputValue()
    const code = await a.locator('.join-code').textContent()
    expect(code).toMatch(/^[A-Z2-9]{3}-[A-Z2-9]{3}$/)

    await a.getByRole('link', { name: 'Open the board' }).click()
    await a.locator('.tl-canvas').waitFor({ timeout: 20_000 })
    await expect.poll(() => a.getByTestId('connection-status').textContent()).toContain('Connected')

    // The second device joins by typing the code, as a participant would.
    const b = await participant.context.newPage()
    await b.goto(server.url)
    await b.getByLabel('Workshop code').fill(code!)
    await b.getByRole('button', { name: 'Join' }).click()
    await b.getByRole('button', { name: 'Join the workshop' }).click()
    await b.locator('.tl-canvas').waitFor({ timeout: 20_000 })
    expect(new URL(joinUrl).pathname).toBe(new URL(b.url()).pathname + '/join')

    await drawRectangle(a)
    await expect.poll(() => shapeCount(a)).toBe(1)
    await expect.poll(() => shapeCount(b), { timeout: 10_000 }).toBe(1)

    await b.reload()
    await b.locator('.tl-canvas').waitFor({ timeout: 20_000 })
    await expect.poll(() => shapeCount(b), { timeout: 10_000 }).toBe(1)

    server = await server.restart()
    const url = `${server.url}${new URL(b.url()).pathname}`
    await b.goto(url)
    await b.locator('.tl-canvas').waitFor({ timeout: 20_000 })
    await expect.poll(() => shapeCount(b), { timeout: 10_000 }).toBe(1)
  })
  it('lets a participant drag an idea card with the mouse, within its section and into another, while sections stay put', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(server)
    const base = `/api/workshops/${workshop.workshopId}`
    const [person, watcher] = await Promise.all([joinWorkshop(server, workshop.workshopId), joinWorkshop(server, workshop.workshopId)])
    await api(server, `${base}/sections/values/ideas`, { body: { text: 'Listen first' }, token: person.token })
    await api(server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    const ideaId = server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc)[0]!.ideaId)
    const cardId = ideaCardId(ideaId)

    // Someone else's device, as a plain y-websocket client: what it sees is what everyone sees.
    const other = connectClient(server, workshop.workshopId, 'board', watcher.token)
    clients.push(other)
    await whenSynced(other)
    const records = boardRecordsOf(other.doc)
    const cardOnOther = () => records.get(cardId) as { x: number; y: number; parentId: string }
    const ideaCards = () => [...records.entries()].filter(([, record]) => record.type === 'idea-card').map(([key]) => key)
    const sections = () => ['vision', 'values', 'ground-rules'].map((sectionId) => records.get(sectionFrameId(sectionId)))
    const before = cardOnOther()
    const sectionsBefore = sections()
    expect(before).toMatchObject({ parentId: sectionFrameId('values') })
    expect(sectionsBefore.every((frame) => frame?.isLocked === false)).toBe(true)

    const { browser, page } = await openWorkshopAs(server.url, workshop.workshopId, { token: person.token }, 'board')
    browsers.push(browser)
    const card = page.locator('.tl-shape[data-shape-type="idea-card"]')
    await card.waitFor({ timeout: 30_000 })
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')

    const centre = async (selector: string) => {
      const box = (await page.locator(selector).first().boundingBox())!
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    }
    /** A real drag: press, move in steps, let go. */
    const drag = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      await page.mouse.move(from.x, from.y)
      await page.mouse.down()
      await page.mouse.move(to.x, to.y, { steps: 8 })
      await page.mouse.up()
    }

    // Sections are the facilitator's: dragging one by its heading moves nothing (checked below).
    const heading = await centre(`[data-shape-id="${sectionFrameId('vision')}"] .tl-frame-heading-hit-area`)
    await drag(heading, { x: heading.x + 80, y: heading.y + 80 })

    // Within its section: the card lands where it was let go.
    const zoom = (await card.boundingBox())!.width / CARD_WIDTH
    const start = await centre('.tl-shape[data-shape-type="idea-card"]')
    await drag(start, { x: start.x + 60, y: start.y + 50 })
    await eventually(() => {
      const after = cardOnOther()
      expect(after.parentId).toBe(sectionFrameId('values'))
      expect(Math.abs(after.x - (before.x + 60 / zoom))).toBeLessThan(2 / zoom)
      expect(Math.abs(after.y - (before.y + 50 / zoom))).toBeLessThan(2 / zoom)
    }, 10_000)

    // Duplicating or deleting the selected card is not for participants: nothing is sent.
    // (Duplicate first: a refused delete still clears the selection.)
    await page.keyboard.press('Control+d')
    await page.keyboard.press('Delete')

    // Into another section: tldraw re-parents it to that frame, and the server accepts it.
    const moved = await centre('.tl-shape[data-shape-type="idea-card"]')
    await drag(moved, await centre(`[data-shape-id="${sectionFrameId('ground-rules')}"]`))
    await eventually(() => expect(cardOnOther().parentId).toBe(sectionFrameId('ground-rules')), 10_000)

    // That last move arrived on the same socket after everything above, so none of it was refused.
    expect(await page.getByTestId('connection-status').textContent()).toContain('Connected')
    expect(ideaCards()).toEqual([cardId])
    expect(sections()).toEqual(sectionsBefore)
    expect(await card.count()).toBe(1)
  })
})
