import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/** Issue 13 items 3 and 6: the facilitator opens a vote on themes; results and drafting show themes with their ideas. */
describe('a vote on themes in real browsers', () => {
  const fixture = serverWithBrowsers()

  it('the facilitator chooses themes, people vote on a theme or a lone idea, and the results, projector and drafting help show themes with their ideas', { timeout: 150_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    await api(fixture.server, `/api/workshops/${workshopId}/sections/values/themes`, {
      body: { ideaId: flow.ideaId('values', 'Listen first'), withIdeaId: flow.ideaId('values', 'Be kind'), name: 'Respect' },
      token: facilitatorKey,
    })
    await flow.facilitate('/sections/values/phase', { phase: 'discuss' })

    const { browser: facBrowser, page: fac } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(facBrowser)
    const facValues = fac.locator('[data-section="values"]')
    const subject = facValues.getByRole('group', { name: 'What people vote on' })
    await subject.getByRole('radio', { name: /^Themes \(1 theme/ }).check({ timeout: 15_000 })
    await facValues.getByRole('button', { name: 'Move on to “Voting” →' }).click()
    await expect.poll(() => flow.state().sections.find((s) => s.sectionId === 'values')?.vote.subject, { timeout: 10_000 }).toBe('themes')

    const { browser: pBrowser, page } = await openWorkshopAs(fixture.server.url, workshopId, { token: people[1]! }, 'list')
    fixture.browsers.push(pBrowser)
    const values = page.locator('[data-section="values"]')
    const themeButton = values.getByRole('button', { name: 'Vote for: theme Respect' })
    await expect.poll(() => themeButton.count(), { timeout: 15_000 }).toBe(1)
    // The theme shows its ideas; the idea in no theme is votable as itself; ideas inside the theme are not.
    expect(await values.locator('.vote-theme').textContent()).toMatch(/Theme: Respect.*Be kind.*Listen first|Theme: Respect.*Listen first.*Be kind/)
    expect(await values.getByRole('button', { name: 'Vote for: Start on time' }).count()).toBe(1)
    expect(await values.getByRole('button', { name: 'Vote for: Be kind' }).count()).toBe(0)
    await themeButton.click()
    await expect.poll(() => themeButton.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => flow.state().sections.find((s) => s.sectionId === 'values')?.vote.votedCount).toBe(1)
    for (const token of [people[0]!, people[2]!])
      await api(fixture.server, `/api/workshops/${workshopId}/sections/values/ballot`, { method: 'PUT', body: { dots: { [flow.state().themes[0]!.themeId]: 1, [flow.ideaId('values', 'Start on time')]: 1 } }, token })
    await flow.facilitate('/sections/values/close-vote')

    // Results in the list: the theme ranked first, with its ideas.
    await expect.poll(() => values.locator('.results-list > li').allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/^Theme: Respect.*(Be kind.*Listen first|Listen first.*Be kind).*3 dots/),
      expect.stringMatching(/^Start on time.*2 dots/),
    ])

    // The projector ranks themes and lists each theme's ideas.
    const projector = await fac.context().newPage()
    await projector.goto(`${fixture.server.url}/w/${workshopId}/present`)
    await projector.getByLabel('Showing').selectOption('values')
    await expect.poll(() => projector.getByTestId('present-results').locator('> li').allTextContents(), { timeout: 10_000 }).toEqual([
      expect.stringMatching(/^Theme: Respect — 3 dots(Be kind|Listen first)/),
      'Start on time — 2 dots',
    ])
    expect(await projector.locator('.present-theme-ideas li').allTextContents()).toEqual(expect.arrayContaining(['Be kind', 'Listen first']))

    // Drafting help: the theme with its ideas, each addable.
    await flow.facilitate('/sections/values/phase', { phase: 'agree' })
    const help = facValues.getByRole('complementary', { name: 'Help with the draft' })
    await expect.poll(() => help.locator('h5').first().textContent(), { timeout: 10_000 }).toBe('Themes and ideas, most dots first')
    await expect.poll(() => facValues.getByLabel('Draft list (one item per line, in order)').inputValue()).toBe('Respect\nStart on time')
    await help.getByRole('button', { name: 'Add to the draft: Listen first' }).click()
    expect(await facValues.getByLabel('Draft list (one item per line, in order)').inputValue()).toBe('Respect\nStart on time\nListen first')
    expect(await help.getByRole('button', { name: 'Add to the draft: theme Respect' }).count()).toBe(1)
  })

  it('the projector and drafting help group ideas by theme after a vote on single ideas too', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('values', people, ['Be kind', 'Listen first', 'Start on time'])
    await api(fixture.server, `/api/workshops/${workshopId}/sections/values/themes`, {
      body: { ideaId: flow.ideaId('values', 'Listen first'), withIdeaId: flow.ideaId('values', 'Be kind'), name: 'Respect' },
      token: facilitatorKey,
    })
    const { browser, page: projector } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(browser)
    await projector.goto(`${fixture.server.url}/w/${workshopId}/present`)
    await projector.getByLabel('Showing').selectOption('values')
    const theme = projector.getByRole('region', { name: 'Theme: Respect' })
    await expect.poll(() => theme.locator('li').allTextContents(), { timeout: 10_000 }).toEqual(expect.arrayContaining(['Be kind', 'Listen first']))
    expect(await projector.locator('.present-ideas').last().textContent()).toBe('Start on time')

    await flow.vote('values', new Map(people.map((token) => [token, ['Be kind']])))
    await flow.facilitate('/sections/values/phase', { phase: 'agree' })
    const page = await projector.context().newPage()
    await page.goto(`${fixture.server.url}/w/${workshopId}`)
    const help = page.locator('[data-section="values"]').getByRole('complementary', { name: 'Help with the draft' })
    await expect.poll(() => help.textContent(), { timeout: 15_000 }).toContain('Themes people made')
    expect(await help.getByRole('button', { name: 'Add to the draft: theme Respect' }).count()).toBe(1)
  })
})
