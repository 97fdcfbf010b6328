import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { ideaCardId } from '../../shared/boardRecords.ts'
import { readIdeas } from '../../shared/stateDoc.ts'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

// Cards too small to read, on a board with many, are drawn without their words (client/board/IdeaCardShape.tsx).
describe('cards seen from far away', () => {
  const fixture = serverWithBrowsers()

  it('draws cards without their words once many are too small to read, keeps names and buttons, and shows the words again up close', { timeout: 180_000 }, async () => {
    const server = fixture.server
    const workshop = await createWorkshop(server)
    const base = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all(Array.from({ length: 7 }, () => joinWorkshop(server, workshop.workshopId)))
    const reveal = () => api(server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    const long = 'A long idea that goes on and on about how we want to be listened to. '.repeat(6).trim()
    await api(server, `${base}/sections/values/ideas`, { body: { text: long }, token: people[0]!.token })
    await reveal()
    const cardId = ideaCardId(server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc)[0]!.ideaId))

    const { browser, page } = await openWorkshopAs(server.url, workshop.workshopId, { token: people[0]!.token }, 'board')
    fixture.browsers.push(browser)
    const card = page.locator(`.tl-shape[data-shape-id="${cardId}"]`)
    await card.waitFor({ timeout: 30_000 })
    const words = card.locator('.card-text')
    await expect.poll(() => words.count(), { timeout: 10_000 }).toBe(1)
    // tldraw's own keys: "-" zooms out a step (to 10 %), Shift+1 fits the whole board again.
    await page.locator('.tl-canvas').click({ position: { x: 8, y: 8 } })
    await page.keyboard.press('Minus')
    // One card is cheap to draw: its words stay, unreadable as they are.
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.querySelector('.tl-container')!).getPropertyValue('--tl-zoom'))).toBe('0.1')
    expect(await words.count()).toBe(1)

    // Sixty more: now the words go, the name and the button to read more stay.
    for (const [p, person] of people.slice(1).entries())
      for (let i = 0; i < 10; i++) expect((await api(server, `${base}/sections/${i % 2 ? 'values' : 'vision'}/ideas`, { body: { text: `Idea ${p}.${i}` }, token: person.token })).status).toBe(201)
    await api(server, `${base}/sections/vision/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    await reveal()
    await expect.poll(() => words.count(), { timeout: 20_000 }).toBe(0)
    expect(await card.getByRole('article').getAttribute('aria-label')).toContain('A long idea')
    expect(await card.getByRole('button', { name: '…more of this idea' }).count()).toBe(1)
    // A picture saved from far away still has the words.
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as a picture for printing' }).click()])
    expect(await readFile((await svg.path())!, 'utf8')).toContain('Idea 0.1')

    await page.locator('.tl-canvas').click({ position: { x: 8, y: 8 } })
    await page.keyboard.press('Shift+Digit1')
    const zoom = () => page.evaluate(() => Number(getComputedStyle(document.querySelector('.tl-container')!).getPropertyValue('--tl-zoom')))
    await expect.poll(zoom).toBeGreaterThan(0.3)
    await expect.poll(() => words.count(), { timeout: 10_000 }).toBe(1)
  })
})
