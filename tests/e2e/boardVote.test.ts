import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { focusedName, keyboardToCard, openWorkshopAs, recordAnnouncements } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/** Presses Shift+Tab (only the keyboard) until the focused element's name is `name`. */
async function shiftTabTo(page: Page, name: string, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Shift+Tab')
    if ((await focusedName(page)) === name) return
  }
  throw new Error(`Shift+Tab never reached “${name}” (last: “${await focusedName(page)}”)`)
}

const card = (page: Page, text: string) => page.locator(`.idea-card[aria-label="${text}"]`)
const cardVote = (page: Page) => page.locator('[data-testid="selected-card"] .card-vote')
const list = (page: Page) => page.locator('[data-section="values"] .vote-panel')

/** Product review: "from voting onwards it goes back to being a form next to a canvas". */
describe('voting from the board', () => {
  const fixture = serverWithBrowsers()

  it('a card’s panel adds and takes off dots by keyboard, the list agrees, and only the voter sees their dots', { timeout: 180_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    await flow.facilitate('/sections/values/vote-settings', { budget: 3, maxPerIdea: 2 }, 'PUT')
    await flow.facilitate('/sections/values/phase', { phase: 'vote' })

    const viewport = { width: 1366, height: 768 }
    const voter = await openWorkshopAs(fixture.server.url, workshopId, { token: people[1]! }, 'board', recordAnnouncements, { viewport })
    fixture.browsers.push(voter.browser)
    const page = voter.page
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })

    // Keyboard only: onto the card, out of the board (Escape), back to the card's panel.
    await keyboardToCard(page, 'Our values', 'Be kind')
    await expect.poll(() => cardVote(page).count(), { timeout: 10_000 }).toBe(1)
    await page.keyboard.press('Escape')
    await shiftTabTo(page, 'Add a dot to: Be kind')
    await page.keyboard.press('Enter')
    await expect.poll(() => cardVote(page).locator('.my-dots').textContent()).toContain('1 dot on this idea')
    await page.keyboard.press('Enter')
    await expect.poll(() => cardVote(page).locator('.my-dots').textContent()).toContain('2 dots on this idea')
    await expect.poll(() => cardVote(page).locator('.dots-left').textContent()).toContain('You have 1 of 3 dots left.')
    // At the cap: said next to the buttons, in the same words as everywhere else.
    await page.keyboard.press('Enter')
    await expect.poll(() => cardVote(page).locator('.field-error').textContent()).toBe('You can put at most 2 dots on one idea.')
    // Focus never left the panel's button; the next one takes a dot off.
    await page.keyboard.press('Tab')
    expect(await focusedName(page)).toBe('Take a dot off: Be kind')
    await page.keyboard.press('Enter')
    await expect.poll(() => cardVote(page).locator('.my-dots').textContent()).toContain('1 dot on this idea')
    await expect.poll(() => cardVote(page).locator('.dots-left').textContent()).toBe('You have 2 of 3 dots left.')
    expect(await cardVote(page).locator('.field-error').count()).toBe(0)

    // The side panel's "Your votes" is the same ballot.
    await expect.poll(() => list(page).locator('.dots-left').textContent()).toContain('You have 2 of 3 dots left')
    const listKind = list(page).locator('.vote-item').filter({ hasText: 'Be kind' })
    expect(await listKind.locator('.my-dots').textContent()).toBe('1 dot on this idea')

    // The voter's own dots on the card, in words and in its description; none on the others.
    await expect.poll(() => card(page, 'Be kind').locator('.card-own-dots').textContent()).toContain('Your dots: 1')
    const description = await card(page, 'Be kind').evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent ?? '')
    expect(description).toContain('Your dots: 1.')
    expect(await card(page, 'Listen first').locator('.card-own-dots').count()).toBe(0)

    // A dot put on in the list shows on its card too.
    await list(page).getByRole('button', { name: 'Add a dot to: Listen first' }).click()
    await expect.poll(() => card(page, 'Listen first').locator('.card-own-dots').textContent()).toContain('Your dots: 1')
    await expect.poll(() => list(page).locator('.dots-left').textContent()).toContain('You have 1 of 3 dots left')
    await expect.poll(() => list(page).locator('.dots-left').textContent()).not.toContain('saving')
    // The card's panel (no card selected) went when the focus went to the list.
    expect(await cardVote(page).count()).toBe(0)

    // A saved picture carries no own dots: not in words, not in the cards' descriptions (December diff review).
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as a picture for printing', exact: true }).click()])
    const svgText = await readFile((await svg.path())!, 'utf8')
    expect(svgText).toContain('Listen first')
    expect(svgText).not.toContain('Your dots')
    await expect.poll(() => card(page, 'Listen first').locator('.card-own-dots').textContent()).toContain('Your dots: 1')

    // The server holds exactly that ballot.
    const ballot = await api<{ dots: Record<string, number> }>(fixture.server, `/api/workshops/${workshopId}/sections/values/ballot`, { token: people[1]!, method: 'GET' })
    expect(ballot.body.dots).toEqual({ [flow.ideaId('values', 'Be kind')]: 1, [flow.ideaId('values', 'Listen first')]: 1 })

    // Someone else's board shows no trace of them: no dots of theirs, a full budget of their own.
    const other = await openWorkshopAs(fixture.server.url, workshopId, { token: people[2]! }, 'board', undefined, { viewport })
    fixture.browsers.push(other.browser)
    await other.page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })
    await expect.poll(() => list(other.page).locator('.dots-left').textContent()).toContain('You have 3 of 3 dots left')
    expect(await other.page.locator('.card-own-dots').count()).toBe(0)
    expect(await other.page.locator('body').textContent()).not.toContain('Your dots')
    // Nor does the shared board itself.
    const board = fixture.server.rooms.withRoom(workshopId, (room) => JSON.stringify(room.board.doc.toJSON()))
    expect(board).not.toContain('Your dots')
  })
})
