import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { startTestServer, type TestServer } from '../helpers/testServer.ts'

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

  beforeAll(async () => {
    server = await startTestServer({ config: { roomUnloadGraceMs: 50 } })
  })
  afterAll(async () => {
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
})
