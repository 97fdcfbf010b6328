import { describe, expect, it } from 'vitest'
import { openWorkshopAs } from '../helpers/a11y.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api } from '../helpers/testServer.ts'
import { workshopFlow } from '../helpers/workshopFlow.ts'

/** Issue 13, drafting help: what the room said sits beside the draft box. */
describe('drafting a statement', () => {
  // Suggestions are shown in anonymous batches of 3; a short interval keeps the test quick.
  const fixture = serverWithBrowsers({ config: { ideaBatchIntervalMs: 200 } })

  it('pre-fills the vision draft, adds ideas and suggestions with one click, and shows earlier objections', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    const [a, b, c] = people as [string, string, string]
    await flow.addAndReveal('vision', people, ['Care that listens', 'No wrong door', 'Hope for all', 'Be kind'])
    await flow.vote('vision', new Map([[a, ['Care that listens', 'No wrong door', 'Hope for all']], [b, ['Care that listens', 'No wrong door']], [c, ['Care that listens']]]))
    await flow.facilitate('/sections/vision/phase', { phase: 'agree' })
    for (const [token, text] of [
      [a, 'Say “people” not “users”'],
      [b, 'Add something about families'],
      [c, 'Shorter, please'],
    ] as const)
      expect((await api(fixture.server, `/api/workshops/${workshopId}/sections/vision/suggestions`, { body: { text }, token })).status).toBe(201)

    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(browser)
    const vision = page.locator('[data-section="vision"]')
    const draft = vision.getByLabel('Draft statement')
    // Pre-filled from the top three ideas, like the lists are.
    await expect.poll(() => draft.inputValue()).toBe('Care that listens. No wrong door. Hope for all.')

    const help = vision.getByRole('complementary', { name: 'Help with the draft' })
    expect(await help.locator('ol li').allTextContents()).toEqual([
      expect.stringContaining('Care that listens (3 dots)'),
      expect.stringContaining('No wrong door (2 dots)'),
      expect.stringContaining('Hope for all (1 dot)'),
      expect.stringContaining('Be kind (0 dots)'),
    ])
    await help.getByRole('button', { name: 'Add to the draft: Be kind' }).click()
    expect(await draft.inputValue()).toBe('Care that listens. No wrong door. Hope for all. Be kind.')
    await expect.poll(() => help.getByRole('button', { name: 'Add to the draft: Say “people” not “users”' }).count()).toBe(1)
    await help.getByRole('button', { name: 'Add to the draft: Say “people” not “users”' }).click()
    expect(await draft.inputValue()).toBe('Care that listens. No wrong door. Hope for all. Be kind. Say “people” not “users”.')

    // A round with an objection: its reason sits beside the next draft.
    await vision.getByRole('button', { name: 'Ask everyone' }).click()
    await expect.poll(() => vision.getByRole('button', { name: 'Close this round' }).count()).toBe(1)
    const proposalId = flow.state().proposals.find((p) => p.sectionId === 'vision' && p.status === 'open')!.proposalId
    for (const [token, body] of [
      [a, { response: 'agree' }],
      [b, { response: 'object', reason: 'Nothing about crisis care' }],
      [c, { response: 'can-live-with' }],
    ] as const)
      expect((await api(fixture.server, `/api/workshops/${workshopId}/proposals/${proposalId}/response`, { method: 'PUT', body, token })).status).toBe(200)
    await vision.getByRole('button', { name: 'Close this round' }).click()
    await expect.poll(() => vision.getByRole('complementary', { name: 'Help with the draft' }).textContent()).toContain('Round 1: “Nothing about crisis care”')
  })

  it('says when the vote left several in joint first place, before the facilitator asks everyone', { timeout: 120_000 }, async () => {
    const flow = await workshopFlow(fixture.server)
    const { workshopId, facilitatorKey } = flow.workshop
    const people = await flow.join(3)
    await flow.addAndReveal('vision', people, ['Care that listens', 'No wrong door', 'Hope for all'])
    await flow.vote('vision', new Map(people.map((token) => [token, ['Care that listens', 'No wrong door']])))
    await flow.facilitate('/sections/vision/phase', { phase: 'agree' })
    const { browser, page } = await openWorkshopAs(fixture.server.url, workshopId, { facilitatorKey }, 'list')
    fixture.browsers.push(browser)
    const note = page.locator('[data-section="vision"]').getByTestId('tie-note')
    await expect.poll(() => note.textContent(), { timeout: 15_000 }).toContain('The vote has 2 in joint first place')
  })
})
