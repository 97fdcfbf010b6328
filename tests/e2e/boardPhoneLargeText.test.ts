import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { focusedName, keyboardToCard, openWorkshopAs, recordAnnouncements, said, tabTo } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'


/** 80 characters: the longest an idea is shown in the panel's lists. */
const LONG_IDEA = 'Everyone who comes to us is heard in full, in their own words and their own time'

/** The board's tools, in the order Tab meets them (a participant's board). */
const TOOLS = ['Add an idea', 'Hide where I am from others', 'Save the board as a picture', 'Save as a picture for printing', 'Using the board with a keyboard']

/**
 * The page's width, and what on the board (our tools, tldraw's) is cut by the screen's sides or
 * scrolls sideways inside. Elements wholly off screen (skip links waiting for focus) are left out.
 */
const sideways = (page: Page) =>
  page.evaluate(() => {
    const name = (element: Element) => `${element.tagName.toLowerCase()}.${String(element.className).split(' ')[0]} ${element.textContent?.slice(0, 20) ?? ''}`
    const board = [...document.querySelectorAll<HTMLElement>('.board-tools, .board-tools *, .tlui-layout, .tlui-layout *, .tlui-popover__content, .tlui-menu')]
    const cut = board.filter((element) => {
      const box = element.getBoundingClientRect()
      return box.width > 0 && box.right > 0 && box.left < window.innerWidth && (box.left < -0.5 || box.right > window.innerWidth + 0.5)
    })
    const scrolling = [...document.querySelectorAll<HTMLElement>('.board-wrap, .board-wrap *')].filter((element) => {
      const overflow = getComputedStyle(element).overflowX
      return (overflow === 'auto' || overflow === 'scroll') && element.scrollWidth > element.clientWidth + 1
    })
    return { page: document.documentElement.scrollWidth, cut: cut.map(name), scrolling: scrolling.map(name) }
  })

/**
 * The board on a 360 px phone with text at 200 % (1.4.4, 1.4.10): nothing runs off the screen
 * sideways; the board's tools are one "Board tools" button that opens them as a list; the keyboard help opens inside
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

    // Nothing on the board runs off the screen sideways or scrolls sideways (1.4.10): in one row the
    // tools scrolled 2,000 px sideways inside their strip. Shut, only "Board tools" floats over the board.
    await expect.poll(() => sideways(page), { timeout: 5_000 }).toEqual({ page: 360, cut: [], scrolling: [] })
    const toolsButton = page.getByRole('button', { name: 'Board tools', exact: true })
    expect(await toolsButton.getAttribute('aria-expanded')).toBe('false')
    const shut = await page.locator('.board-tools').evaluate((tools) => tools.getBoundingClientRect().height)
    expect(shut).toBeLessThanOrEqual((await toolsButton.boundingBox())!.height + 1)

    // By keyboard: Tab to "Board tools", Enter, then Tab meets every tool, named, one under another, on screen.
    await tabTo(page, 'Board tools')
    await page.keyboard.press('Enter')
    expect(await toolsButton.getAttribute('aria-expanded')).toBe('true')
    const met: string[] = []
    for (let i = 0; i < TOOLS.length; i++) {
      await page.keyboard.press('Tab')
      met.push(await focusedName(page))
      const focused = await page.evaluate(() => {
        const element = document.activeElement!
        const box = element.getBoundingClientRect()
        return { inList: element.closest('.board-tools-list') !== null, onScreen: box.left >= 0 && box.right <= window.innerWidth && box.top >= 0 && box.bottom <= window.innerHeight }
      })
      expect(focused).toEqual({ inList: true, onScreen: true })
    }
    expect(met).toEqual(TOOLS)

    // The keyboard help, opened from its summary (last in the list): every line inside the
    // screen's width, and nothing (the panel's button) on top of its summary.
    expect(await focusedName(page)).toBe('Using the board with a keyboard')
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
        // Tab goes through the tools in the page's order: the same order on screen (rows, then left to right).
        const tabbable = [...document.querySelectorAll<HTMLElement>('.board-tools button, .board-tools summary')]
        const place = (element: HTMLElement) => element.getBoundingClientRect()
        const seenOrder = [...tabbable]
          .sort((a, b) => (Math.abs(place(a).top - place(b).top) < 4 ? place(a).left - place(b).left : place(a).top - place(b).top))
          .map((element) => element.textContent?.slice(0, 20))
        const tabOrder = tabbable.map((element) => element.textContent?.slice(0, 20))
        return { cut, summaryOnTop: onTop !== null && summary.contains(onTop), sameOrder: JSON.stringify(seenOrder) === JSON.stringify(tabOrder) }
      })
    await expect.poll(help, { timeout: 5_000 }).toEqual({ cut: [], summaryOnTop: true, sameOrder: true })
    expect(await sideways(page)).toEqual({ page: 360, cut: [], scrolling: [] })
    await page.keyboard.press('Enter')

    // Escape shuts the list and puts the focus back on "Board tools".
    await page.keyboard.press('Escape')
    expect(await toolsButton.getAttribute('aria-expanded')).toBe('false')
    expect(await page.locator('.board-tools-list').isVisible()).toBe(false)
    expect(await focusedName(page)).toBe('Board tools')

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

  it('keeps tldraw’s own menus, toolbar and styles on screen and uncovered for the facilitator, at 360 px with text at 200 %', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Kind words', 'Start on time'])
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { facilitatorKey: flow.workshop.facilitatorKey }, 'board', undefined, { viewport: { width: 360, height: 740 } })
    fixture.browsers.push(browser)
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%'
    })
    await page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })
    await page.evaluate(() => document.getElementById('main')?.scrollIntoView({ block: 'start' }))
    await expect.poll(() => sideways(page), { timeout: 5_000 }).toEqual({ page: 360, cut: [], scrolling: [] })

    // Each of tldraw's buttons can be pressed where it is seen: nothing of ours on top of it. The
    // panel's button, two lines tall at 200 %, covered the main menu.
    const covered = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-testid="main-menu.button"], [data-testid="page-menu.button"], .tlui-main-toolbar [data-testid^="tools."], [data-testid="mobile-styles.button"]')]
          .filter((button) => {
            const box = button.getBoundingClientRect()
            const onTop = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
            return box.width > 0 && (onTop === null || !button.contains(onTop))
          })
          .map((button) => button.dataset['testid']),
      )
    expect(await covered()).toEqual([])

    // Opened, each menu and the styles fit on screen: nothing cut, nothing to scroll sideways.
    for (const opener of ['main-menu.button', 'page-menu.button', 'tools.more-button']) {
      await page.getByTestId(opener).click()
      await page.locator('.tlui-menu, .tlui-popover__content').first().waitFor()
      expect(await sideways(page), opener).toEqual({ page: 360, cut: [], scrolling: [] })
      await page.keyboard.press('Escape')
    }
    await page.getByTestId('tools.draw').click()
    await page.getByTestId('mobile-styles.button').click()
    await page.locator('.tlui-popover__content').first().waitFor()
    await expect.poll(() => sideways(page), { timeout: 5_000 }).toEqual({ page: 360, cut: [], scrolling: [] })
  })
})
