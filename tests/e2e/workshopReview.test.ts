import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/** Findings from a review of real workshops run over several weeks. */
describe('what people are told, from the workshop review', () => {
  const fixture = serverWithBrowsers()
  const finishAll = async (flow: Awaited<ReturnType<typeof workshopFlow>>) => {
    for (const sectionId of ['vision', 'values', 'ground-rules']) await flow.facilitate(`/sections/${sectionId}/phase`, { phase: 'done' })
  }

  it('at the end, points participants to the check-out and their record, and says the check-out words may be quoted', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const [person] = await flow.join(1)
    await finishAll(flow)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: person! }, 'list')
    fixture.browsers.push(browser)
    await expect.poll(() => page.getByTestId('now-next').textContent(), { timeout: 15_000 }).toContain('Workshop finished.')
    const link = page.getByRole('link', { name: 'Tell us how it went and get your record of taking part' })
    expect(await link.count()).toBe(1)
    await link.click()
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/w/${workshopId}/agreed`)
    await page.getByRole('heading', { name: 'Check-out: how was it for you?' }).waitFor({ timeout: 15_000 })
    await page.getByRole('heading', { name: 'A record that you took part' }).waitFor()

    // The words under "What changed for you?" can reach the programme's evidence pack as written: say so, tied to the box.
    const box = page.getByLabel('What changed for you? (you can leave this empty)')
    const said = await box.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent ?? '')
    expect(said.replace(/\s+/g, ' ')).toContain('We may quote what you write here, word for word and without your name, in reports for the trust’s board and funders.')

    // The facilitator's screen has no such link: they have nothing to check out from.
    const facilitator = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(facilitator.browser)
    await expect.poll(() => facilitator.page.getByTestId('now-next').textContent(), { timeout: 15_000 }).toContain('Workshop finished.')
    expect(await facilitator.page.getByTestId('records-link').count()).toBe(0)
  })

  it('the privacy page covers check-outs, records, programmes, carried wording and downloaded copies', { timeout: 60_000 }, async () => {
    const browser = await openBrowser()
    fixture.browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(`${fixture.server.url}/privacy`)
    await page.getByRole('heading', { level: 1, name: 'Privacy: what Parity keeps' }).waitFor({ timeout: 15_000 })
    const headings = await page.getByRole('heading', { level: 2 }).allTextContents()
    expect(headings).toEqual(expect.arrayContaining(['Check-out at the end', 'Your record of taking part', 'Programmes and promises']))
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ')
    expect(text).toContain('may be quoted in reports for the trust’s board and funders')
    expect(text).toContain('“Last time we agreed: …”')
    expect(text).toContain('These are copies. Deleting the workshop does not delete them.')
  })

  it('once a round is agreed, nobody is told to wait for a draft; the facilitator is told to move on, the new draft folded away', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    const statement = 'Care that listens, for everyone, every time.'
    await flow.consentRound('vision', { text: statement }, new Map(people.map((token) => [token, { response: 'agree' }])))

    const participant = await openWorkshopAs(fixture.server.url, workshopId, { token: people[0]! }, 'list')
    fixture.browsers.push(participant.browser)
    const theirs = participant.page.locator('[data-section="vision"]')
    await expect.poll(() => theirs.getByTestId('agreed-note').textContent(), { timeout: 15_000 }).toBe('Agreed in round 1. Thank you. Next, the facilitator moves this part to “Done”.')
    expect(await theirs.textContent()).not.toContain('The facilitator will share a draft')

    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(browser)
    const vision = page.locator('[data-section="vision"]')
    await expect.poll(() => vision.getByTestId('agreed-next').textContent(), { timeout: 15_000 }).toContain('Agreed. Next: move this part to “Done”.')
    expect(await vision.textContent()).not.toContain('No draft is out yet')
    expect(await vision.getByLabel('Draft statement').count()).toBe(0)
    expect(await vision.getByRole('button', { name: 'Ask everyone' }).count()).toBe(0)

    // Changing it again is still possible: the form opens with the agreed words, and asks for no answer to objections nobody made.
    await vision.getByRole('button', { name: 'Change the wording again' }).click()
    const draft = vision.getByLabel('Draft statement')
    await draft.waitFor()
    expect(await draft.inputValue()).toBe(statement)
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? '')).toBe(await draft.getAttribute('id'))
    expect(await vision.getByLabel('What changed since the last round? (you can leave this empty)').count()).toBe(1)
    expect(await vision.textContent()).not.toContain('(answers the objections)')
  })

  it('a workshop deleted while open offers the start page, not “Join again”, and says why it can be deleted', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const [person] = await flow.join(1)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: person! }, 'list')
    fixture.browsers.push(browser)
    await page.getByTestId('now-next').waitFor({ timeout: 15_000 })
    expect((await api(fixture.server, `/api/workshops/${workshopId}`, { method: 'DELETE', token: facilitatorKey })).status).toBe(200)
    await expect.poll(() => page.locator('main').textContent(), { timeout: 15_000 }).toContain('This workshop has been deleted. Everything in it is gone.')
    expect(await page.getByTestId('deleted-why').textContent()).toBe('It was deleted by its facilitator, or because it reached the end of the time it was kept.')
    expect(await page.getByRole('button', { name: 'Join again' }).count()).toBe(0)
    await page.getByRole('button', { name: 'Go to the start page' }).click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/')
  })
})
