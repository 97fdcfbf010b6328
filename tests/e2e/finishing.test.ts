import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/** The December facilitator review: a section finished with nothing agreed, without a question. */
describe('finishing a section', () => {
  const fixture = serverWithBrowsers()

  it('asks before finishing a section where nothing has been agreed, with the safe answer first', { timeout: 90_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    await flow.facilitate('/sections/vision/phase', { phase: 'agree' })
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(browser)
    const vision = page.locator('[data-section="vision"]')
    const phaseOf = () => flow.state().sections.find((s) => s.sectionId === 'vision')?.phase
    await vision.getByRole('button', { name: 'Move on to “Done” →' }).click({ timeout: 15_000 })
    const asked = vision.getByRole('group', { name: 'Finish “Our shared vision” without an agreement?' })
    await asked.waitFor({ timeout: 10_000 })
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('No, keep agreeing')
    await asked.getByRole('button', { name: 'No, keep agreeing' }).click()
    expect(phaseOf()).toBe('agree')
    await vision.getByRole('button', { name: 'Move on to “Done” →' }).click()
    await vision.getByRole('button', { name: 'Yes, finish it' }).click()
    await expect.poll(phaseOf, { timeout: 10_000 }).toBe('done')
  })

  it('moves a section one step for a press repeated just after the step changed', { timeout: 90_000 }, async () => {
    // A double Enter moved "Talking it through" straight on into a vote nobody had set up (December UX review).
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(browser)
    const vision = page.locator('[data-section="vision"]')
    const phaseOf = () => flow.state().sections.find((s) => s.sectionId === 'vision')?.phase
    await vision.getByRole('button', { name: 'Move on to “Talking it through” →' }).click({ timeout: 15_000 })
    const next = vision.getByRole('button', { name: 'Move on to “Voting” →' })
    await next.waitFor({ timeout: 10_000 })
    await next.click()
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(phaseOf()).toBe('discuss')
    // A press after a pause is a choice, and moves it on.
    await next.click()
    await expect.poll(phaseOf, { timeout: 10_000 }).toBe('vote')
  })

  it('tells people when records of taking part and the check-out will open, and the facilitator how to open them', { timeout: 90_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const [person] = await flow.join(1)
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: person! }, 'list')
    fixture.browsers.push(browser)
    await page.goto(`${fixture.server.url}/w/${workshopId}/agreed`)
    await page.getByTestId('records-later').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('records-later').textContent()).toContain('once the facilitator finishes the last part')
    const { browser: facBrowser, page: fac } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(facBrowser)
    await fac.goto(`${fixture.server.url}/w/${workshopId}/facilitate`)
    await fac.getByTestId('records-not-yet').waitFor({ timeout: 15_000 })
    expect(await fac.getByRole('heading', { level: 1 }).textContent()).toBe('Your workshop is ready')
    for (const sectionId of ['vision', 'values', 'ground-rules']) await flow.facilitate(`/sections/${sectionId}/phase`, { phase: 'done' })
    // Not "ready" once everything is done (December review).
    await expect.poll(() => fac.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('Your workshop is finished')
    await page.reload()
    await page.getByRole('heading', { name: 'What we agreed' }).waitFor({ timeout: 15_000 })
    await expect.poll(() => page.getByTestId('records-later').count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => fac.getByTestId('records-not-yet').count(), { timeout: 10_000 }).toBe(0)
  })
})
