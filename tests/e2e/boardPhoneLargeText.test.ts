import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { keyboardToCard, openWorkshopAs, recordAnnouncements, said, tabTo } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'


/** 80 characters: the longest an idea is shown in the panel's lists. */
const LONG_IDEA = 'Everyone who comes to us is heard in full, in their own words and their own time'

/**
 * The board on a 360 px phone with text at 200 % (1.4.4, 1.4.10): the keyboard help opens inside
 * the screen, below the panel's button, and the selected card's panel (its Close button and
 * lists included) stays inside the screen and clear of tldraw's toolbar.
 */
describe('the board on a phone with large text', () => {
  const fixture = serverWithBrowsers()

  it('keeps the keyboard help and the selected card’s panel on screen, uncovered, at 360 px with text at 200 %', { timeout: 180_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', LONG_IDEA, 'Start on time'])

    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: people[1]! }, 'board', recordAnnouncements, { viewport: { width: 360, height: 740 } })
    fixture.browsers.push(browser)
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%'
    })
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })

    // The keyboard help, opened from its summary: every line inside the screen's width, and
    // nothing (the panel's button) on top of its summary.
    await page.locator('.board-keys summary').focus()
    await page.keyboard.press('Enter')
    expect(await page.locator('.board-keys').evaluate((details) => (details as HTMLDetailsElement).open)).toBe(true)
    const help = () =>
      page.evaluate(() => {
        const summary = document.querySelector('.board-keys summary')!
        const box = summary.getBoundingClientRect()
        const onTop = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
        const cut = [...document.querySelectorAll('.board-keys summary, .board-keys li')]
          .filter((line) => {
            const r = line.getBoundingClientRect()
            return r.left < 0 || r.right > window.innerWidth
          })
          .map((line) => line.textContent?.slice(0, 30))
        // Tab goes through the strip in the page's order: the same order on screen (rows, then left to right).
        const tabbable = [...document.querySelectorAll<HTMLElement>('.board-tools button, .board-tools summary')]
        const place = (element: HTMLElement) => element.getBoundingClientRect()
        const seenOrder = [...tabbable]
          .sort((a, b) => (Math.abs(place(a).top - place(b).top) < 4 ? place(a).left - place(b).left : place(a).top - place(b).top))
          .map((element) => element.textContent?.slice(0, 20))
        const tabOrder = tabbable.map((element) => element.textContent?.slice(0, 20))
        return { cut, summaryOnTop: onTop !== null && summary.contains(onTop), sameOrder: JSON.stringify(seenOrder) === JSON.stringify(tabOrder) }
      })
    await expect.poll(help, { timeout: 5_000 }).toEqual({ cut: [], summaryOnTop: true, sameOrder: true })
    await page.keyboard.press('Enter')

    // Keyboard only: into the canvas, to the Values frame, into its cards, to "Be kind".
    await keyboardToCard(page, 'Our values', 'Be kind')
    const panel = page.getByTestId('selected-card')
    await panel.waitFor()
    // "Put with…" offers the long idea, whole: the list is no wider than the panel all the same.
    expect(await panel.locator('select').first().evaluate((select) => [...(select as HTMLSelectElement).options].map((o) => o.text))).toContain(LONG_IDEA)

    // Close is reached by keyboard, inside the panel; moving to it scrolls nothing but the panel.
    await panel.getByRole('button', { name: 'Close', exact: true }).focus()
    const place = () =>
      page.evaluate(() => {
        const panel = document.querySelector('[data-testid="selected-card"]')!
        const close = [...panel.querySelectorAll('button')].find((button) => button.textContent === 'Close')!
        const inside = (box: DOMRect, outer: { left: number; top: number; right: number; bottom: number }) =>
          box.left >= outer.left - 0.5 && box.top >= outer.top - 0.5 && box.right <= outer.right + 0.5 && box.bottom <= outer.bottom + 0.5
        const screen = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight }
        const panelBox = panel.getBoundingClientRect()
        const tool = document.querySelector('[data-testid="tools.select"]')
        const toolBox = tool?.getBoundingClientRect()
        const onTool = toolBox ? document.elementFromPoint(toolBox.left + toolBox.width / 2, toolBox.top + toolBox.height / 2) : null
        // The card with the focus stays in sight: on screen, under none of what floats over the
        // board (2.4.11). Shapes take no pointer events, so boxes are compared, not hit-tested.
        const card = [...document.querySelectorAll('.tl-shape[data-shape-type="idea-card"]')].find((shape) => shape.textContent?.includes('Be kind'))!
        const cardBox = card.getBoundingClientRect()
        const floating = [...document.querySelectorAll('.board-tools, .panel-toggle, .tlui-layout__bottom, [data-testid="selected-card"]')]
        const overlaps = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
        return {
          cardUncovered: inside(cardBox, screen) && floating.every((element) => !overlaps(cardBox, element.getBoundingClientRect())),
          panelOnScreen: inside(panelBox, screen),
          closeOnScreen: inside(close.getBoundingClientRect(), screen) && inside(close.getBoundingClientRect(), panelBox),
          selectsWiderThanPanel: [...panel.querySelectorAll('select')].filter((select) => select.getBoundingClientRect().width > panel.clientWidth).length,
          boardScrolled: document.querySelector('main')!.scrollTop + document.querySelector('main')!.scrollLeft,
          toolbarUncovered: tool !== null && onTool !== null && tool.contains(onTool),
        }
      })
    await expect
      .poll(place, { timeout: 5_000 })
      .toEqual({ cardUncovered: true, panelOnScreen: true, closeOnScreen: true, selectsWiderThanPanel: 0, boardScrolled: 0, toolbarUncovered: true })
  })
})
