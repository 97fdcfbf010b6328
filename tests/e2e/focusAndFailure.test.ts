import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { announcements, busyWorkshop, openWorkshopAs, recordAnnouncements } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { CloseCode } from '../../shared/closeCodes.ts'
import { IDEA_CONTENT_NOTE_MAX_CHARS } from '../../shared/wellbeing.ts'
import { participantActorKey } from '../../server/services/actors.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

/**
 * Issue 14, items 4 and 5: after each action focus lands somewhere sensible (never on `body`) and
 * the outcome is said; someone arriving mid-timer is not told a timer has started; a refused key
 * or a missing workshop fails gently, soon, with "Join again", and stops reconnecting.
 */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement
    if (!element || element === document.body) return 'body'
    return `${element.tagName.toLowerCase()}: ${(element.textContent ?? '').replace(/\s+/g, ' ').trim()}`
  })
const said = async (page: Page) => (await announcements(page)).map((a) => a.text).join(' | ')
const vision = (page: Page) => page.locator('[data-section="vision"]')

describe('focus and announcements after each action, and gentle failure', () => {
  const setup = serverWithBrowsers()

  it('moves focus to the workshop heading after joining, back to “Take a break” after a break, and to the section after withdrawing', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(setup.server, 'Better crisis care')
    const browser = await openBrowser()
    setup.browsers.push(browser)
    await recordAnnouncements(browser.context)
    const page = await browser.context.newPage()
    await page.addInitScript(() => localStorage.setItem('parity:view', 'list'))
    const socketsOpened: string[] = []
    page.on('websocket', (socket) => socketsOpened.push(new URL(socket.url()).pathname.split('/').pop()!))
    await page.goto(`${setup.server.url}/w/${workshop.workshopId}/join`)
    await page.getByRole('button', { name: 'Join the workshop' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page), { timeout: 15_000 }).toBe('h1: Better crisis care')
    // The state doc's socket, opened as the join succeeded, is the one the workshop page uses.
    await expect.poll(() => [...socketsOpened].sort().join(' ')).toBe('board state')
    expect(await said(page)).toContain('You have joined the workshop.')

    // A break, and back: focus returns to the button that started it.
    await page.getByRole('button', { name: 'Take a break' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('button: I am ready to come back')
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('button: Take a break')

    // The same mistake twice is said twice (the words do not change, so it used to be said once).
    const emptyIdea = async () => (await announcements(page)).filter((a) => a.text === 'Your idea is empty — type a few words.').length
    await vision(page).getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(emptyIdea).toBe(1)
    await vision(page).getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(emptyIdea).toBe(2)
    expect(await vision(page).getByLabel('Add an idea to “Our shared vision”').getAttribute('aria-invalid')).toBe('true')
    // An error about the content note marks the note's box, not the idea's.
    await vision(page).getByLabel('Add an idea to “Our shared vision”').fill('Help that comes quickly')
    await vision(page).getByLabel('Add a content note, so others can choose whether to read it').check()
    await vision(page).getByLabel('Content note (for example “mentions self-harm”)').fill('n'.repeat(IDEA_CONTENT_NOTE_MAX_CHARS + 5))
    await vision(page).getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => vision(page).getByLabel('Content note (for example “mentions self-harm”)').getAttribute('aria-invalid')).toBe('true')
    expect(await vision(page).getByLabel('Add an idea to “Our shared vision”').getAttribute('aria-invalid')).toBeNull()
    await vision(page).getByLabel('Add a content note, so others can choose whether to read it').uncheck()

    // Add an idea, then withdraw it: the section's heading takes focus and the outcome is said.
    await vision(page).getByLabel('Add an idea to “Our shared vision”').fill('Help that comes quickly')
    await vision(page).getByRole('button', { name: 'Add my idea' }).click()
    const withdraw = vision(page).getByRole('button', { name: /^Withdraw your idea: Help that comes quickly/ })
    await withdraw.waitFor({ timeout: 10_000 })
    // 2.5.3: the visible words “Add content note” start the button's name.
    expect(await vision(page).getByRole('button', { name: /^Add content note to your idea: Help that comes quickly/ }).count()).toBe(1)
    // It asks first, with focus on the safe answer (the button that asked is gone).
    await withdraw.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('button: No, keep it')
    // Keeping it takes the question away: focus stays in the idea's row, not at the top of the page.
    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('button: Edit')
    await withdraw.focus()
    await page.keyboard.press('Enter')
    await vision(page).getByRole('button', { name: 'Yes, withdraw it' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => vision(page).getByRole('button', { name: /^Withdraw your idea/ }).count()).toBe(0)
    await expect.poll(() => focused(page)).toBe('h2: Our shared vision')
    expect(await said(page)).toContain('Idea withdrawn.')
  })

  it('does not say a timer has started to someone who arrives while it runs', { timeout: 90_000 }, async () => {
    const { workshop, people } = await busyWorkshop(setup.server)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: people[0]!.token }, 'list', recordAnnouncements)
    setup.browsers.push(opened.browser)
    const { page } = opened
    await page.getByText('Timer: About 30 minutes left', { exact: false }).first().waitFor({ timeout: 15_000 })
    // The timer is looked at again every second: give it a few looks to (wrongly) speak.
    await page.waitForTimeout(2500)
    expect(await said(page)).not.toContain('A timer has started')
  })

  it('tells someone with a refused key, soon and plainly, to join again, and stops reconnecting', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(setup.server)
    await joinWorkshop(setup.server, workshop.workshopId)
    const stale = 'A'.repeat(43)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: stale }, 'list', recordAnnouncements)
    setup.browsers.push(opened.browser)
    const { page } = opened
    let sockets = 0
    page.on('websocket', () => sockets++)
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'We could not open the workshop' }).count(), { timeout: 10_000 }).toBe(1)
    expect(await page.locator('main').getByText('This device’s key for the workshop is no longer valid. Please join again.').count()).toBe(1)
    expect(await page.getByText('Connecting to the workshop…').count()).toBe(0)
    await expect.poll(() => focused(page)).toBe('h1: We could not open the workshop')
    expect((await announcements(page)).filter((a) => a.politeness === 'assertive').map((a) => a.text)).toContain('This device’s key for the workshop is no longer valid. Please join again.')
    // No more attempts: y-websocket's longest wait between tries is 5 s.
    const before = sockets
    await page.waitForTimeout(6000)
    expect(sockets).toBe(before)

    await page.getByRole('button', { name: 'Join again' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Join the workshop' }).count()).toBe(1)
    expect(await page.evaluate((id) => localStorage.getItem(`parity:${id}:token`), workshop.workshopId)).toBeNull()
  })

  it('comes back by itself after the server closed its connection for a passing reason', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(setup.server)
    const person = await joinWorkshop(setup.server, workshop.workshopId)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: person.token }, 'list')
    setup.browsers.push(opened.browser)
    const { page } = opened
    const status = page.getByTestId('connection-status')
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Connected')
    let sockets = 0
    page.on('websocket', () => sockets++)
    // As a rate limit or a refused change would: a 44xx close that is not one of the final ones.
    setup.server.rooms.withRoom(workshop.workshopId, (room) => room.closeAll(CloseCode.rateLimited, 'too many messages'))
    await expect.poll(() => sockets, { timeout: 10_000 }).toBeGreaterThan(0)
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Connected')
    // The room holds the page's connection again (the page shows what the room sends).
    const actor = participantActorKey(person.participantId)
    await expect.poll(() => setup.server.rooms.withRoom(workshop.workshopId, (room) => room.socketsOf(actor)), { timeout: 10_000 }).toBeGreaterThan(0)
  })

  it('says so when adding ideas closes while someone is typing one, shows the words, and keeps focus in the section', { timeout: 90_000 }, async () => {
    const workshop = await createWorkshop(setup.server)
    const person = await joinWorkshop(setup.server, workshop.workshopId)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: person.token }, 'list', recordAnnouncements)
    setup.browsers.push(opened.browser)
    const { page } = opened
    const values = page.locator('[data-section="values"]')
    // Focus that fell to the page on purpose (clicking empty space) stays there when the page changes.
    await values.getByLabel('Add an idea to “Our values”').focus()
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    const other = await joinWorkshop(setup.server, workshop.workshopId)
    await api(setup.server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: 'Someone else’s idea' }, token: other.token })
    await expect.poll(() => values.locator('.idea-count').textContent(), { timeout: 10_000 }).toContain('waiting')
    expect(await focused(page)).toBe('body')
    await values.getByLabel('Add an idea to “Our values”').fill('Half a thought about kindness')
    // Someone else's idea still waits: the facilitator starts the vote without it.
    expect((await api(setup.server, `/api/workshops/${workshop.workshopId}/sections/values/phase`, { body: { phase: 'vote', leaveWaiting: true }, token: workshop.facilitatorKey })).status).toBe(200)
    await expect.poll(() => values.getByLabel('Add an idea to “Our values”').count(), { timeout: 10_000 }).toBe(0)
    expect(await values.locator('.notice').textContent()).toContain('Half a thought about kindness')
    await expect.poll(async () => (await announcements(page)).map((a) => a.text)).toContain(
      'Adding ideas has closed in “Our values”. What you were typing was not sent; it is kept on this device.',
    )
    expect(await focused(page)).not.toBe('body')
  })

  it('says plainly when the workshop no longer exists, with “Go to the start page” to type a code', { timeout: 90_000 }, async () => {
    const opened = await openWorkshopAs(setup.server.url, 'no-such-workshop', { token: 'B'.repeat(43) }, 'list')
    setup.browsers.push(opened.browser)
    const { page } = opened
    await expect.poll(() => page.locator('main').getByText('We could not find this workshop.', { exact: false }).count(), { timeout: 10_000 }).toBe(1)
    await page.getByRole('button', { name: 'Go to the start page' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/')
  })
})
