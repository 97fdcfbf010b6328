import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { CreatedProgramme } from '../../shared/coproduction.ts'
import { openWorkshopAs, recordAnnouncements, said } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/**
 * The WCAG 2.2 AA audit's findings (December), in a real browser: controls that name their idea,
 * errors tied to their fields, an announcer that does not keep old words, and the board's panels
 * and tools on small and large screens.
 */

/** What a screen reader learns about a field after an error: focus, invalid state, and the words it points to. */
const fieldState = (field: Locator) =>
  field.evaluate((element) => ({
    focused: document.activeElement === element,
    invalid: element.getAttribute('aria-invalid'),
    described: (element.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  }))

const accessibleNames = (page: Page, role: 'combobox' | 'button', startsWith: string) =>
  page.evaluate(
    ({ role, startsWith }) => {
      const elements = [...document.querySelectorAll(role === 'combobox' ? '.put-with select' : '.put-with button')] as HTMLElement[]
      const nameOf = (element: HTMLElement) => {
        const labels = (element as HTMLSelectElement).labels
        const text = element.getAttribute('aria-label') ?? (labels?.length ? labels[0]!.textContent : element.textContent) ?? ''
        return text.replace(/\s+/g, ' ').trim()
      }
      return elements.map(nameOf).filter((name) => name.startsWith(startsWith))
    },
    { role, startsWith },
  )

describe('WCAG 2.2 audit fixes', () => {
  const fixture = serverWithBrowsers()

  it('names each idea’s “Put with…”, “Put together” and “Take out” after its idea, keeps folded notes folded, and ties “choose first” to the list', { timeout: 150_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId } = flow.workshop
    const people = await flow.join(3)
    const base = `/api/workshops/${workshopId}`
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Be kind to each other every single day of the week' }, token: people[0]! })
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Listen first' }, token: people[1]! })
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Something hard that happened', contentNote: 'mentions self-harm' }, token: people[2]! })
    await api(fixture.server, `${base}/sections/values/ideas`, { body: { text: 'Start on time' }, token: people[0]! })
    await flow.facilitate('/sections/values/reveal', { publishAnyway: true })
    await api(fixture.server, `${base}/sections/values/themes`, {
      body: { ideaId: flow.ideaId('values', 'Listen first'), withIdeaId: flow.ideaId('values', 'Start on time'), name: 'Respect' },
      token: flow.workshop.facilitatorKey,
    })

    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: people[1]! }, 'list')
    fixture.browsers.push(browser)
    const values = page.locator('[data-section="values"]')
    await values.locator('.put-with select').first().waitFor({ timeout: 20_000 })

    // Every name starts with the words on screen (voice control), then says which idea.
    const selects = await accessibleNames(page, 'combobox', 'Put with…')
    expect(selects).toHaveLength(4)
    expect(new Set(selects).size).toBe(4)
    expect(selects).toContain('Put with… “Be kind to each other every…”')
    expect(selects).toContain('Put with… “Listen first”')
    const together = await accessibleNames(page, 'button', 'Put together')
    expect(new Set(together).size).toBe(4)
    expect(together).toContain('Put together “Listen first”')
    expect(await accessibleNames(page, 'button', 'Take out of this theme')).toEqual(
      expect.arrayContaining(['Take out of this theme “Listen first”', 'Take out of this theme “Start on time”']),
    )
    // The folded idea is named by its note only: its words stay hidden until opened.
    const all = [...selects, ...together].join(' | ')
    expect(all).not.toContain('Something hard')
    expect(all).toContain('Put with… an idea with a content note: mentions self-harm')
    // Found by what is seen, and the choices are still drawn only when reached.
    const listen = values.getByLabel('Put with… “Listen first”')
    expect(await listen.evaluate((element) => (element as HTMLSelectElement).options.length)).toBe(1)

    // "Put together" with nothing chosen: the error is the list's, and the focus goes there.
    await values.getByRole('button', { name: 'Put together “Listen first”' }).click()
    await expect.poll(() => fieldState(listen)).toEqual({ focused: true, invalid: 'true', described: 'Choose an idea or a theme first.' })
  })

  it('ties the programme page’s errors to “Name of the next workshop” and “Record code”, and says “name” as the label does', { timeout: 120_000 }, async () => {
    const programme = (await api<CreatedProgramme>(fixture.server, '/api/programmes', { body: { title: 'Ward 7 programme' } })).body
    // Through the API too, the empty name is asked for in the label's words.
    const empty = await api<{ error: { message: string } }>(fixture.server, '/api/workshops', { body: { title: ' ', programmeId: programme.programmeId }, token: programme.programmeKey })
    expect([empty.status, empty.body.error.message]).toEqual([400, 'Give the workshop a name.'])
    const emptyProgramme = await api<{ error: { message: string } }>(fixture.server, '/api/programmes', { body: { title: '' } })
    expect(emptyProgramme.body.error.message).toBe('Give the programme a name.')

    const browser = await openBrowser()
    fixture.browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(programme.programmeUrl)
    const name = page.getByLabel('Name of the next workshop')
    await name.waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Make the workshop' }).click()
    await expect.poll(() => fieldState(name)).toEqual({ focused: true, invalid: 'true', described: 'Give the workshop a name.' })
    // Typing a name and making it clears the error.
    await name.fill('April workshop')
    await page.getByRole('button', { name: 'Make the workshop' }).click()
    await expect.poll(() => page.locator('main').textContent(), { timeout: 15_000 }).toContain('Workshop made.')
    expect((await fieldState(name)).invalid).toBeNull()

    const record = page.getByLabel('Record code')
    await record.fill('NOT-A-CODE')
    await page.getByRole('button', { name: 'Check the code' }).click()
    await expect.poll(() => fieldState(record)).toMatchObject({ focused: true, invalid: 'true' })
    expect((await fieldState(record)).described.length).toBeGreaterThan(10)
  })

  it('ties “Minutes to put on the record” to its error and puts the focus there', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const [person] = await flow.join(1)
    for (const sectionId of ['vision', 'values', 'ground-rules']) await flow.facilitate(`/sections/${sectionId}/phase`, { phase: 'done' })
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: person! }, 'list')
    fixture.browsers.push(browser)
    await page.goto(`${fixture.server.url}/w/${flow.workshop.workshopId}/agreed`)
    const minutes = page.getByLabel(/Minutes to put on the record/)
    await minutes.waitFor({ timeout: 20_000 })
    await minutes.fill('abc')
    await page.getByRole('button', { name: 'Take a record' }).click()
    await expect.poll(() => fieldState(minutes)).toEqual({ focused: true, invalid: 'true', described: 'Type the number of minutes, like 90.' })
  })
  it('fits the selected card’s panel, “Put with…” and its focus ring included, clear of the open side panel at 1280×800', { timeout: 180_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const people = await flow.join(3)
    await flow.addAndReveal('vision', people, ['Care that listens', 'Plain letters', 'Time to talk'])
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    await flow.addAndReveal('ground-rules', people, ['One voice at a time', 'Phones on silent', 'Breaks when needed'])
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: people[0]! }, 'board', undefined, { viewport: { width: 1280, height: 800 } })
    fixture.browsers.push(browser)
    const cards = page.locator('.tl-shape[data-shape-type="idea-card"]')
    await cards.first().waitFor({ timeout: 60_000 })
    await page.locator('.floating-panel-body:not([hidden])').waitFor()
    await expect.poll(() => cards.count(), { timeout: 20_000 }).toBe(9)

    const panel = page.getByTestId('selected-card')
    let checked = 0
    for (let index = 0; index < 9; index++) {
      const box = (await cards.nth(index).boundingBox())!
      const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
      // Only cards the side panel leaves in sight can be chosen with a click.
      // (Shapes take no pointer events: what is on top at the centre is the board's own surface.)
      const reachable = await page.evaluate(({ x, y }) => {
        const onTop = document.elementFromPoint(x, y)
        return onTop !== null && onTop.closest('.tl-canvas') !== null && onTop.closest('.floating-panel, .board-tools, .selected-card') === null
      }, centre)
      if (!reachable) continue
      await page.mouse.click(centre.x, centre.y)
      await panel.locator('.put-with-row select').waitFor({ timeout: 10_000 })
      const clear = () =>
        page.evaluate(() => {
          const side = document.querySelector('.floating-panel-body')!.getBoundingClientRect()
          const card = document.querySelector('[data-testid="selected-card"]')!.getBoundingClientRect()
          const select = document.querySelector('[data-testid="selected-card"] .put-with-row select')!.getBoundingClientRect()
          // The focus ring is drawn a few pixels outside the list: those must be clear too.
          const ring = 4
          const onTop = document.elementFromPoint(select.right + ring - 1, select.top + select.height / 2)
          return { overlap: Math.max(0, card.right - side.left), ringCovered: onTop !== null && onTop.closest('.floating-panel') !== null }
        })
      await expect.poll(clear, { timeout: 5_000 }).toEqual({ overlap: 0, ringCovered: false })
      checked++
      await panel.getByRole('button', { name: 'Close', exact: true }).click()
    }
    expect(checked).toBeGreaterThan(3)
  })
  it('empties the announcer a few seconds after each message, and on moving to another page', { timeout: 120_000 }, async () => {
    const browser = await openBrowser()
    fixture.browsers.push(browser)
    const page = await browser.context.newPage()
    await page.clock.install()
    await page.goto(fixture.server.url)
    const assertive = () => page.evaluate(() => document.getElementById('announcer-assertive')?.textContent ?? null)
    const start = page.locator('section', { has: page.getByRole('heading', { name: 'Start a new workshop' }) })
    await start.getByRole('button', { name: 'Create workshop' }).click()
    await expect.poll(assertive).toContain('Give the workshop a name')
    // Read out as it came; gone a few seconds later.
    await page.clock.runFor(4_000)
    expect(await assertive()).toContain('Give the workshop a name')
    await page.clock.runFor(1_500)
    expect(await assertive()).toBe('')

    // Said again, then the page changes before it was cleared: the next page starts quiet.
    await start.getByRole('button', { name: 'Create workshop' }).click()
    await expect.poll(assertive).toContain('Give the workshop a name')
    await page.clock.runFor(1_500)
    await start.getByLabel('Workshop name').fill('Quiet start')
    await start.getByRole('button', { name: 'Create workshop' }).click()
    await page.waitForURL(/\/facilitate$/, { timeout: 15_000 })
    expect(await assertive()).toBe('')
  })

  it('says how to take a dot off when each idea can have at most one, in the hint and in “used all your dots”', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    await flow.facilitate('/sections/values/vote-settings', { budget: 2, maxPerIdea: 1 }, 'PUT')
    await flow.facilitate('/sections/values/phase', { phase: 'vote' })
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: people[0]! }, 'list')
    fixture.browsers.push(browser)
    const panel = page.locator('[data-section="values"] .vote-panel')
    await panel.waitFor({ timeout: 20_000 })
    expect(await panel.locator('.hint').first().textContent()).toContain('Press ✓ Vote again to take your dot off.')
    for (const idea of ['Be kind', 'Listen first']) await panel.getByRole('button', { name: `Vote for: ${idea}` }).click()
    await expect.poll(() => panel.locator('.dots-left').textContent()).toContain('You have 0 of 2 dots left.')
    await panel.getByRole('button', { name: 'Vote for: Start on time' }).click()
    await expect.poll(() => panel.locator('.field-error').textContent()).toBe('You have used all 2 dots. Press ✓ Vote again on another idea to take that dot off first.')
    // And that is how it is done.
    await panel.getByRole('button', { name: 'Vote for: Be kind' }).click()
    await expect.poll(() => panel.locator('.dots-left').textContent()).toContain('You have 1 of 2 dots left.')
  })

  it('turns Delete and Duplicate off on a participant’s idea card, and says why when the keys are pressed', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: people[0]! }, 'board', recordAnnouncements, { viewport: { width: 1280, height: 800 } })
    fixture.browsers.push(browser)
    const cards = page.locator('.tl-shape[data-shape-type="idea-card"]')
    await cards.first().waitFor({ timeout: 60_000 })
    await expect.poll(() => page.getByTestId('connection-status').textContent(), { timeout: 15_000 }).toContain('Connected')
    const card = cards.filter({ hasText: 'Be kind' })
    const box = (await card.boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.getByTestId('selected-card').waitFor({ timeout: 10_000 })

    const actions = page.getByRole('toolbar', { name: 'Actions' })
    const off = (name: string) => actions.getByRole('button', { name }).evaluate((button) => (button as HTMLButtonElement).disabled || button.getAttribute('aria-disabled') === 'true')
    await expect.poll(() => off('Delete')).toBe(true)
    expect(await off('Duplicate')).toBe(true)

    await page.keyboard.press('Delete')
    await expect.poll(async () => (await said(page)).at(-1)).toBe('Only the facilitator can hide an idea.')
    await page.keyboard.press('Control+d')
    await expect.poll(async () => (await said(page)).at(-1)).toBe('An idea card cannot be copied: each idea is on the board once.')
    expect(await cards.count()).toBe(3)
  })

})
