import { describe, expect, it } from 'vitest'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { createWorkshop } from '../helpers/testServer.ts'

/** The December facilitator review: a page whose code does not arrive, and button words at 360 px. */
describe('pages that do not load, and headings on a small screen', () => {
  const setup = serverWithBrowsers()

  it('says a page did not load, with a reload button, instead of going blank', { timeout: 60_000 }, async () => {
    const browser = await openBrowser()
    setup.browsers.push(browser)
    const page = await browser.context.newPage()
    // Patchy Wi-Fi, or an update while the tab was open: the privacy page's code never arrives.
    await page.route(/\/assets\/PrivacyPage-[^/]+\.js$/, (route) => route.abort())
    await page.goto(`${setup.server.url}/privacy`)
    await page.getByRole('heading', { name: 'This page did not load' }).waitFor({ timeout: 15_000 })
    expect(await page.getByRole('button', { name: 'Reload the page' }).count()).toBe(1)
    // The rest of the app still works: the footer and the support bar are there.
    expect(await page.getByRole('link', { name: /Privacy: what Parity keeps/ }).count()).toBe(1)
  })

  it('keeps each word of the page heading whole on a 360 px phone with text at 200 %', { timeout: 60_000 }, async () => {
    const workshop = await createWorkshop(setup.server)
    const browser = await openBrowser({ viewport: { width: 360, height: 740 } })
    setup.browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(workshop.joinUrl.replace(/^https?:\/\/[^/]+/, setup.server.url))
    await page.addStyleTag({ content: 'html:root { font-size: 200% !important; }' })
    const heading = page.getByRole('heading', { name: 'Join the workshop', level: 1 })
    await heading.waitFor({ timeout: 15_000 })
    // Each word's box is one rectangle: a word broken across lines has two.
    const brokenWords = await heading.evaluate((element) => {
      const text = [...element.childNodes].find((node) => node.nodeType === Node.TEXT_NODE && node.textContent!.trim()) as Text
      const broken: string[] = []
      for (const match of text.textContent!.matchAll(/\S+/g)) {
        const range = document.createRange()
        range.setStart(text, match.index!)
        range.setEnd(text, match.index! + match[0].length)
        if (range.getClientRects().length > 1) broken.push(match[0])
      }
      return broken
    })
    expect(brokenWords).toEqual([])
  })
})
