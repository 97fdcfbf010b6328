import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readSections, readState } from '../../shared/stateDoc.ts'
import { THEME_NAMES_BY_FACILITATOR } from '../../shared/themes.ts'
import { busyWorkshop, openWorkshopAs } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

const LAPTOP = { width: 1366, height: 768 }
const canvasBox = async (page: Page) => (await page.locator('.tl-canvas').boundingBox())!

describe('the live board as the stage', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  it('gives the canvas at least 70 % of a 1366×768 screen, and nothing that opens or folds moves it', { timeout: 120_000 }, async () => {
    const { workshop } = await busyWorkshop(fixture.server)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { facilitatorKey: workshop.facilitatorKey }, 'board', async (context) => {
      await context.pages()[0]?.setViewportSize(LAPTOP)
    })
    browsers.push(browser)
    await page.setViewportSize(LAPTOP)
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')

    const before = await canvasBox(page)
    expect((before.width * before.height) / (LAPTOP.width * LAPTOP.height)).toBeGreaterThanOrEqual(0.7)
    // Every section's title starts clear of the tools and the side panel (December UX review).
    const titles = await page.evaluate(() => {
      const boxes = (selector: string) => [...document.querySelectorAll(selector)].map((element) => element.getBoundingClientRect())
      const covers = [...boxes('.board-tools'), ...boxes('.floating-panel-body:not([hidden])')]
      const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
      const headings = boxes('.tl-frame-heading')
      return { headings: headings.length, covered: headings.filter((heading) => covers.some((cover) => overlaps(heading, cover))).length }
    })
    expect(titles.headings).toBeGreaterThan(1)
    expect(titles.covered).toBe(0)
    // tldraw's style panel stays away until there is something to style.
    expect(await page.locator('.tlui-style-panel').count()).toBe(0)

    // Selecting a card opens its details beside it, over the canvas: the canvas does not move.
    const card = page.locator('.tl-shape[data-shape-type="idea-card"]').filter({ hasText: 'Be kind' })
    const at = (await card.boundingBox())!
    await page.mouse.click(at.x + at.width / 2, at.y + at.height / 2)
    const details = page.getByTestId('selected-card')
    await expect.poll(() => details.textContent(), { timeout: 20_000 }).toContain('Be kind')
    expect(await canvasBox(page)).toEqual(before)
    const cardBox = (await card.boundingBox())!
    const detailsBox = (await details.boundingBox())!
    const beside = detailsBox.x >= cardBox.x + cardBox.width || detailsBox.x + detailsBox.width <= cardBox.x
    expect(beside).toBe(true)

    // Folding the panel away and back leaves the canvas where it was.
    await page.getByRole('button', { name: 'Fold the panel away' }).click()
    expect(await canvasBox(page)).toEqual(before)
    await page.getByRole('button', { name: 'Show sections and tools' }).click()
    expect(await canvasBox(page)).toEqual(before)

    // Unselected, the card's panel waits for a Tab into it; once the person goes elsewhere it
    // goes too, not staying over the cards through later steps (December review).
    await page.mouse.click(at.x + at.width / 2, at.y + at.height / 2)
    await page.keyboard.press('Escape')
    await expect.poll(() => details.getByRole('heading').textContent(), { timeout: 10_000 }).toBe('The card you chose last')
    await page.getByRole('button', { name: 'Fold the panel away' }).focus()
    await expect.poll(() => details.count(), { timeout: 10_000 }).toBe(0)
  })

  it('puts every card’s words and dots into the SVG and PNG, and grows cards to fit their words', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const fac = (path: string, body: unknown = {}, method?: string) => api(fixture.server, `${base}${path}`, { body, token: workshop.facilitatorKey, ...(method ? { method } : {}) })
    const [ann, bo] = await Promise.all([joinWorkshop(fixture.server, workshop.workshopId), joinWorkshop(fixture.server, workshop.workshopId)])
    const long = 'Everyone who comes to us is heard in full, in their own words and their own time, and what they say changes what we do next, not only what we write down afterwards.'
    const short = 'Listen first'
    const a = await api<{ ideaId: string }>(fixture.server, `${base}/sections/values/ideas`, { body: { text: long }, token: ann.token })
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: short }, token: bo.token })
    await fac('/sections/values/reveal', { publishAnyway: true })
    await fac('/sections/values/phase', { phase: 'discuss' })
    await fac('/sections/values/phase', { phase: 'vote' })
    await api(fixture.server, `${base}/sections/values/ballot`, { body: { dots: { [a.body.ideaId]: 1 } }, token: ann.token, method: 'PUT' })
    await fac('/sections/values/close-vote', { publishAnyway: true })

    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { facilitatorKey: workshop.facilitatorKey }, 'board')
    browsers.push(browser)
    const cards = page.locator('.tl-shape[data-shape-type="idea-card"]')
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(2)
    await expect.poll(() => page.locator('.card-dots').count(), { timeout: 10_000 }).toBe(2)
    // The long idea's card is taller than the short one's: it grew to fit.
    const heights = await Promise.all([cards.filter({ hasText: 'heard in full' }), cards.filter({ hasText: short })].map(async (c) => (await c.boundingBox())!.height))
    expect(heights[0]!).toBeGreaterThan(heights[1]! * 1.3)

    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as a picture for printing', exact: true }).click()])
    const svgText = await readFile((await svg.path())!, 'utf8')
    expect(svgText).toContain(long)
    expect(svgText).toContain(short)
    expect(svgText).toContain('1 dot')
    expect(svgText).toContain('0 dots')
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save the board as a picture', exact: true }).click()])
    expect((await readFile((await png.path())!)).length).toBeGreaterThan(1000)
  })

  it('starts “Add an idea” on the section people are working on, not the one in the middle of the screen', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const person = await joinWorkshop(fixture.server, workshop.workshopId)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { token: person.token }, 'board')
    browsers.push(browser)
    await page.setViewportSize(LAPTOP)
    await page.locator('.tl-canvas').waitFor({ timeout: 60_000 })
    const now = fixture.server.rooms.withRoom(workshop.workshopId, (room) => readSections(room.state.doc)[0]!)
    await page.getByRole('button', { name: 'Add an idea', exact: true }).click()
    const dialog = page.locator('dialog.add-idea-dialog')
    await expect.poll(() => dialog.getByLabel('Section').inputValue(), { timeout: 20_000 }).toBe(now.sectionId)
  })

  it('gives participants no sticky note: N opens “Add an idea”, and a double click writes nothing on the board', { timeout: 120_000 }, async () => {
    // A note looked like an idea card but showed at once beside its writer's named cursor (December review).
    const workshop = await createWorkshop(fixture.server)
    const person = await joinWorkshop(fixture.server, workshop.workshopId)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { token: person.token }, 'board')
    browsers.push(browser)
    await page.setViewportSize(LAPTOP)
    await page.locator('.tl-canvas').waitFor({ timeout: 60_000 })
    await page.locator('[data-testid="tools.select"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-testid="tools.note"]').count()).toBe(0)
    const canvas = await page.locator('.tl-canvas').boundingBox()
    const spot = { x: canvas!.x + canvas!.width * 0.6, y: canvas!.y + canvas!.height * 0.85 }
    await page.mouse.click(spot.x, spot.y)
    await page.keyboard.press('n')
    const dialog = page.locator('dialog.add-idea-dialog')
    await dialog.waitFor({ timeout: 20_000 })
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    await page.mouse.dblclick(spot.x, spot.y)
    await page.keyboard.type('Not an idea')
    await page.waitForTimeout(500)
    expect(await page.locator('.tl-shape[data-shape-type="text"], .tl-shape[data-shape-type="note"]').count()).toBe(0)
  })

  it('brings the section the room is on to the top of a participant’s side panel when it changes', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const person = await joinWorkshop(fixture.server, workshop.workshopId)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { token: person.token }, 'board')
    browsers.push(browser)
    await page.setViewportSize(LAPTOP)
    await page.locator('.tl-canvas').waitFor({ timeout: 60_000 })
    const [first, second] = fixture.server.rooms.withRoom(workshop.workshopId, (room) => readSections(room.state.doc))
    const offset = () =>
      page.evaluate((sectionId) => {
        const panel = document.querySelector('.floating-panel-body')!
        return Math.round(document.querySelector(`.floating-panel-body [data-section="${sectionId}"]`)!.getBoundingClientRect().top - panel.getBoundingClientRect().top)
      }, second!.sectionId)
    await page.locator(`.floating-panel-body [data-section="${second!.sectionId}"]`).waitFor({ timeout: 20_000 })
    expect(await offset()).toBeGreaterThan(100)
    const moved = await api(fixture.server, `/api/workshops/${workshop.workshopId}/sections/${first!.sectionId}/phase`, { body: { phase: 'done' }, token: workshop.facilitatorKey })
    expect(moved.status).toBe(200)
    await expect.poll(offset, { timeout: 15_000 }).toBeLessThan(5)
  })

  it('shows the facilitator a live headcount, the join code with a QR code, and a way between board and controls', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const facilitator = await openBrowser()
    browsers.push(facilitator)
    const page = await facilitator.context.newPage()
    await page.goto(workshop.facilitatorUrl)
    const panel = page.getByTestId('facilitator-console')
    await expect.poll(() => panel.getByTestId('headcount').textContent(), { timeout: 20_000 }).toBe('0 people have joined.')
    // The QR code is drawn after the page loads (a data URL made in the browser): wait for it.
    await expect.poll(() => page.getByRole('img', { name: /QR code/ }).count(), { timeout: 15_000 }).toBe(1)

    // Someone joins from their own browser: the count changes here without a reload.
    const joiner = await openBrowser()
    browsers.push(joiner)
    const other = await joiner.context.newPage()
    await other.goto(workshop.joinUrl)
    await other.getByRole('button', { name: 'Join the workshop' }).click()
    await expect.poll(() => panel.getByTestId('headcount').textContent(), { timeout: 20_000 }).toBe('1 person has joined.')

    // The same console on the board, with the way back to the facilitator page.
    await page.getByRole('link', { name: 'Open the board' }).click()
    await page.locator('.tl-canvas').waitFor({ timeout: 60_000 })
    const onBoard = page.getByTestId('facilitator-console')
    await expect.poll(() => onBoard.getByTestId('headcount').textContent(), { timeout: 20_000 }).toBe('1 person has joined.')
    // The facilitator's console on the board leaves the canvas its full width.
    expect((await canvasBox(page)).width).toBe(page.viewportSize()!.width)
    const code = await onBoard.locator('.join-code').textContent({ timeout: 10_000 })
    expect(code).toMatch(/^[A-Z2-9]{3}-[A-Z2-9]{3}$/)

    // A request for a pause shows as a badge, live.
    const someone = await joinWorkshop(fixture.server, workshop.workshopId)
    await api(fixture.server, `/api/workshops/${workshop.workshopId}/wellbeing/signal`, { body: { signal: 'pause', on: true }, token: someone.token })
    await expect.poll(() => onBoard.getByTestId('pause-badge').textContent(), { timeout: 20_000 }).toBe('1 asked for a pause')

    // One button moves the current section on to its next step. Ideas still waiting are offered
    // first: moving on left every card hidden while people were asked to talk (December review).
    const first = fixture.server.rooms.withRoom(workshop.workshopId, (room) => readSections(room.state.doc)[0]!)
    const phaseOfFirst = () => fixture.server.rooms.withRoom(workshop.workshopId, (room) => readSections(room.state.doc).find((s) => s.sectionId === first.sectionId)!.phase)
    const writers = [someone, ...(await Promise.all([1, 2].map(() => joinWorkshop(fixture.server, workshop.workshopId))))]
    for (const [i, writer] of writers.entries())
      await api(fixture.server, `/api/workshops/${workshop.workshopId}/sections/${first.sectionId}/ideas`, { body: { text: `Idea ${i + 1}` }, token: writer.token })
    await onBoard.getByRole('button', { name: 'Show all ideas (a few ideas waiting)' }).waitFor({ timeout: 20_000 })
    await onBoard.getByRole('button', { name: 'Next step: Talking it through' }).click()
    const asked = onBoard.getByRole('group', { name: 'Some ideas or changes have not been shown yet.' })
    await asked.waitFor({ timeout: 10_000 })
    expect(await asked.getByRole('button', { name: 'Move on without them' }).count()).toBe(1)
    expect(phaseOfFirst()).toBe('gather')
    await asked.getByRole('button', { name: 'Show them now' }).click()
    await expect.poll(phaseOfFirst, { timeout: 20_000 }).toBe('discuss')
    const shown = fixture.server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas.filter((idea) => idea.sectionId === first.sectionId).length)
    expect(shown).toBe(3)

    await onBoard.getByRole('link', { name: 'Facilitator page: invites and settings' }).click()
    await expect.poll(() => page.getByRole('heading', { name: 'Your workshop is ready' }).count(), { timeout: 20_000 }).toBe(1)
  })

  it('groups on a 360 px phone with “Put with…”; the theme shows on the desktop board and in the export; dropping a card on another groups too', { timeout: 180_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const [ann, bo] = await Promise.all([joinWorkshop(fixture.server, workshop.workshopId), joinWorkshop(fixture.server, workshop.workshopId)])
    for (const [token, text] of [[ann.token, 'Be kind'], [bo.token, 'Listen first'], [ann.token, 'Start on time'], [bo.token, 'Finish on time']] as const)
      await api(fixture.server, `${base}/sections/values/ideas`, { body: { text }, token })
    await api(fixture.server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })

    // On a phone, in the list: put "Listen first" with "Be kind".
    const phone = await openBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    browsers.push(phone)
    await phone.context.addInitScript(({ id, token }) => localStorage.setItem(`parity:${id}:token`, token), { id: workshop.workshopId, token: bo.token })
    const small = await phone.context.newPage()
    await small.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    const values = small.locator('[data-section="values"]')
    const listen = values.locator('li.idea').filter({ has: small.locator('p.idea-text', { hasText: /^Listen first$/ }) })
    // The choices are drawn once someone reaches for the list: drawn for every idea, 300 ideas
    // made 30,000 options, most of a board page (December board profile).
    const putWith = listen.getByLabel('Put with…')
    const choices = (select: typeof putWith) => select.evaluate((element) => (element as HTMLSelectElement).options.length)
    await putWith.waitFor({ timeout: 20_000 })
    expect(await choices(putWith)).toBe(1)
    // By keyboard or screen reader: there on focus.
    const other = values.locator('li.idea').filter({ has: small.locator('p.idea-text', { hasText: /^Be kind$/ }) }).getByLabel('Put with…')
    expect(await choices(other)).toBe(1)
    await other.focus()
    expect(await choices(other)).toBeGreaterThan(1)
    // By touch: there as the finger lands.
    await putWith.tap()
    expect(await choices(putWith)).toBeGreaterThan(1)
    await putWith.selectOption({ label: 'Be kind' })
    await listen.getByRole('button', { name: 'Put together' }).click()
    const theme = values.locator('.theme-group')
    // Numbered until the facilitator names it: never the start of someone's idea.
    await expect.poll(() => theme.getAttribute('data-theme'), { timeout: 20_000 }).toBe('Theme 1')
    // The idea moved into the theme's list: it says so there, and keeps the focus (December UX review).
    const moved = theme.locator('li.idea').filter({ has: small.locator('p.idea-text', { hasText: /^Listen first$/ }) })
    await expect.poll(() => moved.textContent(), { timeout: 10_000 }).toContain('Put in the theme “Theme 1”.')
    await expect.poll(() => small.evaluate(() => document.activeElement?.closest('li.idea')?.querySelector('p.idea-text')?.textContent)).toBe('Listen first')
    // A participant has no name box (their words would show as they typed them): it says who names themes.
    expect(await theme.getByLabel('Theme name').count()).toBe(0)
    await expect.poll(() => values.getByText(THEME_NAMES_BY_FACILITATOR).count()).toBe(1)
    const ideaIdOf = (text: string) => fixture.server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas.find((idea) => idea.text === text)!.ideaId)
    const themeId = (await api<{ themeId: string }>(fixture.server, `${base}/sections/values/themes`, { body: { ideaId: ideaIdOf('Listen first'), withIdeaId: ideaIdOf('Be kind') }, token: workshop.facilitatorKey })).body.themeId
    expect((await api(fixture.server, `${base}/themes/${themeId}`, { method: 'PATCH', body: { name: 'Respect' }, token: workshop.facilitatorKey })).status).toBe(200)
    await expect.poll(() => theme.getAttribute('data-theme'), { timeout: 20_000 }).toBe('Respect')
    expect(await theme.locator('p.idea-text').allTextContents()).toEqual(['Be kind', 'Listen first'])

    // The desktop board shows the same theme on both cards.
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { token: ann.token }, 'board')
    browsers.push(browser)
    const card = (text: string) => page.locator('.tl-shape[data-shape-type="idea-card"]').filter({ has: page.locator('.card-text', { hasText: new RegExp(`^${text}$`) }) })
    await expect.poll(() => card('Be kind').locator('.card-theme').textContent(), { timeout: 30_000 }).toBe('Theme: Respect')
    await expect.poll(() => card('Listen first').locator('.card-theme').textContent(), { timeout: 20_000 }).toBe('Theme: Respect')
    expect(await card('Start on time').locator('.card-theme').count()).toBe(0)

    // Dragging "Finish on time" onto "Start on time" puts them together.
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')
    const centre = async (text: string) => {
      const box = (await card(text).boundingBox())!
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    }
    const from = await centre('Finish on time')
    const to = await centre('Start on time')
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    await page.mouse.move(to.x, to.y, { steps: 10 })
    await page.mouse.up()
    await expect.poll(() => card('Start on time').locator('.card-theme').textContent(), { timeout: 15_000 }).toBe('Theme: Theme 1')
    // The dropped card is laid beside the one it joined, not on top of it (December UX review).
    const stacked = async () => {
      const [joined, dropped] = [(await card('Start on time').boundingBox())!, (await card('Finish on time').boundingBox())!]
      const below = dropped.y >= joined.y + joined.height && Math.abs(dropped.x - joined.x) < 2
      const right = dropped.x >= joined.x + joined.width && Math.abs(dropped.y - joined.y) < 2
      return below || right
    }
    await expect.poll(stacked, { timeout: 10_000 }).toBe(true)

    // And the export carries both themes.
    const model = (await api<{ sections: { sectionId: string; themes: { name: string; ideas: string[] }[] }[] }>(fixture.server, `${base}/export?format=json`, { token: workshop.facilitatorKey })).body
    expect(model.sections.find((s) => s.sectionId === 'values')!.themes).toEqual([
      { name: 'Respect', ideas: ['Be kind', 'Listen first'] },
      { name: 'Theme 1', ideas: ['Finish on time', 'Start on time'] },
    ])
  })

  it('keeps the list as a phone’s first view; the board, when chosen, fills the phone’s screen', { timeout: 120_000 }, async () => {
    const { workshop, people } = await busyWorkshop(fixture.server)
    const phone = await openBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    browsers.push(phone)
    await phone.context.addInitScript(({ id, token }) => localStorage.setItem(`parity:${id}:token`, token), { id: workshop.workshopId, token: people[0]!.token })
    const page = await phone.context.newPage()
    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    await page.locator('[data-section="values"]').waitFor({ timeout: 60_000 })
    // The phone header keeps its choices behind "Menu".
    await page.getByRole('button', { name: /^Menu: / }).click()
    expect(await page.getByRole('button', { name: 'List', exact: true }).getAttribute('aria-pressed')).toBe('true')

    await page.getByRole('button', { name: 'Board', exact: true }).click()
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })
    await expect.poll(async () => (await canvasBox(page)).y, { timeout: 10_000 }).toBeLessThan(2)
    const box = await canvasBox(page)
    expect(box.width).toBe(360)
    expect(box.height).toBeGreaterThanOrEqual(740 * 0.95)
  })
})
