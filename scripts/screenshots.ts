/**
 * `npm run screenshots`: runs a short real workshop (real server, SQLite, Chromium) and saves
 * the pictures the README shows: docs/screenshots/board.png, phone.png and projector.png.
 * Uses the built client (run `npx vite build` first if dist/ is missing).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { rememberKeys } from '../tests/helpers/a11y.ts'
import { openBrowser, type TestBrowser } from '../tests/helpers/browser.ts'
import { startTestServer } from '../tests/helpers/testServer.ts'
import { workshopFlow } from '../tests/helpers/workshopFlow.ts'

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots')

async function main(): Promise<void> {
  if (!existsSync(join(import.meta.dirname, '..', 'dist', 'index.html'))) throw new Error('Build the client first: npx vite build')
  mkdirSync(OUT, { recursive: true })
  const server = await startTestServer({ config: { ideaBatchIntervalMs: 200 } })
  const browsers: TestBrowser[] = []
  try {
    const flow = await workshopFlow(server, 'Our shared vision, March')
    const people = await flow.join(5)
    await flow.addAndReveal('vision', people, ['Care that listens', 'No wrong door', 'Hope for everyone', 'Support close to home', 'Being believed'])
    // A theme, as people make them while talking: it shows on the board's cards and in the list.
    await flow.facilitate('/sections/vision/themes', { ideaId: flow.ideaId('vision', 'Being believed'), withIdeaId: flow.ideaId('vision', 'Care that listens'), name: 'Being heard' })
    await flow.addAndReveal('values', people, ['Respect', 'Honesty', 'Kindness', 'Hope', 'Fairness', 'Trust'])
    await flow.addAndReveal('ground-rules', people, ['One voice at a time', 'Phones on silent', 'It is fine to step out'])
    const [a, b, c, d, e] = people as [string, string, string, string, string]
    await flow.vote(
      'values',
      new Map([
        [a, ['Respect', 'Honesty', 'Hope']],
        [b, ['Respect', 'Kindness', 'Trust']],
        [c, ['Respect', 'Honesty', 'Fairness']],
        [d, ['Honesty', 'Kindness', 'Respect']],
        [e, ['Hope', 'Trust', 'Respect']],
      ]),
    )
    await flow.facilitate('/sections/vision/phase', { phase: 'discuss' })
    await flow.consentRound(
      'ground-rules',
      { items: ['One voice at a time', 'It is fine to step out', 'Phones on silent'] },
      new Map(people.map((token) => [token, { response: 'agree' }])),
    )
    const { workshopId, facilitatorKey } = flow.workshop

    // Board: the facilitator's laptop.
    const laptop = await openBrowser({ viewport: { width: 1366, height: 768 } })
    browsers.push(laptop)
    await rememberKeys(laptop.context, workshopId, { facilitatorKey })
    const board = await laptop.context.newPage()
    await board.addInitScript(() => localStorage.setItem('parity:view', 'board'))
    await board.goto(`${server.url}/w/${workshopId}`)
    await board.locator('.tl-shape[data-shape-type="idea-card"]').first().waitFor({ timeout: 60_000 })
    await settle(board)
    await board.screenshot({ path: join(OUT, 'board.png') })

    // Phone: a participant's list view.
    const phone = await openBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 })
    browsers.push(phone)
    await rememberKeys(phone.context, workshopId, { token: a })
    const list = await phone.context.newPage()
    await list.goto(`${server.url}/w/${workshopId}`)
    // The first screen as it opens: the workshop, not a wall of buttons.
    await list.locator('[data-section="vision"] .idea').first().waitFor()
    await settle(list)
    await list.screenshot({ path: join(OUT, 'phone.png') })

    // Projector: the results chart for values, at a projector's 1920 × 1080.
    const projector = await laptop.context.newPage()
    await projector.setViewportSize({ width: 1920, height: 1080 })
    await projector.goto(`${server.url}/w/${workshopId}/present`)
    await projector.getByLabel('Showing').selectOption('values')
    await projector.getByTestId('present-results').waitFor()
    await settle(projector)
    await projector.screenshot({ path: join(OUT, 'projector.png') })
    console.log(`Saved board.png, phone.png and projector.png in ${OUT}`)
  } finally {
    for (const browser of browsers) await browser.close()
    await server.dispose()
  }
}

/** Fonts loaded and two frames drawn, so the picture is not half-painted. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
  })
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
