import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readState } from '../../shared/stateDoc.ts'
import { announcements, recordAnnouncements, openWorkshopAs, rememberKeys, said, tabTo } from '../helpers/a11y.ts'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

const values = (page: Page) => page.locator('[data-section="values"]')

/** Live regions in the page: there must be exactly one of each kind (L6). */
const liveRegions = (page: Page) =>
  page.evaluate(() => ({
    polite: document.querySelectorAll('[aria-live="polite"], [role="status"]:not([aria-live])').length,
    assertive: document.querySelectorAll('[aria-live="assertive"], [role="alert"]:not([aria-live])').length,
  }))

const polite = async (page: Page) => (await announcements(page)).filter((a) => a.politeness === 'polite')

describe('announcements: one polite region, calm summaries, connection changes (L2, L6, L7, L8)', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  it('sums up others’ activity at most every 10 s, never per keystroke; every change or off when chosen', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const facilitate = (path: string, body: unknown = {}) => api(fixture.server, `${base}${path}`, { body, token: workshop.facilitatorKey })
    const [listenerBrowser, writerBrowser] = await Promise.all([openBrowser(), openBrowser()])
    browsers.push(listenerBrowser, writerBrowser)
    const [listenerKey, writerKey] = await Promise.all([joinWorkshop(fixture.server, workshop.workshopId), joinWorkshop(fixture.server, workshop.workshopId)])
    await rememberKeys(listenerBrowser.context, workshop.workshopId, { token: listenerKey.token })
    await rememberKeys(writerBrowser.context, workshop.workshopId, { token: writerKey.token })
    await recordAnnouncements(listenerBrowser.context)

    const listener = await listenerBrowser.context.newPage()
    await listener.clock.install()
    await listener.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    await values(listener).waitFor({ timeout: 15_000 })
    expect(await liveRegions(listener)).toEqual({ polite: 1, assertive: 1 })

    // Someone else types five ideas, key by key: nothing of it reaches the listener.
    const writer = await writerBrowser.context.newPage()
    await writer.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    for (const text of ['Respect', 'Honesty', 'Hope', 'Kindness', 'Patience']) {
      await values(writer).getByLabel('Add an idea to “Our values”').pressSequentially(text)
      await values(writer).getByRole('button', { name: 'Add my idea' }).click()
      await expect.poll(() => values(writer).locator('.my-idea').filter({ hasText: text }).count()).toBe(1)
    }
    await expect.poll(() => values(listener).locator('.idea-count').textContent()).toContain('a few ideas')
    expect(await polite(listener)).toEqual([])

    // The reveal is said once, as a sum.
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    await expect.poll(async () => (await polite(listener)).map((a) => a.text), { timeout: 10_000 }).toEqual(['5 new ideas in Our values.'])
    const first = (await polite(listener))[0]!

    // A change straight after waits for the 10 s mark.
    await facilitate('/sections/values/phase', { phase: 'discuss' })
    await expect.poll(() => values(listener).locator('.phase-badge').textContent()).toContain('Talking it through')
    expect(await polite(listener)).toHaveLength(1)
    await listener.clock.fastForward(10_000)
    await expect.poll(async () => (await polite(listener)).map((a) => a.text)).toEqual(['5 new ideas in Our values.', 'Our values has moved on to “Talking it through”.'])
    const second = (await polite(listener))[1]!
    expect(second.at - first.at).toBeGreaterThanOrEqual(10_000)

    // "Every change": each one at once.
    await listener.getByText('Settings', { exact: true }).click()
    await listener.getByLabel('Every change as it happens').check()
    await facilitate('/sections/vision/phase', { phase: 'discuss' })
    await expect.poll(async () => (await polite(listener)).at(-1)?.text).toBe('Our shared vision has moved on to “Talking it through”.')
    await facilitate('/sections/vision/phase', { phase: 'vote' })
    await expect.poll(async () => (await polite(listener)).at(-1)?.text).toBe('Our shared vision has moved on to “Voting”.')

    // "Off": nothing, however long we wait.
    await listener.getByLabel('Off: do not read out what others do').check()
    const before = (await polite(listener)).length
    await facilitate('/sections/ground-rules/phase', { phase: 'discuss' })
    await expect.poll(() => listener.locator('[data-section="ground-rules"] .phase-badge').textContent()).toContain('Talking it through')
    await listener.clock.fastForward(15_000)
    expect((await polite(listener)).length).toBe(before)
    expect(await liveRegions(listener)).toEqual({ polite: 1, assertive: 1 })
  })

  it('sums up themes, hiding and combining without saying who, says a call to action at once, and “Put in the theme” once', { timeout: 150_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time', 'Finish on time', 'Be on time'])
    await api(fixture.server, `/api/workshops/${workshopId}/sections/vision/ideas`, { body: { text: 'Care that listens' }, token: people[2]! })
    await flow.facilitate('/sections/vision/reveal', { publishAnyway: true })

    const listener = await openWorkshopAs(fixture.server.url, workshopId, { token: people[0]! }, 'list', async (context) => {
      await recordAnnouncements(context)
      await context.clock.install()
    })
    const actor = await openWorkshopAs(fixture.server.url, workshopId, { token: people[1]! }, 'list', recordAnnouncements)
    browsers.push(listener.browser, actor.browser)
    for (const { page } of [listener, actor]) await values(page).locator('.put-with select').first().waitFor({ timeout: 20_000 })
    const idea = (page: Page, text: string) => values(page).locator('li.idea').filter({ has: page.locator('p.idea-text', { hasText: new RegExp(`^${text}$`) }) })

    // Someone else puts two ideas together in the list.
    const listen = idea(actor.page, 'Listen first')
    await listen.getByLabel('Put with…').focus()
    await listen.getByLabel('Put with…').selectOption({ label: 'Be kind' })
    await listen.getByRole('button', { name: 'Put together' }).click()
    await expect.poll(() => values(actor.page).locator('.theme-group').getAttribute('data-theme'), { timeout: 20_000 }).toBe('Theme 1')
    await expect.poll(() => idea(actor.page, 'Listen first').textContent(), { timeout: 10_000 }).toContain('Put in the theme “Theme 1”.')

    // The listener hears it once, as a summary that names nobody.
    const heard = async () => (await polite(listener.page)).filter((a) => a.text.includes('Ideas were put into themes in Our values.'))
    await expect.poll(async () => (await heard()).length, { timeout: 10_000 }).toBe(1)
    const routine = (await heard())[0]!

    // Straight after that summary, a step that asks something: the draft is said at once, not at the 10 s mark.
    const posted = await listener.page.evaluate(() => Date.now())
    await flow.facilitate('/sections/vision/phase', { phase: 'agree' })
    await flow.facilitate('/sections/vision/proposals', { text: 'Care that listens, for everyone.' })
    await expect.poll(async () => (await polite(listener.page)).some((a) => a.text.includes('There is a draft to answer in Our shared vision.')), { timeout: 5_000 }).toBe(true)
    const draft = (await polite(listener.page)).find((a) => a.text.includes('There is a draft to answer in Our shared vision.'))!
    expect(draft.at - posted).toBeLessThan(2_000)
    expect(draft.at - routine.at).toBeLessThan(5_000)
    expect(draft.text).toContain('Our shared vision has moved on to “Agreeing”.')

    // Hiding and combining are routine: said together at the next 10 s mark, with the public reason.
    const base = `/api/workshops/${workshopId}/sections/values`
    await api(fixture.server, `${base}/ideas/${flow.ideaId('values', 'Start on time')}/hide`, { body: { reason: 'Off the topic' }, token: flow.workshop.facilitatorKey })
    await api(fixture.server, `${base}/merge`, {
      body: { keepIdeaId: flow.ideaId('values', 'Finish on time'), mergeIdeaIds: [flow.ideaId('values', 'Be on time')] },
      token: flow.workshop.facilitatorKey,
    })
    await expect.poll(() => idea(listener.page, 'Finish on time').locator('.idea-meta').textContent()).toContain('Combines')
    await listener.page.clock.fastForward(10_000)
    await expect.poll(async () => (await polite(listener.page)).at(-1)?.text).toBe('An idea was hidden in Our values: Off the topic. Two ideas were combined in Our values.')

    // The person who put the idea in the theme heard that once, not again from the idea's new place.
    expect((await said(actor.page)).filter((text) => text.startsWith('Put in the theme'))).toEqual(['Put in the theme “Theme 1”.'])
  })

  it('says when the connection is lost and back; ideas typed offline are sent once it is back', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const person = await joinWorkshop(fixture.server, workshop.workshopId)
    const browser = await openBrowser()
    browsers.push(browser)
    await rememberKeys(browser.context, workshop.workshopId, { token: person.token })
    await recordAnnouncements(browser.context)
    const page = await browser.context.newPage()
    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')

    await browser.context.setOffline(true)
    await expect.poll(async () => (await announcements(page)).filter((a) => a.politeness === 'assertive').map((a) => a.text)).toEqual([
      'You are offline. Ideas you add and cards you move are kept and sent when you are back. Other changes need the connection.',
    ])
    const box = values(page).getByLabel('Add an idea to “Our values”')
    expect(await box.isEnabled()).toBe(true)
    await box.fill('Written on the train')
    await values(page).getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => values(page).locator('.info-message').textContent()).toContain('It is kept here and will be sent when you are back online')
    expect(await box.inputValue()).toBe('Written on the train')

    await browser.context.setOffline(false)
    await expect.poll(async () => (await polite(page)).map((a) => a.text), { timeout: 15_000 }).toContain('Connected again. Ideas and card moves made while offline are being sent now.')
    await expect.poll(() => values(page).locator('.my-idea').textContent(), { timeout: 15_000 }).toContain('Written on the train')
    const pending = fixture.server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).sections.find((s) => s.sectionId === 'values')!.pendingCount)
    expect(pending).toBe(1)
  })

  it('reads a selected card’s text, section and dots through our polite region, not tldraw’s own (L2, L6)', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const facilitate = (path: string, body: unknown = {}) => api(fixture.server, `${base}${path}`, { body, token: workshop.facilitatorKey })
    const people = await Promise.all([1, 2].map(() => joinWorkshop(fixture.server, workshop.workshopId)))
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Respect' }, token: people[0]!.token })
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Hope' }, token: people[1]!.token })
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    await facilitate('/sections/values/phase', { phase: 'vote' })
    const ideas = fixture.server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas)
    const respect = ideas.find((idea) => idea.text === 'Respect')!
    for (const person of people) await api(fixture.server, `${base}/sections/values/ballot`, { method: 'PUT', body: { dots: { [respect.ideaId]: 1 } }, token: person.token })
    await facilitate('/sections/values/close-vote', { publishAnyway: true })

    const { browser, page } = await openWorkshopAs(fixture.server.url, workshop.workshopId, { token: people[0]!.token }, 'board', recordAnnouncements)
    browsers.push(browser)
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 30_000 })

    // Into the canvas by keyboard (tldraw's skip button), Tab to the Values frame, Ctrl+Shift+Down
    // into its cards, then Tab from card to card: each selection is read out.
    await tabTo(page, 'Go to the board')
    await page.keyboard.press('Enter')
    // The board's "how to leave" hint may be said just before or after the frame: either order.
    await expect.poll(async () => (await polite(page)).slice(-2).map((entry) => entry.text).join(' ')).toContain('Our shared vision')
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('tl-container') ?? false)).toBe(true)
    // The "how to leave" hint once per visit, and not also as the canvas's description.
    await page.waitForTimeout(1_500)
    expect((await polite(page)).filter((entry) => entry.text.includes('To leave the board, press Escape'))).toHaveLength(1)
    expect(await page.locator('.tl-container').getAttribute('aria-describedby')).toBeNull()
    await page.keyboard.press('Tab')
    await expect.poll(async () => (await polite(page)).at(-1)?.text ?? '').toContain('Our values')
    // A section is called a section, not tldraw's "Frame".
    expect((await polite(page)).at(-1)?.text).toMatch(/^Our values, section\./)
    // One key at a time, each followed by waiting for its announcement: pressing on a timer
    // instead could overshoot the card we want while an announcement is still on its way.
    const pressAndHear = async (key: string) => {
      const heard = (await polite(page)).length
      await page.keyboard.press(key)
      await expect.poll(async () => (await polite(page)).length).toBeGreaterThan(heard)
    }
    await pressAndHear('Control+Shift+ArrowDown')
    for (let step = 0; step < 6 && !(await polite(page)).at(-1)?.text.includes('Respect'); step++) await pressAndHear('Tab')
    expect((await polite(page)).at(-1)?.text).toContain('Respect')
    const said = (await polite(page)).find((a) => a.text.includes('Respect'))!.text
    expect(said).toContain('Idea in Our values: Respect.')
    expect(said).toContain('2 dots, ranked 1 of 2.')
    expect(said).toContain('idea card')
    expect(said).not.toContain('tool.')
    // tldraw counts a card's place among top-level shapes only ("0 of 3"): that part is dropped.
    expect(said).not.toMatch(/\b0 of \d/)

    // L5: move it without dragging. Escape and Shift+Tab leave the canvas for the card panel.
    await page.keyboard.press('Escape')
    // The card panel ends with "Close" and "Put in a theme with it"; "Move the card" is before them.
    for (let i = 0; i < 4 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Move the card'; i++) await page.keyboard.press('Shift+Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Move the card')
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await polite(page)).at(-1)?.text).toBe('Moved next to: Hope.')
    const hope = ideas.find((idea) => idea.text === 'Hope')!
    const position = (ideaId: string) =>
      fixture.server.rooms.withRoom(workshop.workshopId, (room) => {
        const record = room.boardRecords.get(`shape:idea-${ideaId}`) as { x: number; y: number } | undefined
        return record ? { x: record.x, y: record.y } : null
      })
    const target = position(hope.ideaId)!
    await expect.poll(() => position(respect.ideaId), { timeout: 20_000 }).toEqual({ x: target.x + 240, y: target.y })
    // tldraw's own assertive announcer never appears: ours are the only live regions.
    expect(await liveRegions(page)).toEqual({ polite: 1, assertive: 1 })
  })
})
