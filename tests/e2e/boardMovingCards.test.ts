import { describe, expect, it } from 'vitest'
import { FRAME_WIDTH, ideaCardId } from '../../shared/boardRecords.ts'
import { readIdeas } from '../../shared/stateDoc.ts'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { boardRecordsOf, connectClient, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

// How cards someone else moves are drawn (client/board/remoteMoves.ts, serverShapes.ts); when the
// moves reach the canvas's store is client/sync/bindBoard.test.ts.
describe('cards other people move', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture
  const clients: ProviderClient[] = []

  /** A workshop with one revealed idea card, a person to look at it, and someone else on the board. */
  async function oneCardAndSomeoneElse() {
    const server = fixture.server
    const workshop = await createWorkshop(server)
    const base = `/api/workshops/${workshop.workshopId}`
    const [person, someoneElse] = await Promise.all([joinWorkshop(server, workshop.workshopId), joinWorkshop(server, workshop.workshopId)])
    await api(server, `${base}/sections/values/ideas`, { body: { text: 'Listen first' }, token: person.token })
    await api(server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    const cardId = ideaCardId(server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc)[0]!.ideaId))
    const other = connectClient(server, workshop.workshopId, 'board', someoneElse.token)
    clients.push(other)
    await whenSynced(other)
    return { server, workshop, person, other, cardId }
  }

  it('draws a card someone else moves where they put it, on a layer of its own until it rests, and clips it only where it sticks out of its section', { timeout: 120_000 }, async () => {
    const { server, workshop, person, other, cardId } = await oneCardAndSomeoneElse()
    const records = boardRecordsOf(other.doc)

    const { browser, page } = await openWorkshopAs(server.url, workshop.workshopId, { token: person.token }, 'board')
    browsers.push(browser)
    const card = page.locator(`.tl-shape[data-shape-id="${cardId}"]`)
    await card.waitFor({ timeout: 30_000 })
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')
    const clipPath = () => card.evaluate((element) => getComputedStyle(element).clipPath)
    const layered = () => card.evaluate((element) => element.style.willChange)

    // In its first slot the card is wholly inside its section: nothing to clip.
    expect(await clipPath()).toBe('none')
    expect(await layered()).toBe('')

    // Moved by someone else to stick out of the section's right edge: on its own layer while it
    // moves, cut at the edge, and back on the canvas's layer once it rests.
    const resting = records.get(cardId)!
    const left = async () => (await card.boundingBox())!.x
    const leftAtRest = await left()
    records.set(cardId, { ...resting, x: FRAME_WIDTH - 100 })
    await expect.poll(layered, { timeout: 10_000 }).toBe('transform')
    // Drawn where it was put (the board is zoomed out, so less than its page distance), not left behind.
    expect(await left()).toBeGreaterThan(leftAtRest + 50)
    await expect.poll(clipPath, { timeout: 10_000 }).toMatch(/^polygon\(/)
    await expect.poll(layered, { timeout: 10_000 }).toBe('')

    // Moved back inside: the clip goes again.
    records.set(cardId, { ...resting })
    await expect.poll(clipPath, { timeout: 10_000 }).toBe('none')
    for (const client of clients) client.destroy()
  })

  it('shows other people’s pointers by name where they point, and takes one away when its person hides it', { timeout: 120_000 }, async () => {
    const { server, workshop, person, other, cardId } = await oneCardAndSomeoneElse()
    const placed = (id: string) => boardRecordsOf(other.doc).get(id) as { x: number; y: number; parentId: string }
    const resting = placed(cardId)
    const parent = placed(resting.parentId)

    const { browser, page } = await openWorkshopAs(server.url, workshop.workshopId, { token: person.token }, 'board')
    browsers.push(browser)
    const card = page.locator(`.tl-shape[data-shape-id="${cardId}"]`)
    await card.waitFor({ timeout: 30_000 })

    // Pointing at the card's top-left corner (page coordinates: its section's place plus its own).
    other.provider.awareness.setLocalState({ name: 'Robin', color: '#1f4e79', cursor: [parent.x + resting.x, parent.y + resting.y], hidden: false })
    const shown = page.locator('.others-pointer')
    await expect.poll(() => shown.count(), { timeout: 10_000 }).toBe(1)
    expect(await shown.textContent()).toBe('Robin')
    // Decorative, like tldraw's own pointers: not in the accessibility tree.
    expect(await page.locator('.others-pointers').getAttribute('aria-hidden')).toBe('true')
    const [at, corner] = [(await shown.boundingBox())!, (await card.boundingBox())!]
    expect(Math.abs(at.x - corner.x)).toBeLessThan(3)
    expect(Math.abs(at.y - corner.y)).toBeLessThan(3)

    other.provider.awareness.setLocalState({ name: 'Robin', color: '#1f4e79', cursor: [parent.x + resting.x, parent.y + resting.y], hidden: true })
    await expect.poll(() => shown.count(), { timeout: 10_000 }).toBe(0)
    for (const client of clients) client.destroy()
  })
})
