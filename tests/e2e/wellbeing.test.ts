import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { readState } from '../../shared/stateDoc.ts'
import { announcements, openHeaderMenu, recordAnnouncements, rememberKeys } from '../helpers/a11y.ts'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

const values = (page: Page) => page.locator('[data-section="values"]')
const PHONE = { width: 360, height: 740 }

/**
 * Wellbeing in real browsers: "I need a pause" and the room pause (W4, W5), advisory timers
 * (L17), a personal break and paused live updates (W6, L18), content notes (W9), following
 * the facilitator (W10), support and the content note on joining (L21), the quiet exit (W8),
 * larger text and high contrast (L16), and the presenter view (L23).
 */
describe('wellbeing in the browser', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  /** A fresh device with this person's key, recording what its live regions say. */
  const device = async (workshopId: string, keys: { token?: string; facilitatorKey?: string }, viewport = PHONE) => {
    const browser = await openBrowser({ viewport })
    browsers.push(browser)
    await rememberKeys(browser.context, workshopId, keys)
    await recordAnnouncements(browser.context)
    return browser
  }
  const wellbeingOf = (workshopId: string) => fixture.server.rooms.withRoom(workshopId, (room) => readState(room.state.doc).wellbeing)

  it('counts "I need a pause" without names; pausing the room stops the timer and keeps drafts', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const person = await joinWorkshop(fixture.server, workshop.workshopId)
    const facilitator = await (await device(workshop.workshopId, { facilitatorKey: workshop.facilitatorKey }, { width: 1280, height: 800 })).context.newPage()
    const participantBrowser = await device(workshop.workshopId, { token: person.token })
    const participant = await participantBrowser.context.newPage()
    await facilitator.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    await participant.goto(`${fixture.server.url}/w/${workshop.workshopId}`)

    // A soft timer, started by the facilitator.
    const controls = facilitator.locator('.wellbeing-controls')
    await controls.getByLabel('Section', { exact: true }).selectOption('values')
    await controls.getByLabel('Minutes').fill('10')
    await controls.getByRole('button', { name: 'Start the timer' }).click()
    await expect.poll(() => participant.getByTestId('timer-line').textContent()).toContain('About 10 minutes left for “Adding ideas” in Our values.')

    // The participant asks for a pause; the facilitator sees a count, only.
    await values(participant).getByLabel('Add an idea to “Our values”').fill('Half a thought')
    await openHeaderMenu(participant)
    await participant.getByRole('button', { name: 'I need a pause' }).click()
    await expect.poll(() => participant.getByRole('button', { name: 'I need a pause' }).getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => facilitator.getByTestId('pause-requests').textContent(), { timeout: 10_000 }).toBe('1 person would like a pause.')

    // The room pauses while they are back in their idea: a calm screen, the timer stands still.
    await values(participant).getByLabel('Add an idea to “Our values”').focus()
    await controls.getByRole('button', { name: 'Pause the room for everyone' }).click()
    await participant.getByTestId('room-paused').waitFor()
    expect(await participant.getByTestId('room-paused').textContent()).not.toMatch(/\d+ (minutes|seconds)/)
    expect(await participant.locator('.workshop-layout').getAttribute('inert')).not.toBeNull()
    await expect.poll(() => wellbeingOf(workshop.workshopId).timer?.endsAt).toBeNull()
    expect(wellbeingOf(workshop.workshopId).timer?.remainingMs).toBeGreaterThan(9 * 60_000)
    expect(wellbeingOf(workshop.workshopId).pauseRequests).toBe(0)
    await expect.poll(async () => (await announcements(participant)).map((a) => a.text)).toContain('We are taking a break. The workshop will carry on when everyone is ready.')

    await controls.getByRole('button', { name: 'Carry on after the break' }).click()
    await expect.poll(() => participant.getByTestId('room-paused').count()).toBe(0)
    expect(await values(participant).getByLabel('Add an idea to “Our values”').inputValue()).toBe('Half a thought')
    // Focus goes back to the box they were typing in, not to the top of the page.
    await expect.poll(() => participant.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.labels?.[0]?.textContent ?? '')).toContain('Add an idea to “Our values”')
    expect(await participant.getByRole('button', { name: 'I need a pause' }).getAttribute('aria-pressed')).toBe('false')
    await expect.poll(() => facilitator.getByTestId('pause-requests').textContent()).toBe('Nobody has asked for a pause.')
    expect(wellbeingOf(workshop.workshopId).timer?.endsAt).toBeGreaterThan(Date.now() + 9 * 60_000)
  })

  it('keeps timers advisory: three moments read out, nothing locked, sent or hidden at zero (L17)', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const person = await joinWorkshop(fixture.server, workshop.workshopId)
    const page = await (await device(workshop.workshopId, { token: person.token })).context.newPage()
    await page.clock.install()
    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    const box = values(page).getByLabel('Add an idea to “Our values”')
    await box.fill('Still thinking about this')

    await api(fixture.server, `/api/workshops/${workshop.workshopId}/wellbeing/timer`, { body: { sectionId: 'values', minutes: 3 }, token: workshop.facilitatorKey })
    const timerSaid = async () => (await announcements(page)).map((a) => a.text).filter((text) => /timer|minutes left|Time is up/.test(text))
    await expect.poll(timerSaid).toEqual(['A timer has started for “Adding ideas” in Our values: About 3 minutes left. It is only a guide.'])
    await page.clock.fastForward('01:05')
    await expect.poll(timerSaid).toHaveLength(2)
    expect((await timerSaid())[1]).toBe('About 2 minutes left in Our values.')
    await page.clock.fastForward('02:00')
    await expect.poll(timerSaid).toHaveLength(3)
    expect((await timerSaid())[2]).toBe('Time is up in Our values. There is no rush: finish what you are doing.')
    await expect.poll(() => page.getByTestId('timer-line').textContent()).toContain('Time is up')

    // Zero changed a line of text, nothing else.
    expect(await box.isEnabled()).toBe(true)
    expect(await box.inputValue()).toBe('Still thinking about this')
    expect(await values(page).getByRole('button', { name: 'Add my idea' }).isEnabled()).toBe(true)
    expect(fixture.server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).sections.find((s) => s.sectionId === 'values')!.pendingCount)).toBe(0)

    // Asking for more time is private: the facilitator gets a count.
    await api(fixture.server, `/api/workshops/${workshop.workshopId}/wellbeing/timer/extend`, { body: { minutes: 5 }, token: workshop.facilitatorKey })
    await expect.poll(() => page.getByTestId('timer-line').textContent()).toMatch(/About [56] minutes left/)
    await openHeaderMenu(page)
    await page.getByRole('button', { name: 'I need more time' }).click()
    await expect.poll(() => wellbeingOf(workshop.workshopId).moreTimeRequests, { timeout: 10_000 }).toBe(1)
    await page.clock.fastForward('01:00')
    expect(await timerSaid()).toHaveLength(3)
  })

  it('goes still and quiet on a break, and pauses live updates with a quiet "show" button (W6, L18)', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all([1, 2, 3].map(() => joinWorkshop(fixture.server, workshop.workshopId)))
    const page = await (await device(workshop.workshopId, { token: people[0]!.token })).context.newPage()
    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    await values(page).waitFor()
    for (const [i, person] of people.entries()) await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: `Idea ${i + 1}` }, token: person.token })

    await openHeaderMenu(page)
    await page.getByRole('button', { name: 'Take a break' }).click()
    await page.getByTestId('break-screen').waitFor()
    const heardBefore = (await announcements(page)).length
    await api(fixture.server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    await api(fixture.server, `${base}/sections/values/phase`, { body: { phase: 'discuss' }, token: workshop.facilitatorKey })
    await expect.poll(() => readState(fixture.server.rooms.withRoom(workshop.workshopId, (room) => room.state.doc)).ideas.length).toBe(3)
    // Give the page every chance to react; it must not.
    await page.waitForTimeout(2500)
    expect(await values(page).locator('.idea-list .idea').count()).toBe(0)
    expect((await announcements(page)).length).toBe(heardBefore)

    await page.getByRole('button', { name: 'I am ready to come back' }).click()
    await expect.poll(() => values(page).locator('.idea-list .idea').count()).toBe(3)
    await expect.poll(async () => (await announcements(page)).at(-1)?.text).toBe(
      'Welcome back. While you were away: 3 new ideas in Our values. Our values has moved on to “Talking it through”.',
    )

    // Pause live updates: the screen stays as it is, with a count and a way to catch up.
    await page.getByRole('button', { name: 'Pause live updates' }).click()
    await api(fixture.server, `${base}/sections/values/phase`, { body: { phase: 'vote' }, token: workshop.facilitatorKey })
    const show = page.getByRole('button', { name: /^\d+ updates? — show$/ })
    await show.waitFor()
    expect(await values(page).locator('.phase-badge').textContent()).toContain('Talking it through')
    await show.click()
    await expect.poll(() => values(page).locator('.phase-badge').textContent()).toContain('Voting')
    // The state is in the words: the button now says what is on and what pressing it does.
    await page.getByRole('button', { name: 'Live updates paused — resume' }).click()
    await page.getByRole('button', { name: 'Pause live updates' }).waitFor()
    await api(fixture.server, `${base}/sections/values/phase`, { body: { phase: 'discuss' }, token: workshop.facilitatorKey })
    await expect.poll(() => values(page).locator('.phase-badge').textContent()).toContain('Talking it through')

    // L16: larger text still reflows at 360 px; high contrast darkens the quiet text.
    await page.getByText('Settings', { exact: true }).click()
    await page.getByLabel('Larger text').check()
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('20px')
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
    await page.emulateMedia({ contrast: 'more' })
    expect(await page.locator('.hint').first().evaluate((el) => getComputedStyle(el).color)).toBe('rgb(27, 31, 36)')
  })

  it('shows support and the content note on joining; folds noted ideas; follows only by choice; leaves quietly (L21, W8, W9, W10)', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const facilitatorBrowser = await device(workshop.workshopId, { facilitatorKey: workshop.facilitatorKey }, { width: 1280, height: 800 })
    // The saved settings cannot be got: the form says so and offers another try, rather than
    // showing empty fields that would overwrite them.
    const unlucky = await facilitatorBrowser.context.newPage()
    let refusals = 1
    await unlucky.route('**/welcome', async (route) => {
      if (refusals-- > 0) return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: 'Try again in a moment.' } }) })
      await route.continue()
    })
    await unlucky.goto(workshop.facilitatorUrl)
    await expect.poll(() => unlucky.locator('.field-error').allTextContents()).toContain('We could not get the saved support contacts: Try again in a moment.')
    expect(await unlucky.getByLabel('Who people can talk to today (one on each line)').count()).toBe(0)
    await unlucky.getByRole('button', { name: 'Try again' }).click()
    await unlucky.getByLabel('Who people can talk to today (one on each line)').waitFor()
    await unlucky.close()

    const facilitator = await facilitatorBrowser.context.newPage()
    // The saved settings arrive late: what the facilitator types must not be replaced by them.
    await facilitator.route('**/welcome', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500))
      await route.continue()
    })
    const settingsArrived = facilitator.waitForResponse('**/welcome')
    await facilitator.goto(workshop.facilitatorUrl)
    const contacts = facilitator.getByLabel('Who people can talk to today (one on each line)')
    const note = facilitator.getByLabel('Content note shown when people join (optional)')
    await contacts.fill('Sam, peer support worker, in the room\nQuiet room: first floor')
    await note.fill('We will talk about crisis care.')
    await settingsArrived
    await facilitator.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))))
    expect(await contacts.inputValue()).toBe('Sam, peer support worker, in the room\nQuiet room: first floor')
    expect(await note.inputValue()).toBe('We will talk about crisis care.')
    await facilitator.getByRole('button', { name: 'Save support and content note' }).click()
    await expect.poll(() => facilitator.locator('.success').allTextContents()).toContain('Saved. People see this when they join and under “Get support”.')

    const others = await Promise.all([1, 2].map(() => joinWorkshop(fixture.server, workshop.workshopId)))
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Something that happened to me in hospital', contentNote: 'mentions self-harm' }, token: others[0]!.token })
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Be kind' }, token: others[1]!.token })
    await api(fixture.server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })

    // Joining: the content note and who can help come first.
    const browser = await openBrowser({ viewport: PHONE })
    browsers.push(browser)
    const page = await browser.context.newPage()
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await page.goto(workshop.joinUrl)
    await expect.poll(() => page.getByTestId('workshop-content-note').textContent()).toContain('We will talk about crisis care.')
    expect(await page.getByTestId('join-support').textContent()).toContain('Sam, peer support worker, in the room')
    await page.getByRole('button', { name: 'Get support' }).click()
    await expect.poll(() => page.locator('.bar-panel').textContent()).toContain('Quiet room: first floor')
    expect(await page.locator('.bar-panel').textContent()).toContain('Samaritans: call 116 123')
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await values(page).waitFor({ timeout: 15_000 })
    // A phone opens the list, not the canvas.
    await openHeaderMenu(page)
    expect(await page.getByRole('button', { name: 'List' }).getAttribute('aria-pressed')).toBe('true')

    // The noted idea is folded: its words are not on the page until opened, not even in a button name.
    await expect.poll(() => values(page).locator('.content-note').first().textContent()).toContain('mentions self-harm')
    expect(await page.locator('body').textContent()).not.toContain('happened to me in hospital')
    await values(page).getByRole('button', { name: 'Show the idea' }).click()
    await expect.poll(() => values(page).locator('.content-noted').textContent()).toContain('Something that happened to me in hospital')

    // Follow the facilitator: shown, not forced; once chosen, focus goes where they are.
    const controls = facilitator.locator('.wellbeing-controls')
    await facilitator.goto(`${fixture.server.url}/w/${workshop.workshopId}`)
    await controls.getByLabel('Section to show').selectOption('values')
    await controls.getByRole('button', { name: 'Show this section' }).click()
    await expect.poll(() => page.getByTestId('follow-banner').textContent()).toContain('The facilitator is showing Our values.')
    const focusedSection = () => page.evaluate(() => document.activeElement?.closest('[data-section]')?.getAttribute('data-section') ?? null)
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    // Seeing where the facilitator is moves nobody.
    await page.waitForTimeout(500)
    expect(await focusedSection()).toBeNull()
    await page.getByRole('button', { name: 'Follow the facilitator' }).click()
    await expect.poll(focusedSection).toBe('values')
    await controls.getByLabel('Section to show').selectOption('ground-rules')
    await controls.getByRole('button', { name: 'Show this section' }).click()
    await expect.poll(focusedSection).toBe('ground-rules')
    await page.getByRole('button', { name: 'Follow the facilitator' }).click()
    await controls.getByLabel('Section to show').selectOption('vision')
    await controls.getByRole('button', { name: 'Show this section' }).click()
    await expect.poll(() => page.getByTestId('follow-banner').textContent()).toContain('Our shared vision')
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON')

    // Leave: one tap, no question, nobody told, and this device forgets them.
    await values(page).getByLabel('Add an idea to “Our values”').fill('A draft I do not want left behind')
    await page.getByRole('button', { name: 'Leave' }).click()
    await page.getByRole('heading', { level: 1, name: 'You have left the workshop' }).waitFor()
    expect(dialogs).toEqual([])
    expect(await facilitator.locator('body').textContent()).not.toMatch(/left the workshop|has left/)
    await page.goBack()
    expect(new URL(page.url()).pathname).not.toBe(`/w/${workshop.workshopId}`)
    // Nothing of theirs stays for the next person on a shared device (December insider review).
    await expect.poll(() =>
      page.evaluate((id) => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((key) => key.includes(id) || key === 'parity:pseudonym'), workshop.workshopId),
    ).toEqual([])
  })

  it('gives the projector big, plain text with counts, and no names or pointers (L23, L24)', { timeout: 60_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const base = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all([1, 2, 3].map(() => joinWorkshop(fixture.server, workshop.workshopId)))
    for (const [i, text] of ['Respect', 'Hope', 'Honesty'].entries()) await api(fixture.server, `${base}/sections/values/ideas`, { body: { text }, token: people[i]!.token })
    await api(fixture.server, `${base}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    await api(fixture.server, `${base}/sections/values/phase`, { body: { phase: 'vote' }, token: workshop.facilitatorKey })
    const ideas = fixture.server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas)
    const id = (text: string) => ideas.find((idea) => idea.text === text)!.ideaId
    await api(fixture.server, `${base}/sections/values/ballot`, { method: 'PUT', body: { dots: { [id('Respect')]: 1, [id('Hope')]: 1 } }, token: people[0]!.token })
    await api(fixture.server, `${base}/sections/values/ballot`, { method: 'PUT', body: { dots: { [id('Respect')]: 1 } }, token: people[1]!.token })
    await api(fixture.server, `${base}/wellbeing/spotlight`, { method: 'PUT', body: { sectionId: 'values' }, token: workshop.facilitatorKey })

    const page = await (await device(workshop.workshopId, { facilitatorKey: workshop.facilitatorKey }, { width: 1920, height: 1080 })).context.newPage()
    await page.goto(`${fixture.server.url}/w/${workshop.workshopId}/present`)
    await expect.poll(() => page.locator('.present-count').first().textContent()).toContain('2 of 3 have voted')
    expect(await page.locator('.present-section h2').textContent()).toBe('Our values')

    await api(fixture.server, `${base}/sections/values/close-vote`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    await expect.poll(() => page.locator('.present-results li').allTextContents()).toEqual(['Respect — 2 dots', 'Hope — 1 dot', 'Honesty — 0 dots'])

    const smallest = await page.evaluate(() => {
      let min = Infinity
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement
        if (!parent || !node.textContent?.trim() || parent.closest('.visually-hidden') || parent.getClientRects().length === 0) continue
        min = Math.min(min, parseFloat(getComputedStyle(parent).fontSize))
      }
      return min
    })
    expect(smallest).toBeGreaterThanOrEqual(28)
    const colours = await page.locator('main').evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor])
    expect(colours).toEqual(['rgb(0, 0, 0)', 'rgb(255, 255, 255)'])
    expect(await page.locator('.tl-container, .tl-cursor, [class*="cursor"]').count()).toBe(0)
  })
})
