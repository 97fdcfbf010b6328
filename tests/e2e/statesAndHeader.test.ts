import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { contrastRatio } from '../../client/ui/contrast.ts'
import { busyWorkshop, openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

/**
 * Issue 14, items 3 and 7: on/off states seen without colour (a 3:1 change and a tick), the
 * state in the words where the name changes, visible labels inside accessible names (2.5.3), and
 * a phone header short enough that the first section starts on the first screen at 320 px.
 */

/** Each button's look, and the words a sighted person reads on it (aria-hidden parts left out). */
const buttonLooks = (page: Page) =>
  page.evaluate(() => {
    const rgb = (value: string) => value.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number)
    const hex = (value: string) => `#${rgb(value).map((n) => Math.round(n).toString(16).padStart(2, '0')).join('')}`
    const visibleText = (element: Element): string =>
      [...element.childNodes]
        .map((node) => (node.nodeType === Node.TEXT_NODE ? (node.textContent ?? '') : node instanceof Element && node.getAttribute('aria-hidden') !== 'true' ? visibleText(node) : ''))
        .join('')
    return [...document.querySelectorAll<HTMLButtonElement>('button')]
      .filter((button) => button.getClientRects().length > 0 && !button.closest('.tl-container'))
      .map((button) => ({
        text: visibleText(button).replace(/\s+/g, ' ').trim(),
        label: button.getAttribute('aria-label'),
        pressed: button.getAttribute('aria-pressed'),
        on: button.getAttribute('data-on'),
        background: hex(getComputedStyle(button).backgroundColor),
        marker: getComputedStyle(button, '::before').content,
      }))
  })

describe('on/off states, names and the phone header', () => {
  const setup = serverWithBrowsers()

  it('shows every pressed state by a 3:1 change and a tick, says it in words, and keeps visible labels in names', { timeout: 120_000 }, async () => {
    const { workshop, people } = await busyWorkshop(setup.server)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: people[0]!.token }, 'list')
    setup.browsers.push(opened.browser)
    const { page } = opened
    const vote = page.locator('[data-section="values"]').getByRole('button', { name: 'Vote for: Be kind' })
    await vote.waitFor({ timeout: 15_000 })
    await vote.click()
    await expect.poll(() => vote.getAttribute('aria-pressed')).toBe('true')
    await page.getByRole('button', { name: 'Pause live updates' }).click()
    // The state in the words: the button now says what is on, and what pressing it does.
    await page.getByRole('button', { name: 'Live updates paused — resume' }).waitFor()

    const looks = await buttonLooks(page)
    const on = looks.filter((b) => b.pressed === 'true' || b.on === 'true')
    const off = looks.filter((b) => b.pressed === 'false' || (b.on === 'false' && b.pressed === null))
    expect(on.map((b) => b.text)).toEqual(expect.arrayContaining(['Vote', 'List', 'Live updates paused — resume']))
    expect(off.length).toBeGreaterThan(0)
    for (const button of on) {
      // A tick that is not colour, and a change of at least 3:1 from the same kind of button when off.
      expect(button.marker).toMatch(/✓/)
      for (const other of off) expect(contrastRatio(button.background, other.background)).toBeGreaterThanOrEqual(3)
    }
    for (const button of off) expect(button.marker).not.toMatch(/✓/)

    // 2.5.3: whatever the button shows is inside its name.
    const mismatched = looks.filter((b) => b.label !== null && b.text !== '' && !b.label.toLowerCase().includes(b.text.toLowerCase()))
    expect(mismatched.map((b) => `“${b.text}” named “${b.label}”`)).toEqual([])
  })

  it('keeps the phone header short: “Get support” first, the rest behind “Menu”, the first section on the first screen', { timeout: 90_000 }, async () => {
    const { workshop, people } = await busyWorkshop(setup.server)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: people[1]!.token }, 'list', undefined, { viewport: { width: 320, height: 640 } })
    setup.browsers.push(opened.browser)
    const { page } = opened
    await page.locator('[data-section="vision"]').waitFor({ timeout: 15_000 })

    const firstSectionTop = await page.locator('.section-card').first().evaluate((el) => el.getBoundingClientRect().top)
    expect(firstSectionTop).toBeLessThan(640)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)

    // Keyboard order: the skip link, then "Get support".
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Get support')

    // The rest is one tap away, and Escape folds it again.
    expect(await page.getByRole('button', { name: 'Take a break', exact: true }).isVisible()).toBe(false)
    const menu = page.getByRole('button', { name: /^Menu: / })
    await menu.click()
    expect(await page.getByRole('button', { name: 'Close the menu' }).getAttribute('aria-expanded')).toBe('true')
    for (const name of ['Take a break', 'I need a pause', 'Pause live updates', 'List', 'Board']) expect(await page.getByRole('button', { name, exact: true }).isVisible()).toBe(true)
    expect(await page.getByRole('link', { name: 'What we agreed' }).isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Take a break', exact: true }).focus()
    await page.keyboard.press('Escape')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Menu: take a break/)
    expect(await page.getByRole('button', { name: 'Take a break', exact: true }).isVisible()).toBe(false)
  })
})
