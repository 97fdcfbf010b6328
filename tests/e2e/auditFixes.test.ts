import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { announcements, openWorkshopAs, recordAnnouncements } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'
import { api } from '../helpers/testServer.ts'

/**
 * The accessibility audit's findings, in a real browser: long links at 360 px and 200 % text, an
 * answer typed as a consent round closes, "Get support" during a room pause, keyboard focus after
 * a facilitator's button goes or becomes unavailable, a dead workshop link, and going back into
 * a vote that already has results.
 */
const URL_WORDS = 'https://www.nhs.uk/mentalhealth/crisiscareandhometreatmentteaminformationleaflet2026'
const LONG = `Read ${URL_WORDS}`
const PHONE = { width: 360, height: 740 }

const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as (HTMLElement & { labels?: NodeListOf<HTMLLabelElement> }) | null
    if (!element || element === document.body) return 'body'
    const name = element.getAttribute('aria-label') ?? (element.labels?.length ? element.labels[0]!.textContent : element.textContent) ?? ''
    return `${element.tagName.toLowerCase()}: ${name.replace(/\s+/g, ' ').trim()}`
  })
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)
const twiceTheText = (page: Page) => page.addStyleTag({ content: 'html:root { font-size: 200% !important; }' })

describe('accessibility audit fixes', () => {
  const setup = serverWithBrowsers()

  it('never scrolls sideways at 360 px, with a long link in ideas, results, drafts and reasons', { timeout: 240_000 }, async () => {
    const flow = await workshopFlow(setup.server, 'Long words workshop')
    const { workshopId } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, [LONG, 'Be kind', 'Listen to us'])
    await flow.vote('values', new Map([[people[0]!, [LONG]], [people[1]!, [LONG, 'Be kind']], [people[2]!, ['Listen to us']]]))
    await flow.addAndReveal('ground-rules', people, [LONG, 'One voice at a time', 'Phones on silent'])
    await flow.consentRound('vision', { text: `Care for all. ${URL_WORDS}` }, new Map([
      [people[0]!, { response: 'object', reason: `See ${URL_WORDS}` }],
      [people[1]!, { response: 'agree' }],
      [people[2]!, { response: 'can-live-with' }],
    ]))

    const participant = await openWorkshopAs(setup.server.url, workshopId, { token: people[0]! }, 'list', undefined, { viewport: PHONE, bypassCSP: true })
    setup.browsers.push(participant.browser)
    const page = participant.page
    await page.locator('.result-text').first().waitFor({ timeout: 15_000 })
    await page.locator('.consent-history blockquote.draft').first().waitFor()
    expect(await pageWidth(page)).toBeLessThanOrEqual(360)
    await twiceTheText(page)
    expect(await pageWidth(page)).toBeLessThanOrEqual(360)

    await page.goto(`${setup.server.url}/w/${workshopId}/agreed`)
    await expect.poll(() => page.locator('main').textContent(), { timeout: 15_000 }).toContain(URL_WORDS)
    expect(await pageWidth(page)).toBeLessThanOrEqual(360)

    // The facilitator at 360 px and 200 % text: "Hide or combine ideas", the copy fields.
    const facilitator = await openWorkshopAs(setup.server.url, workshopId, { facilitatorKey: flow.workshop.facilitatorKey }, 'list', undefined, { viewport: PHONE, bypassCSP: true })
    setup.browsers.push(facilitator.browser)
    const panel = facilitator.page
    await panel.locator('fieldset.moderation').first().waitFor({ timeout: 15_000 })
    await twiceTheText(panel)
    expect(await pageWidth(panel)).toBeLessThanOrEqual(360)
    await panel.goto(flow.workshop.facilitatorUrl)
    await twiceTheText(panel)
    const joinLink = panel.getByLabel('Join link', { exact: true }).first()
    await joinLink.waitFor({ timeout: 15_000 })
    expect(await pageWidth(panel)).toBeLessThanOrEqual(360)
    // The box shows a useful part of the link, not one letter.
    expect((await joinLink.boundingBox())!.width).toBeGreaterThan(200)
  })

  it('says so when a consent round closes before an answer is saved, shows the words, and marks a missing answer', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(setup.server, 'Consent workshop')
    const { workshopId } = flow.workshop
    const [person] = await flow.join(1)
    await flow.facilitate('/sections/vision/phase', { phase: 'agree' })
    const proposal = (await flow.facilitate('/sections/vision/proposals', { text: 'Care that listens.' })) as { proposalId: string }
    const opened = await openWorkshopAs(setup.server.url, workshopId, { token: person! }, 'list', recordAnnouncements)
    setup.browsers.push(opened.browser)
    const { page } = opened
    const vision = page.locator('[data-section="vision"]')
    const save = vision.getByRole('button', { name: 'Save my answer' })
    await save.waitFor({ timeout: 15_000 })

    // Nothing chosen: the choices are marked, and the first one takes focus.
    await save.click()
    await expect.poll(() => focused(page)).toBe('input: I agree')
    const first = vision.getByRole('radio').first()
    expect(await first.getAttribute('aria-invalid')).toBe('true')
    const describedBy = (await first.getAttribute('aria-describedby'))!
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain('Choose one of the three answers first.')

    // Typed, not saved, and the round closes.
    await vision.getByRole('radio').last().check()
    const reason = 'The draft leaves out people who cannot use a phone'
    await vision.getByLabel('Why? (optional, shared without your name)').fill(reason)
    await flow.facilitate(`/proposals/${proposal.proposalId}/close`)
    const notice = vision.getByTestId('unsent-answer')
    await notice.waitFor({ timeout: 10_000 })
    expect(await notice.textContent()).toContain('Your answer was not saved in time, so it was not sent.')
    expect(await notice.locator('blockquote').textContent()).toBe(reason)
    await expect.poll(async () => (await announcements(page)).map((a) => a.text).join(' | ')).toContain('Your answer was not sent.')
    expect(await focused(page)).not.toBe('body')
  })

  it('keeps “Get support” on screen and inside the calm screen when the room pauses, however far down someone was', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(setup.server, 'Pause workshop')
    const { workshopId } = flow.workshop
    const [person] = await flow.join(1)
    const opened = await openWorkshopAs(setup.server.url, workshopId, { token: person! }, 'list', undefined, { viewport: PHONE })
    setup.browsers.push(opened.browser)
    const { page } = opened
    await page.locator('[data-section="ground-rules"]').waitFor({ timeout: 15_000 })
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300)
    await flow.facilitate('/wellbeing/pause', { paused: true })
    const calm = page.getByTestId('room-paused')
    await calm.waitFor({ timeout: 10_000 })

    // The bar's "Get support" is on screen, above the calm screen.
    const barSupport = page.locator('.support-bar').getByRole('button', { name: 'Get support' })
    const box = (await barSupport.boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height)
    expect(await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent, { x: box.x + box.width / 2, y: box.y + box.height / 2 })).toBe('Get support')

    // And within the calm screen, one Tab from its heading.
    await expect.poll(() => focused(page)).toBe('h2: We are taking a break')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('button: Get support')
    await page.keyboard.press('Enter')
    await expect.poll(() => calm.textContent()).toContain('Help at any time')
    expect(await calm.getByRole('button', { name: 'Get support' }).getAttribute('aria-expanded')).toBe('true')
  })

  it('keeps keyboard focus on the facilitator’s controls when a pressed button goes or becomes unavailable', { timeout: 180_000 }, async () => {
    const flow = await workshopFlow(setup.server, 'Focus workshop')
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    const opened = await openWorkshopAs(setup.server.url, workshopId, { facilitatorKey }, 'list', recordAnnouncements)
    setup.browsers.push(opened.browser)
    const { page } = opened
    const values = page.locator('[data-section="values"]')

    // Sections: "up" on the second row makes it first, where "up" cannot be used.
    const up = page.getByRole('button', { name: 'Move Our values up' })
    await up.waitFor({ timeout: 15_000 })
    await up.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.section-order li').first().textContent()).toContain('Our values')
    await page.waitForTimeout(300)
    expect(await focused(page)).toBe('button: Move Our values up')
    expect(await up.getAttribute('aria-disabled')).toBe('true')
    // Pressing it there does nothing but say why.
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.section-order ~ p, .section-order ~ * p').allTextContents()).toContain('“Our values” is already first.')
    expect(await page.locator('.section-order li').first().textContent()).toContain('Our values')

    // Ideas arrive; "Show all ideas" goes once they are shown.
    for (const [index, token] of people.entries())
      await api(setup.server, `/api/workshops/${workshopId}/sections/values/ideas`, { body: { text: `Idea ${index + 1}` }, token })
    const show = values.getByRole('button', { name: /^Show all ideas/ })
    await expect.poll(() => show.textContent(), { timeout: 10_000 }).not.toContain('no ideas')
    await expect.poll(() => show.getAttribute('aria-disabled')).toBeNull()
    await show.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => values.locator('.idea-list').textContent(), { timeout: 10_000 }).toContain('Idea 1')
    await page.waitForTimeout(300)
    expect(await focused(page)).not.toBe('body')

    // Hide: the selection clears, and the button stays under the keyboard.
    await values.getByRole('checkbox', { name: 'Idea 1' }).check()
    await values.getByLabel('Reason for hiding (everyone will see it)').fill('off-topic')
    const hide = values.getByRole('button', { name: /^Hide selected/ })
    await hide.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => hide.textContent(), { timeout: 10_000 }).toBe('Hide selected (0)')
    await page.waitForTimeout(300)
    expect(await focused(page)).toBe('button: Hide selected (0)')

    // Combine: the same.
    await values.getByRole('checkbox', { name: 'Idea 2' }).check()
    await values.getByRole('checkbox', { name: 'Idea 3' }).check()
    const combine = values.getByRole('button', { name: /^Combine selected/ })
    await combine.focus()
    await page.keyboard.press('Enter')
    // It asks first, the safe answer focused, with the wording to keep (the first ticked, unless changed).
    const asked = values.getByRole('group', { name: /Combine 2 ideas\? Keep the wording of:/ })
    await asked.waitFor({ timeout: 10_000 })
    expect(await focused(page)).toBe('button: Cancel')
    await asked.getByRole('radio', { name: 'Idea 3' }).check()
    await values.getByRole('button', { name: 'Combine them' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => combine.textContent(), { timeout: 10_000 }).toBe('Combine selected (0)')
    await expect.poll(() => flow.state().ideas.find((idea) => idea.text === 'Idea 2')?.status, { timeout: 10_000 }).toBe('merged')
    expect(flow.state().ideas.find((idea) => idea.text === 'Idea 3')?.status).toBe('published')
    await page.waitForTimeout(300)
    expect(await focused(page)).toBe('button: Combine selected (0)')

    // The door, on the facilitator page: focus stays, the new state is said.
    await page.goto(flow.workshop.facilitatorUrl)
    const door = page.getByRole('button', { name: 'Close the door' })
    await door.waitFor({ timeout: 15_000 })
    await door.focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByTestId('door-state').textContent(), { timeout: 10_000 }).toMatch(/^The door is closed/)
    await page.waitForTimeout(300)
    expect(await focused(page)).toBe('button: Open the door again')
    await expect.poll(async () => (await announcements(page)).map((a) => a.text)).toContain('The door is closed. Nobody new can join.')
  })

  it('asks before going back into a vote that has results, with the safe answer first', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(setup.server, 'Vote again workshop')
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen', 'Be honest'])
    await flow.vote('values', new Map([[people[0]!, ['Be kind']], [people[1]!, ['Listen']], [people[2]!, ['Be kind']]]))
    await flow.facilitate('/sections/values/phase', { phase: 'agree' })
    const opened = await openWorkshopAs(setup.server.url, workshopId, { facilitatorKey }, 'list')
    setup.browsers.push(opened.browser)
    const { page } = opened
    const values = page.locator('[data-section="values"]')
    const back = values.getByRole('button', { name: '← Back to “Voting”' })
    await back.waitFor({ timeout: 15_000 })
    const phase = () => flow.state().sections.find((section) => section.sectionId === 'values')!.phase

    await back.focus()
    await page.keyboard.press('Enter')
    const question = values.getByTestId('confirm-vote-again')
    await question.waitFor()
    expect(await question.textContent()).toContain('This starts a new vote, and everyone votes again.')
    expect(await focused(page)).toBe('button: No, keep the results')
    await page.keyboard.press('Enter')
    await expect.poll(() => question.count()).toBe(0)
    expect(await focused(page)).toBe('button: ← Back to “Voting”')
    expect(phase()).toBe('agree')

    await page.keyboard.press('Enter')
    await question.getByRole('button', { name: 'Yes, start a new vote' }).click()
    await expect.poll(phase, { timeout: 10_000 }).toBe('vote')
  })

  it('says at once that a link to a missing workshop does not work, with a way to the start page, and offers no “Leave”', { timeout: 90_000 }, async () => {
    const browser = await openBrowser()
    setup.browsers.push(browser)
    const page = await browser.context.newPage()
    for (const path of ['join', 'agreed']) {
      await page.goto(`${setup.server.url}/w/AAAAAAAAAAAAAAAA/${path}`)
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('This link does not work')
      expect(await page.getByRole('button', { name: 'Join the workshop' }).count()).toBe(0)
      expect(await page.getByRole('link', { name: 'Go to the start page' }).count()).toBe(1)
    }
    expect(await page.getByRole('button', { name: 'Leave' }).count()).toBe(0)

    // A real workshop's join page, before joining: no "Leave" either.
    const flow = await workshopFlow(setup.server, 'Not joined yet')
    await page.goto(flow.workshop.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).waitFor()
    expect(await page.getByRole('button', { name: 'Leave' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.getByRole('button', { name: 'Leave' }).waitFor({ timeout: 15_000 })
  })
})
