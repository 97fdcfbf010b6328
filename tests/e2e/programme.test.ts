import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import type { PublicProposal } from '../../shared/consent.ts'
import type { CreatedProgramme } from '../../shared/coproduction.ts'
import type { CreatedWorkshop } from '../../shared/intents.ts'
import { addDays, dayOf, formatDay } from '../../shared/retention.ts'
import { readState } from '../../shared/stateDoc.ts'
import { readPdf } from '../../server/export/readBack.testkit.ts'
import { runAxe } from '../helpers/a11y.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api, endWorkshopDay } from '../helpers/testServer.ts'

describe('one programme over two workshops', () => {
  const fixture = serverWithBrowsers()
  const { browsers } = fixture

  it('agrees a vision, marks a commitment done later, shows its author on the same device (and from a receipt on another), and puts it in the evidence PDF', { timeout: 180_000 }, async () => {
    const server = fixture.server
    const programme = (await api<CreatedProgramme>(server, '/api/programmes', { body: { title: 'Crisis care, 2026' } })).body
    const newWorkshop = async (title: string) =>
      (await api<CreatedWorkshop>(server, '/api/workshops', { body: { title, programmeId: programme.programmeId }, token: programme.programmeKey })).body
    const first = await newWorkshop('March workshop')
    const [participantBrowser, leadBrowser] = await Promise.all([openBrowser(), openBrowser({ acceptDownloads: true })])
    browsers.push(participantBrowser, leadBrowser)

    // Workshop 1: a participant adds an idea and agrees the vision.
    const page = await participantBrowser.context.newPage()
    await page.goto(first.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.getByRole('button', { name: 'List' }).click()
    const vision = page.locator('[data-section="vision"]')
    await vision.getByLabel('Add an idea to “Our shared vision”').fill('Letters in plain words')
    await vision.getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => vision.locator('.my-idea').count()).toBe(1)
    const fac = (path: string, body: unknown = {}) => api<PublicProposal>(server, `/api/workshops/${first.workshopId}${path}`, { body, token: first.facilitatorKey })
    await fac('/sections/vision/reveal', { publishAnyway: true })
    await fac('/sections/vision/phase', { phase: 'agree' })
    const proposal = (await fac('/sections/vision/proposals', { text: 'Care that talks to us in plain words.' })).body
    await vision.getByRole('radio', { name: 'I agree' }).check({ timeout: 10_000 })
    await vision.getByRole('button', { name: 'Save my answer' }).click()
    await expect.poll(() => vision.locator('.consent-form .success').count()).toBe(1)
    expect((await fac(`/proposals/${proposal.proposalId}/close`, { publishAnyway: true })).body.outcome).toBe('agreed')

    // Workshop 2, months later, starts from the vision.
    const second = await newWorkshop('June workshop')
    const prompt = server.rooms.withRoom(second.workshopId, (room) => readState(room.state.doc).sections.find((s) => s.kind === 'vision')!.prompt)
    expect(prompt).toContain('Care that talks to us in plain words.')

    // The lead adds a commitment that carries the idea, then marks it done.
    const lead = await leadBrowser.context.newPage()
    await lead.goto(programme.programmeUrl)
    await expect.poll(() => lead.getByRole('heading', { level: 1 }).textContent()).toBe('Crisis care, 2026')
    await expect.poll(() => lead.locator('main').textContent()).toContain('June workshop')
    await lead.getByLabel('From which workshop').selectOption({ label: 'March workshop' })
    await lead.getByLabel('What will be done').fill('Rewrite every letter in plain words')
    await lead.getByLabel('Who will do it (a role)').fill('Patient experience lead')
    await lead.getByRole('checkbox', { name: 'Letters in plain words' }).check({ timeout: 10_000 })
    await lead.getByRole('button', { name: 'Add the commitment' }).click()
    const item = lead.locator('.commitments > li', { hasText: 'Rewrite every letter in plain words' })
    await item.waitFor({ timeout: 10_000 })
    await item.getByLabel('New status').selectOption('done')
    await item.getByLabel('Note (you can leave this empty)').fill('All letters rewritten with the readers group')
    await item.getByRole('button', { name: 'Save the update' }).click()
    await expect.poll(() => item.textContent()).toContain('All letters rewritten with the readers group')

    // The author, on the same device, sees what happened to their idea.
    for (const sectionId of ['vision', 'values', 'ground-rules']) await fac(`/sections/${sectionId}/phase`, { phase: 'done' })
    await page.goto(`${server.url}/w/${first.workshopId}/agreed`)
    await expect.poll(() => page.locator('.idea-commitments').textContent(), { timeout: 15_000 }).toContain('Done')
    expect(await page.locator('.idea-commitments').textContent()).toContain('Rewrite every letter in plain words')

    // Or on another device, from the receipt code shown once at the end.
    await page.getByRole('button', { name: 'Show my receipt code (to use on another device)' }).click()
    const receipt = await page.getByRole('textbox', { name: 'Your receipt code' }).inputValue()
    expect(receipt.startsWith('R1.')).toBe(true)
    const otherDevice = await openBrowser()
    browsers.push(otherDevice)
    const later = await otherDevice.context.newPage()
    await later.goto(`${server.url}/w/${first.workshopId}/my-ideas`)
    await later.getByLabel('Your receipt code').fill(receipt)
    await later.getByRole('button', { name: 'Show my ideas' }).click()
    await expect.poll(() => later.locator('main').textContent(), { timeout: 15_000 }).toContain('All letters rewritten with the readers group')
    expect(await later.locator('main').textContent()).toContain('“Letters in plain words”')

    // The evidence PDF, downloaded from the programme page and read back with pdf.js, shows it.
    const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('button', { name: 'PDF (to print or send)' }).click()])
    const text = (await readPdf(new Uint8Array(await readFile((await download.path())!)))).text
    expect(text).toContain('Care that talks to us in plain words.')
    expect(text).toContain('Rewrite every letter in plain words')
    expect(text).toContain('Status: Done')
    expect(text).toContain('All letters rewritten with the readers group')

    // June opens with what March promised ("you said, we did"): for participants in the first
    // section while ideas are added, with its status in words and nothing that links to anyone.
    await page.goto(second.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.waitForURL(new RegExp(`/w/${second.workshopId}$`))
    await page.getByRole('button', { name: 'List' }).click()
    const earlier = page.locator('[data-section="vision"] [data-testid="earlier-commitments"]')
    await expect.poll(() => earlier.count(), { timeout: 15_000 }).toBe(1)
    expect(await earlier.locator('summary').textContent()).toBe('What we said we would do, and what happened')
    expect(await earlier.textContent()).toContain('Rewrite every letter in plain words (Patient experience lead, from March workshop).')
    expect(await earlier.textContent()).toContain('Now: Done')
    expect(await earlier.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true)
    expect(await earlier.locator('a').count()).toBe(0)
    expect(await page.locator('[data-testid="earlier-commitments"]').count()).toBe(1)

    // The facilitator's page shows the same, and leads back to the programme page.
    await lead.goto(second.facilitatorUrl)
    const card = lead.getByTestId('programme-card')
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('Rewrite every letter in plain words')
    expect(await card.getByRole('heading', { name: 'What we said we would do, and what happened' }).count()).toBe(1)
    await card.getByRole('link', { name: 'Back to the programme “Crisis care, 2026”' }).click()
    await expect.poll(() => lead.getByRole('heading', { level: 1 }).textContent()).toBe('Crisis care, 2026')
    // March had nothing before it: the way back, and no empty list.
    await lead.goto(first.facilitatorUrl)
    await expect.poll(() => lead.getByTestId('programme-card').textContent(), { timeout: 15_000 }).toContain('Back to the programme')
    expect(await lead.getByRole('heading', { name: 'What we said we would do, and what happened' }).count()).toBe(0)
  })

  it('lets a participant check out and take a record for less time at 360 px, by keyboard, and passes axe with the programme page', { timeout: 180_000 }, async () => {
    const server = fixture.server
    const programme = (await api<CreatedProgramme>(server, '/api/programmes', { body: { title: 'Ward 4 programme' } })).body
    const workshop = (await api<CreatedWorkshop>(server, '/api/workshops', { body: { title: 'Ward 4, April', programmeId: programme.programmeId }, token: programme.programmeKey })).body
    // bypassCSP lets axe be injected as a script tag (as in the a11y gate).
    const phone = await openBrowser({ viewport: { width: 360, height: 740 }, reducedMotion: 'reduce', bypassCSP: true })
    browsers.push(phone)
    const page = await phone.context.newPage()
    await page.goto(workshop.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.waitForURL(new RegExp(`/w/${workshop.workshopId}$`))
    for (const sectionId of ['vision', 'values', 'ground-rules'])
      expect((await api(server, `/api/workshops/${workshop.workshopId}/sections/${sectionId}/phase`, { body: { phase: 'done' }, token: workshop.facilitatorKey })).status).toBe(200)

    await page.goto(`${server.url}/w/${workshop.workshopId}/agreed`)
    const checkout = page.locator('.checkout')
    await checkout.waitFor({ timeout: 15_000 })
    expect(await page.locator('.checkout li').count()).toBe(7)
    expect(await checkout.textContent()).toContain('People share power. They decide and do it together, as equals.')
    expect(await runAxe(page)).toEqual([])
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

    // By keyboard: focus the first ladder choice, arrow keys move within a radio group.
    await checkout.getByRole('radio', { name: /^7\. Co-production/ }).focus()
    await page.keyboard.press('ArrowDown')
    expect(await checkout.getByRole('radio', { name: /^6\. Co-design/ }).isChecked()).toBe(true)
    for (const group of ['I was heard', 'I felt safe', 'I was treated as an equal']) {
      await checkout.getByRole('group', { name: group }).getByRole('radio', { name: '4 (Mostly)' }).focus()
      await page.keyboard.press('Space')
    }
    await checkout.getByLabel('What changed for you? (you can leave this empty)').fill('I said more than I expected to.')
    await checkout.getByRole('button', { name: 'Send my check-out' }).press('Enter')
    await expect.poll(() => checkout.textContent()).toContain('Thank you. Your answers are saved')

    const record = page.locator('.involvement')
    expect(await record.textContent()).toContain('Being paid for taking part can change some benefits.')
    expect(await record.textContent()).toContain('Citizens Advice')
    await record.getByLabel(/Minutes to put on the record/).fill('60')
    await record.getByRole('button', { name: 'Take a record' }).click()
    await expect.poll(() => record.textContent()).toContain('60 minutes')
    // Until when it can be paid: the workshop's (here the programme's) deletion day.
    await expect
      .poll(() => record.locator('.record-deadline').textContent(), { timeout: 10_000 })
      .toBe(`It can be marked as paid until this workshop is deleted, on ${formatDay(addDays(dayOf(new Date()), 90))} as things stand. Give it to the person who pays before then.`)
    const code = await record.getByRole('textbox').inputValue()
    expect((await api<{ valid: boolean; minutes: number }>(server, `/api/involvement/${encodeURIComponent(code)}`)).body).toMatchObject({ valid: true, minutes: 60 })

    // One check-out waits for two more from its group: counted, nothing of it shown (once the day is over).
    endWorkshopDay(server, workshop.workshopId)
    const results = await api<{ groups: unknown[]; notKept: number }>(server, `/api/workshops/${workshop.workshopId}/checkout`, { token: workshop.facilitatorKey })
    expect([results.body.groups, results.body.notKept]).toEqual([[], 1])

    const lead = await phone.context.newPage()
    await lead.goto(programme.programmeUrl)
    await expect.poll(() => lead.getByRole('heading', { level: 1 }).textContent()).toBe('Ward 4 programme')
    await lead.getByRole('heading', { name: 'Check-outs, workshop by workshop' }).waitFor()
    expect(await runAxe(lead)).toEqual([])
    expect(await lead.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
  })
})
