import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { announcements, busyWorkshop, openWorkshopAs, recordAnnouncements, runAxe } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

/**
 * The canvas as a screen reader and a forced-colours user meet it (issue 14, items 1, 2 and 6):
 * its name, sections as groups holding their cards in reading order, cards with a role and a
 * description, how to leave it, tldraw's icons under forced colours, and the licence button's focus ring.
 */
interface AXNode {
  nodeId: string
  ignored: boolean
  role?: { value: string }
  name?: { value: string }
  description?: { value: string }
  childIds?: string[]
}

/** A readable outline of Chrome's own accessibility tree under the canvas: what a screen reader gets. */
async function canvasOutline(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] }
  await cdp.detach()
  const byId = new Map(nodes.map((node) => [node.nodeId, node]))
  const application = nodes.find((node) => node.role?.value === 'application')
  type Card = { role: string; name: string; description: string }
  const sections: { name: string; cards: Card[] }[] = []
  const loose: Card[] = []
  const walk = (node: AXNode, section: (typeof sections)[number] | null) => {
    let current = section
    if (!node.ignored && node.role?.value === 'group' && node.name?.value) {
      current = { name: node.name.value, cards: [] }
      sections.push(current)
    }
    if (!node.ignored && node.role?.value === 'article')
      (current?.cards ?? loose).push({ role: node.role.value, name: node.name?.value ?? '', description: node.description?.value ?? '' })
    for (const child of node.childIds ?? []) {
      const next = byId.get(child)
      if (next) walk(next, current)
    }
  }
  if (application) walk(application, null)
  return { name: application?.name?.value ?? null, sections: sections.filter((s) => s.cards.length > 0), loose }
}

// Generous: on a busy two-core machine the board can take a while to draw.
const onBoard = (page: Page) => page.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 90_000 })

