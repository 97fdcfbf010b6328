import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { rememberKeys } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { decodeQrImage } from '../helpers/qr.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/** Issue 13: the projector runs the room; now/next says where things really are. */
describe('projector view and clear states', () => {
  const fixture = serverWithBrowsers()

  it('shows how to join with a QR code, then results as a chart, the agreed statement, and the end', { timeout: 180_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshop } = flow
    const joinUrl = `${fixture.server.url}/w/${workshop.workshopId}/join`
    const browser = await openBrowser()
    fixture.browsers.push(browser)
    // A room's computer that has not been given the workshop is told how, and not to join as a person.
    const cold = await browser.context.newPage()
    await cold.goto(`${fixture.server.url}/w/${workshop.workshopId}/present`)
    await expect.poll(() => cold.locator('main').textContent(), { timeout: 15_000 }).toContain('open the facilitator’s link')
    expect(await cold.locator('main').textContent()).toContain('do not join as a participant here')
    await cold.close()
    await rememberKeys(browser.context, workshop.workshopId, { facilitatorKey: workshop.facilitatorKey })

    // The facilitator page has the QR code in open mode too, and it scans to the join link.
    const facilitator = await browser.context.newPage()
    await facilitator.goto(`${fixture.server.url}/w/${workshop.workshopId}/facilitate`)
    const facilitatorQr = facilitator.getByRole('img', { name: /QR code/ })
    await facilitatorQr.waitFor()
    expect(await decodeQrImage(facilitatorQr)).toBe(joinUrl)

    // While people join, the projector shows the code, the QR code and the short address, large.
    const projector = await browser.context.newPage()
    await projector.goto(`${fixture.server.url}/w/${workshop.workshopId}/present`)
    const joinScreen = projector.getByTestId('present-join')
    await joinScreen.waitFor()
    await expect.poll(() => joinScreen.locator('.present-code').textContent()).toBe(`${workshop.joinCode.slice(0, 3)}-${workshop.joinCode.slice(3)}`)
    expect(await joinScreen.textContent()).toContain(new URL(fixture.server.url).host)
    expect(await joinScreen.textContent()).toContain(joinUrl)
    expect(await decodeQrImage(joinScreen.getByRole('img', { name: /QR code/ }))).toBe(joinUrl)
    await expect.poll(() => projector.getByTestId('present-joined').textContent()).toBe('0 people have joined.')
    const people = await flow.join(3)
    await expect.poll(() => projector.getByTestId('present-joined').textContent()).toBe('3 people have joined.')

    // Ideas shown: the projector moves on to the room by itself.
    await flow.addAndReveal('values', people, ['Respect', 'Hope', 'Honesty'])
    await joinScreen.waitFor({ state: 'detached' })
    await projector.getByLabel('Showing').selectOption('values')
    const [a, b, c] = people as [string, string, string]
    await flow.vote('values', new Map([[a, ['Respect', 'Hope']], [b, ['Respect']], [c, ['Respect', 'Honesty', 'Hope']]]))

    // Vote closed: the words say so, and the ranked chart writes every number out.
    const step = () => projector.locator('.present-step').textContent()
    await expect.poll(step).toContain('Vote closed — here are the results.')
    expect(await step()).not.toContain('Put your dots')
    expect(await step()).toBe('Step 3 of 5: Voting. Vote closed — here are the results.')
    expect(await projector.getByTestId('present-results').locator('li').allTextContents()).toEqual(['Respect — 3 dots', 'Hope — 2 dots', 'Honesty — 1 dot'])

    // Latecomers: the join screen comes back at any time, and goes away again.
    await projector.getByRole('button', { name: 'Show how to join' }).click()
    await joinScreen.waitFor()
    expect(await decodeQrImage(joinScreen.getByRole('img', { name: /QR code/ }))).toBe(joinUrl)
    await projector.getByRole('button', { name: 'Back to the workshop' }).click()
    await joinScreen.waitFor({ state: 'detached' })

    // An agreed statement is shown itself, large, not just "Round 1: agreed".
    await projector.getByLabel('Showing').selectOption('vision')
    const statement = 'Care that listens, for everyone, every time.'
    await flow.consentRound('vision', { text: statement }, new Map(people.map((token) => [token, { response: 'agree' }])))
    await expect.poll(() => projector.getByTestId('present-agreed').locator('.present-statement').textContent()).toBe(statement)
    expect(await projector.getByRole('group', { name: 'We agreed' }).count()).toBe(1)
    // Nothing on the projector names a person or a token.
    for (const token of people) expect(await projector.content()).not.toContain(token)
  })

  it('shows the join code beside the QR code, inside the screen, at 1280 × 720, 1920 × 1080 and in a narrow window', { timeout: 120_000 }, async () => {
    // A workshop review: at 1280 × 720 the QR code filled the screen and the code was below the fold.
    const { workshop } = await workshopFlow(fixture.server)
    const browser = await openBrowser()
    fixture.browsers.push(browser)
    await rememberKeys(browser.context, workshop.workshopId, { facilitatorKey: workshop.facilitatorKey })
    const projector = await browser.context.newPage()
    const boxes = async (width: number, height: number) => {
      await projector.setViewportSize({ width, height })
      await projector.goto(`${fixture.server.url}/w/${workshop.workshopId}/present`)
      const join = projector.getByTestId('present-join')
      await expect.poll(() => join.locator('.present-code').textContent(), { timeout: 15_000 }).toBe(`${workshop.joinCode.slice(0, 3)}-${workshop.joinCode.slice(3)}`)
      const qr = join.getByRole('img', { name: /QR code/ })
      await qr.waitFor()
      return {
        code: (await join.locator('.present-code').boundingBox())!,
        qr: (await qr.boundingBox())!,
        overflow: await projector.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
        // The code on one line: its box is less than two of its own lines high.
        lines: await join.locator('.present-code').evaluate((element) => element.getBoundingClientRect().height / parseFloat(getComputedStyle(element).lineHeight || '0')),
      }
    }
    for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
      const { code, qr, lines } = await boxes(width, height)
      expect(lines).toBeLessThan(1.5)
      const where = `${width} × ${height}: code ${JSON.stringify(code)}, QR ${JSON.stringify(qr)}`
      expect(code.y, where).toBeGreaterThanOrEqual(0)
      expect(code.y + code.height, where).toBeLessThanOrEqual(height)
      expect(code.x + code.width, where).toBeLessThanOrEqual(width)
      expect(qr.y + qr.height, where).toBeLessThanOrEqual(height)
      // Beside it, not under it.
      expect(code.x, where).toBeGreaterThanOrEqual(qr.x + qr.width)
      expect(code.y, where).toBeLessThan(qr.y + qr.height)
      // Still big enough to scan from the back of the room.
      expect(qr.width, where).toBeGreaterThanOrEqual(240)
    }
    // A narrow window stacks them, with nothing wider than the screen.
    const narrow = await boxes(400, 800)
    expect(narrow.overflow).toBeLessThanOrEqual(0)
    expect(narrow.lines).toBeLessThan(1.5)
    expect(narrow.code.x + narrow.code.width).toBeLessThanOrEqual(400)
    expect(narrow.qr.x + narrow.qr.width).toBeLessThanOrEqual(400)
  })

  it('says "Vote closed" and "Workshop finished" in the now/next line, not "Put your dots" and "move on"', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshop } = flow
    const people = await flow.join(3)
    const browser = await openBrowser()
    fixture.browsers.push(browser)
    await rememberKeys(browser.context, workshop.workshopId, { token: people[0] })
    const page: Page = await browser.context.newPage()
    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    const nowNext = () => page.getByTestId('now-next').textContent()
    await expect.poll(nowNext).toContain('Our shared vision — Adding ideas.')

    await flow.addAndReveal('vision', people, ['Care that listens', 'No wrong door', 'Hope'])
    await flow.vote('vision', new Map(people.map((token) => [token, ['Hope']])))
    await expect.poll(nowNext).toContain('Vote closed — here are the results.')
    expect(await nowNext()).not.toContain('Put your dots')
    const vision = page.locator('[data-section="vision"]')
    expect(await vision.locator('.phase-now').textContent()).toBe('Vote closed — here are the results.')
    expect(await vision.getByRole('heading', { name: 'Vote closed — here are the results' }).count()).toBe(1)

    for (const sectionId of ['vision', 'values', 'ground-rules']) await flow.facilitate(`/sections/${sectionId}/phase`, { phase: 'done' })
    await expect.poll(nowNext).toContain('Workshop finished.')
    expect(await nowNext()).not.toContain('move on to the next part')
    expect(await nowNext()).toContain('What we agreed')
    expect(await vision.locator('.phase-step').textContent()).toBe('Step 5 of 5: Workshop finished')

    const projector = await browser.context.newPage()
    await projector.goto(`${fixture.server.url}/w/${workshop.workshopId}/present`)
    await expect.poll(() => projector.getByTestId('present-finished').textContent()).toContain('Workshop finished.')
  })
})
