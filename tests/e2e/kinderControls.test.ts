import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { openWorkshopAs, rememberKeys } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

const values = (page: Page) => page.locator('[data-section="values"]')

/** Issue 13, "kinder controls": each check fails on the code before it. */
describe('kinder controls', () => {
  const fixture = serverWithBrowsers()

  it('asks before withdrawing an idea, and tells the author privately why theirs was hidden', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    // Three people: ideas are shown only once three different people have sent some.
    const [token, other, third] = await flow.join(3)
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: token! }, 'list')
    fixture.browsers.push(browser)
    for (const text of ['Idea to withdraw', 'Idea to hide']) {
      await values(page).getByLabel('Add an idea to “Our values”').fill(text)
      await values(page).getByRole('button', { name: 'Add my idea' }).click()
      await expect.poll(() => values(page).locator('.my-idea').allTextContents()).toContainEqual(expect.stringContaining(text))
    }
    const myIdeas = () => values(page).locator('.my-idea .idea-text').allTextContents()

    // Withdraw asks first; "No, keep it" keeps it.
    await values(page).getByRole('button', { name: 'Withdraw your idea: Idea to withdraw' }).click()
    const confirm = values(page).getByRole('group', { name: 'Withdraw this idea?' })
    await confirm.waitFor()
    expect(await myIdeas()).toEqual(['Idea to withdraw', 'Idea to hide'])
    await confirm.getByRole('button', { name: 'No, keep it' }).click()
    await confirm.waitFor({ state: 'detached' })
    expect(await myIdeas()).toEqual(['Idea to withdraw', 'Idea to hide'])
    await values(page).getByRole('button', { name: 'Withdraw your idea: Idea to withdraw' }).click()
    await confirm.getByRole('button', { name: 'Yes, withdraw it' }).click()
    await expect.poll(myIdeas).toEqual(['Idea to hide'])

    // Hidden: the author sees the reason and a reassuring line; it names nobody to anyone else.
    await flow.addAndReveal('values', [other!, third!], ['Someone else’s idea', 'Another idea'])
    const reason = 'It names a member of staff'
    await flow.facilitate(`/sections/values/ideas/${flow.ideaId('values', 'Idea to hide')}/hide`, { reason })
    const note = values(page).getByTestId('my-hidden-reason')
    await expect.poll(() => note.textContent()).toContain(`The reason given: ${reason}.`)
    expect(await note.textContent()).toContain('Only you can see this note.')
  })

  it('after quick exit, Back does not show the workshop', { timeout: 90_000 }, async () => {
    const flow = await workshopFlow(fixture.server, 'Quiet exit workshop')
    const browser = await openBrowser()
    fixture.browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(flow.workshop.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.locator('[data-section="vision"]').waitFor()
    await page.getByRole('button', { name: 'Leave' }).click()
    await page.getByRole('heading', { level: 1, name: 'You have left the workshop' }).waitFor()

    await page.goBack()
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/w/${flow.workshop.workshopId}/left`)
    await page.getByRole('heading', { level: 1, name: 'You have left the workshop' }).waitFor()
    expect(await page.locator('body').textContent()).not.toContain('Quiet exit workshop')
    expect(await page.locator('[data-section]').count()).toBe(0)
  })

  it('makes support numbers tap-to-call', { timeout: 90_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const [token] = await flow.join(1)
    await flow.facilitate('/wellbeing/settings', { supportContacts: ['Sam, on-site support: 07700 900123'], contentNote: '' }, 'PUT')
    const { browser, page } = await openWorkshopAs(fixture.server.url, flow.workshop.workshopId, { token: token! }, 'list')
    fixture.browsers.push(browser)
    await page.getByRole('button', { name: 'Get support' }).click()
    await expect.poll(() => page.getByRole('link', { name: '07700 900123' }).getAttribute('href')).toBe('tel:07700900123')
    expect(await page.getByRole('link', { name: '116 123' }).getAttribute('href')).toBe('tel:116123')
    expect(await page.getByRole('link', { name: '999' }).getAttribute('href')).toBe('tel:999')
  })

  it('on a 360 px phone shows the workshop first, and says what each pause button does', { timeout: 90_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const [token] = await flow.join(1)
    const browser = await openBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    fixture.browsers.push(browser)
    await rememberKeys(browser.context, flow.workshop.workshopId, { token })
    const page = await browser.context.newPage()
    await page.goto(`${fixture.server.url}/w/${flow.workshop.workshopId}`)
    const firstHeading = page.locator('[data-section="vision"] h2')
    await firstHeading.waitFor()
    expect((await firstHeading.boundingBox())!.y).toBeLessThan(740)
    expect(await page.getByRole('button', { name: /Pause live updates/ }).isVisible()).toBe(false)

    const more = page.getByRole('button', { name: /^Menu: / })
    expect(await more.getAttribute('aria-expanded')).toBe('false')
    await more.click()
    await page.getByRole('button', { name: /Pause live updates/ }).waitFor()
    // Each button's description (read after its name, and printed beside it) says who it affects.
    const hint = async (name: string) => {
      const describedBy = await page.getByRole('button', { name, exact: true }).getAttribute('aria-describedby')
      return page.locator(`[id="${describedBy}"]`).textContent()
    }
    expect(await hint('Take a break')).toContain('Only me')
    expect(await hint('I need a pause')).toContain('for everyone')
    expect(await hint('Pause live updates')).toContain('The workshop carries on')
  })

  it('names export files after the workshop', { timeout: 90_000 }, async () => {
    const title = 'Café group – Leeds'
    const flow = await workshopFlow(fixture.server, title)
    const { workshopId, facilitatorKey } = flow.workshop
    const response = await fetch(`${fixture.server.url}/api/workshops/${workshopId}/export?format=md`, { headers: { authorization: `Bearer ${facilitatorKey}` } })
    const disposition = response.headers.get('content-disposition') ?? ''
    const date = /(\d{4}-\d{2}-\d{2})\.md"/.exec(disposition)?.[1]
    expect(disposition).toBe(`attachment; filename="cafe-group-leeds-${date}.md"; filename*=UTF-8''${encodeURIComponent(`${title} ${date}.md`)}`)

    const browser = await openBrowser()
    fixture.browsers.push(browser)
    await rememberKeys(browser.context, workshopId, { facilitatorKey })
    const page = await browser.context.newPage()
    await page.goto(`${fixture.server.url}/w/${workshopId}/facilitate`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Markdown' }).click()])
    expect(download.suggestedFilename()).toBe(`${title} ${date}.md`)
  })
})