describe('the ideas board for screen readers and forced colours', () => {
  const setup = serverWithBrowsers()

  it('names the canvas, exposes each section as a group of its cards in reading order, each card with a role and description; axe finds no prohibited attributes', { timeout: 180_000 }, async () => {
    const { workshop, people } = await busyWorkshop(setup.server)
    // bypassCSP lets axe be injected as a script tag, as in the gate.
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: people[0]!.token }, 'board', undefined, { bypassCSP: true, reducedMotion: 'reduce' })
    setup.browsers.push(opened.browser)
    const { page } = opened
    await onBoard(page)

    await expect.poll(async () => (await canvasOutline(page)).sections.reduce((n, s) => n + s.cards.length, 0), { timeout: 20_000 }).toBe(5)
    const outline = await canvasOutline(page)
    expect(outline.name).toBe('Ideas board')
    // The sections in the workshop's order, each holding only its own cards.
    expect(outline.sections.map((s) => s.name)).toEqual(['Our shared vision', 'Our values', 'Our ground rules'])
    const [vision, values, rules] = outline.sections
    expect(vision!.cards.map((c) => c.name)).toEqual(['Care that listens'])
    expect(rules!.cards.map((c) => c.name)).toEqual(['One voice at a time'])
    expect(values!.cards).toHaveLength(3)
    // The folded card is named by its content note, never by its hidden words.
    expect(values!.cards.map((c) => c.name).sort()).toEqual(['Be kind', 'Content note: mentions self-harm', 'Everyone is listened to'])
    for (const card of outline.sections.flatMap((s) => s.cards)) {
      expect(card.description).toMatch(/^In Our (shared vision|values|ground rules)\./)
      expect(card.description).not.toContain('..')
    }

    // Cards read in the order they sit: top to bottom, then left to right.
    const positions = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[role="article"][data-section-id="values"]')].map((el) => ({ name: el.getAttribute('aria-label') ?? el.textContent ?? '', box: el.getBoundingClientRect().toJSON() as DOMRect })),
    )
    const expected = [...positions].sort((a, b) => (Math.abs(a.box.top - b.box.top) < a.box.height / 2 ? a.box.left - b.box.left : a.box.top - b.box.top))
    expect(values!.cards.map((c) => c.name)).toEqual(expected.map((p) => p.name))

    // None of the drawing program's own menus reach a participant (Edit, View, Export, debug mode,
    // pages, its shortcut list): only the board's tools, in our words.
    for (const testId of ['main-menu.button', 'page-menu.button', 'help-menu.button', 'actions-menu.button'])
      expect(await page.locator(`[data-testid="${testId}"]`).count(), testId).toBe(0)
    const names = await page.evaluate(() =>
      [...document.querySelectorAll('.tl-container button, .tl-container [role="menuitem"]')].map((el) => `${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('title') ?? ''} ${el.textContent ?? ''}`).join(' | '),
    )
    expect(names).not.toMatch(/debug|Toggle|Color theme|Export/i)

    const violations = await runAxe(page)
    expect(violations.map((v) => v.id)).not.toContain('aria-prohibited-attr')
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  })

  it('says how to leave the canvas when focus goes into it', { timeout: 150_000 }, async () => {
    const { workshop, people } = await busyWorkshop(setup.server)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: people[1]!.token }, 'board', recordAnnouncements)
    setup.browsers.push(opened.browser)
    const { page } = opened
    await onBoard(page)
    // Start outside the canvas, then move in the way a keyboard user does.
    await page.getByRole('button', { name: 'Add an idea' }).focus()
    await page.locator('.tl-container').focus()
    await expect
      .poll(async () => (await announcements(page)).map((a) => a.text).join(' | '), { timeout: 10_000 })
      .toMatch(/Escape, then Tab.*List/)
    // Said once, not again as the canvas's description; the words stay in the page to read again.
    expect(await page.locator('.tl-container').getAttribute('aria-describedby')).toBeNull()
    expect(await page.locator('.board-wrap p.visually-hidden', { hasText: 'Escape, then Tab' }).count()).toBe(1)
  })

  it('draws tldraw’s toolbar icons in forced colours, the chosen tool in Highlight, and rings the licence button', { timeout: 150_000 }, async () => {
    const { workshop, people } = await busyWorkshop(setup.server)
    const opened = await openWorkshopAs(setup.server.url, workshop.workshopId, { token: people[2]!.token }, 'board')
    setup.browsers.push(opened.browser)
    const { page } = opened
    await onBoard(page)
    await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' })
    const icons = await page.evaluate(() => {
      const resolve = (value: string) => {
        const probe = document.createElement('div')
        probe.style.cssText = `forced-color-adjust: none; background-color: ${value}`
        document.body.append(probe)
        const colour = getComputedStyle(probe).backgroundColor
        probe.remove()
        return colour
      }
      const system = { canvas: resolve('Canvas'), highlight: resolve('Highlight'), highlightText: resolve('HighlightText'), buttonText: resolve('ButtonText') }
      const tools = [...document.querySelectorAll<HTMLElement>('.tlui-toolbar .tlui-button__tool, .tlui-main-toolbar .tlui-button__tool')]
      return {
        system,
        tools: tools.map((button) => {
          const icon = button.querySelector<HTMLElement>('.tlui-icon')
          return {
            pressed: button.getAttribute('aria-pressed') === 'true',
            icon: icon ? getComputedStyle(icon).backgroundColor : null,
            button: getComputedStyle(button).backgroundColor,
          }
        }),
        menuIcons: [...document.querySelectorAll<HTMLElement>('.tlui-menu-zone .tlui-icon, .tlui-navigation-panel .tlui-icon')].map((icon) => getComputedStyle(icon).backgroundColor),
      }
    })
    expect(icons.tools.length).toBeGreaterThan(1)
    expect(icons.system.highlight).not.toBe(icons.system.highlightText)
    expect(icons.system.buttonText).not.toBe(icons.system.canvas)
    for (const tool of icons.tools) {
      // The chosen tool: HighlightText on Highlight. Every other: ButtonText, never the page colour.
      if (tool.pressed) {
        expect(tool.button).toBe(icons.system.highlight)
        expect(tool.icon).toBe(icons.system.highlightText)
      } else expect(tool.icon).toBe(icons.system.buttonText)
    }
    expect(icons.tools.filter((t) => t.pressed)).toHaveLength(1)
    expect(icons.menuIcons.length).toBeGreaterThan(0)
    for (const icon of icons.menuIcons) expect(icon).not.toBe(icons.system.canvas)

    // tldraw's licence button (shown without TLDRAW_LICENSE_KEY) gets a visible ring, forced colours or not.
    for (const forced of ['active', 'none'] as const) {
      await page.emulateMedia({ forcedColors: forced, reducedMotion: 'reduce' })
      const licence = page.locator('[data-testid="tl-watermark-unlicensed"] button')
      await licence.focus()
      const ring = await licence.evaluate((el) => ({ style: getComputedStyle(el).outlineStyle, width: parseFloat(getComputedStyle(el).outlineWidth), opacity: getComputedStyle(el).opacity }))
      expect(ring.style).not.toBe('none')
      expect(ring.width).toBeGreaterThanOrEqual(2)
      expect(Number(ring.opacity)).toBe(1)
    }
  })
})
