import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { PublicProposal } from '../../shared/consent.ts'
import { openBrowser, type TestBrowser } from '../helpers/browser.ts'
import { api, createWorkshop } from '../helpers/testServer.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'

describe('the agreed vision in the browser', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  it('shows a participant what was agreed and what happened to their idea; the facilitator saves the board as PNG and SVG', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const [participantBrowser, facilitatorBrowser] = await Promise.all([openBrowser(), openBrowser()])
    browsers.push(participantBrowser, facilitatorBrowser)

    const page = await participantBrowser.context.newPage()
    await page.goto(workshop.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.getByRole('button', { name: 'List' }).click()
    const vision = page.locator('[data-section="vision"]')
    await vision.getByLabel('Add an idea to “Our shared vision”').fill('Care that listens')
    await vision.getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => vision.locator('.my-idea').count()).toBe(1)

    const fac = (path: string, body: unknown = {}) => api<PublicProposal>(fixture.server, `/api/workshops/${workshop.workshopId}${path}`, { body, token: workshop.facilitatorKey })
    await fac('/sections/vision/reveal', { publishAnyway: true })
    await fac('/sections/vision/phase', { phase: 'agree' })
    const proposal = (await fac('/sections/vision/proposals', { text: 'Care that listens, for everyone.' })).body
    await vision.getByRole('radio', { name: 'I agree' }).check({ timeout: 10_000 })
    // What counts as agreed is said before anyone answers (December UX review).
    expect(await vision.getByTestId('consent-rule').textContent()).toBe('The rule for this draft: it is agreed when nobody objects.')
    await vision.getByRole('button', { name: 'Save my answer' }).click()
    await expect.poll(() => vision.locator('.consent-form .success').count()).toBe(1)
    await fac(`/proposals/${proposal.proposalId}/close`, { publishAnyway: true })

    await page.getByRole('link', { name: 'What we agreed' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('What we agreed')
    await expect.poll(() => page.locator('main').textContent()).toContain('Care that listens, for everyone.')
    expect(await page.locator('main').textContent()).toContain('Not agreed yet')
    expect(await page.locator('#mine-h + p + ul').textContent()).toContain('“Care that listens” — it was shown to everyone, and it is part of what was agreed.')

    const board = await facilitatorBrowser.context.newPage()
    await board.goto(workshop.facilitatorUrl)
    await board.getByRole('link', { name: 'Open the board' }).click()
    await board.locator('.tl-canvas').waitFor({ timeout: 20_000 })
    await expect.poll(() => board.locator('.tl-shape[data-shape-type="idea-card"]').count(), { timeout: 10_000 }).toBe(1)
    const [png] = await Promise.all([board.waitForEvent('download'), board.getByRole('button', { name: 'Save the board as a picture' }).click()])
    const pngBytes = await readFile((await png.path())!)
    expect([...pngBytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG')
    const [svg] = await Promise.all([board.waitForEvent('download'), board.getByRole('button', { name: 'Save as a picture for printing' }).click()])
    const svgText = await readFile((await svg.path())!, 'utf8')
    expect(svgText).toContain('<svg')
  })
})
