import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/**
 * The December insider review, on screen: a vote never opens over ideas nobody has seen without
 * the facilitator choosing so, and an idea people voted on keeps its words for its author too.
 */
describe('votes on words that stay', () => {
  const fixture = serverWithBrowsers()

  it('asks the facilitator about waiting ideas before a vote, and shows the author why a voted idea cannot change', { timeout: 150_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)

    // The author adds their idea on their own device, so it holds the idea's key.
    const { browser: authorBrowser, page: author } = await openWorkshopAs(fixture.server.url, workshopId, { token: people[0]! }, 'list')
    fixture.browsers.push(authorBrowser)
    const authorValues = author.locator('[data-section="values"]')
    await authorValues.getByLabel('Add an idea to “Our values”').fill('Be kind to each other')
    await authorValues.getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => authorValues.locator('.my-idea').count(), { timeout: 10_000 }).toBe(1)
    for (const [i, text] of ['Listen first', 'Start on time'].entries())
      await api(fixture.server, `/api/workshops/${workshopId}/sections/values/ideas`, { body: { text }, token: people[i + 1]! })
    await flow.facilitate('/sections/values/reveal', {})
    await flow.facilitate('/sections/values/phase', { phase: 'discuss' })
    // A late idea from one person waits: fewer than 3 people, so no batch shows it.
    await authorValues.getByLabel('Add an idea to “Our values”').fill('A late thought')
    await authorValues.getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => authorValues.locator('.my-idea').count(), { timeout: 10_000 }).toBe(2)

    const { browser: facBrowser, page: fac } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(facBrowser)
    const facValues = fac.locator('[data-section="values"]')
    await facValues.getByRole('button', { name: 'Move on to “Voting” →' }).click({ timeout: 15_000 })
    const asked = facValues.getByRole('group', { name: 'Some ideas or changes have not been shown yet.' })
    await asked.waitFor({ timeout: 10_000 })
    expect(await asked.textContent()).toContain('have not been shown yet')
    // The safe answer has focus: show the idea.
    expect(await fac.evaluate(() => document.activeElement?.textContent)).toBe('Show them now')
    expect(flow.state().sections.find((s) => s.sectionId === 'values')?.vote.status).toBe('not-started')
    await asked.getByRole('button', { name: 'Start the vote without them' }).click()
    await expect.poll(() => flow.state().sections.find((s) => s.sectionId === 'values')?.vote.status, { timeout: 10_000 }).toBe('open')
    expect(flow.state().ideas.map((idea) => idea.text)).not.toContain('A late thought')
    // Its author is told why it is not in the vote.
    const late = authorValues.locator('.my-idea').filter({ hasText: 'A late thought' })
    await expect.poll(() => late.getByTestId('my-idea-out-of-vote').count(), { timeout: 10_000 }).toBe(1)

    await flow.vote('values', new Map(people.map((token) => [token, ['Be kind to each other']])))
    await flow.facilitate('/sections/values/phase', { phase: 'discuss' })
    // Back to talking it through: the author's voted idea offers no Edit or Withdraw, and says why.
    const mine = authorValues.locator('.my-idea').filter({ hasText: 'Be kind to each other' })
    await expect.poll(() => mine.textContent(), { timeout: 10_000 }).toContain('People have voted on this idea, so its words stay as they are.')
    expect(await mine.getByRole('button', { name: /^Edit your idea/ }).count()).toBe(0)
    expect(await mine.getByRole('button', { name: /^Withdraw your idea/ }).count()).toBe(0)
    expect(await mine.getByRole('button', { name: /content note/ }).count()).toBe(1)
  })

  it('asks the same from the facilitator console’s “Next step” button', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('vision', people, ['Hope', 'Respect', 'Time'])
    await flow.facilitate('/sections/vision/phase', { phase: 'discuss' })
    await api(fixture.server, `/api/workshops/${workshopId}/sections/vision/ideas`, { body: { text: 'One more' }, token: people[0]! })
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(browser)
    const consoleBox = page.getByTestId('facilitator-console')
    await consoleBox.getByRole('button', { name: 'Next step: Voting' }).click({ timeout: 15_000 })
    const asked = consoleBox.getByRole('group', { name: 'Some ideas or changes have not been shown yet.' })
    await asked.waitFor({ timeout: 10_000 })
    expect(flow.state().sections.find((s) => s.sectionId === 'vision')?.vote.status).toBe('not-started')
    await asked.getByRole('button', { name: 'Start the vote without them' }).click()
    await expect.poll(() => flow.state().sections.find((s) => s.sectionId === 'vision')?.vote.status, { timeout: 10_000 }).toBe('open')
  })
})
