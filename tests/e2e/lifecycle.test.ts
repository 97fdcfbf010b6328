import { describe, expect, it } from 'vitest'
import type { CreatedProgramme, InvolvementRecord } from '../../shared/coproduction.ts'
import type { CreatedWorkshop } from '../../shared/intents.ts'
import { addDays, dayOf, formatDay } from '../../shared/retention.ts'
import { openBrowser } from '../helpers/browser.ts'
import { serverWithBrowsers } from '../helpers/e2e.ts'
import { api, createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

describe('data lifecycle in the browser (issue 18)', () => {
  const fixture = serverWithBrowsers({ config: { privacyContact: 'Data protection officer, dpo@trust.example' } })
  const { browsers } = fixture

  it('the facilitator deletes the workshop after typing its title; a participant is told it is gone', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server, 'Ward 7 values')
    const [participantBrowser, facilitatorBrowser] = await Promise.all([openBrowser(), openBrowser()])
    browsers.push(participantBrowser, facilitatorBrowser)

    const participant = await participantBrowser.context.newPage()
    await participant.goto(workshop.joinUrl)
    await participant.getByRole('button', { name: 'Join the workshop' }).click()
    await participant.getByRole('button', { name: 'List' }).click()
    await expect.poll(() => participant.locator('.retention-notice').textContent(), { timeout: 10_000 }).toBe(
      `This workshop and everything in it will be deleted on ${formatDay(addDays(dayOf(new Date()), 90))}.`,
    )

    const page = await facilitatorBrowser.context.newPage()
    await page.goto(workshop.facilitatorUrl)
    await page.getByRole('button', { name: 'Delete this workshop…' }).click()
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Delete this workshop' }) })
    expect(await card.textContent()).toContain('every idea, suggestion and reason people gave')
    await expect.poll(() => card.getByRole('link', { name: 'Download the agreed vision first' }).count()).toBe(1)
    const confirm = card.getByLabel('To confirm, type the workshop’s title: Ward 7 values')
    await confirm.fill('Ward 7')
    await card.getByRole('button', { name: 'Delete the workshop and everything in it' }).click()
    await expect.poll(() => card.locator('.field-error').textContent()).toBe('Type the title exactly as it is shown to confirm.')
    expect((await api(fixture.server, `/api/workshops/${workshop.workshopId}/facilitator`, { token: workshop.facilitatorKey })).status).toBe(200)

    await confirm.fill('Ward 7 values')
    await card.getByRole('button', { name: 'Delete the workshop and everything in it' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('The workshop has been deleted')
    expect((await api(fixture.server, `/api/workshops/${workshop.workshopId}/facilitator`, { token: workshop.facilitatorKey })).status).toBe(404)
    await expect.poll(() => participant.locator('body').textContent(), { timeout: 15_000 }).toContain('This workshop has been deleted. Everything in it is gone.')
  })

  it('the programme lead chooses how long to keep the programme, then deletes it after typing its title', { timeout: 120_000 }, async () => {
    const programme = (await api<CreatedProgramme>(fixture.server, '/api/programmes', { body: { title: 'Crisis care pilot' } })).body
    const inside = (await api<CreatedWorkshop>(fixture.server, '/api/workshops', { body: { title: 'April workshop', programmeId: programme.programmeId }, token: programme.programmeKey })).body
    const browser = await openBrowser()
    browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(programme.programmeUrl)

    const keep = page.locator('section', { has: page.getByRole('heading', { name: 'How long we keep this programme' }) })
    await expect.poll(() => keep.locator('.retention-notice').textContent(), { timeout: 10_000 }).toBe(
      `This programme and everything in it will be deleted on ${formatDay(addDays(dayOf(new Date()), 90))}.`,
    )
    await keep.getByLabel('Keep it for this many days after it was last used').fill('30')
    await keep.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => keep.locator('.retention-notice').textContent()).toBe(`This programme and everything in it will be deleted on ${formatDay(addDays(dayOf(new Date()), 30))}.`)
    expect((await api(fixture.server, `/api/programmes/${programme.programmeId}/retention`, { token: programme.programmeKey })).body).toEqual({
      retentionDays: 30,
      deleteAfter: addDays(dayOf(new Date()), 30),
    })

    await page.getByRole('button', { name: 'Delete this programme…' }).click()
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Delete this programme' }) })
    expect(await card.textContent()).toContain('its 1 workshop, with every idea, vote, board and agreed statement in them')
    await expect.poll(() => card.getByRole('link', { name: 'Download the evidence pack first' }).count()).toBe(1)
    const confirm = card.getByLabel('To confirm, type the programme’s title: Crisis care pilot')
    await confirm.fill('Crisis care')
    await card.getByRole('button', { name: 'Delete the programme and everything in it' }).click()
    await expect.poll(() => card.locator('.field-error').textContent()).toBe('Type the title exactly as it is shown to confirm.')
    expect((await api(fixture.server, `/api/programmes/${programme.programmeId}`, { token: programme.programmeKey })).status).toBe(200)

    await confirm.fill('Crisis care pilot')
    await card.getByRole('button', { name: 'Delete the programme and everything in it' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('The programme has been deleted')
    expect((await api(fixture.server, `/api/programmes/${programme.programmeId}`, { token: programme.programmeKey })).status).toBe(404)
    expect((await api(fixture.server, `/api/workshops/${inside.workshopId}/welcome`)).status).toBe(404)
  })

  it('a workshop in a programme is kept with it, says so, lists its part of the programme when deleted, and its records still check as real', { timeout: 120_000 }, async () => {
    const server = fixture.server
    const programme = (await api<CreatedProgramme>(server, '/api/programmes', { body: { title: 'Kept together pilot' } })).body
    const inside = (await api<CreatedWorkshop>(server, '/api/workshops', { body: { title: 'May workshop', programmeId: programme.programmeId }, token: programme.programmeKey })).body
    const person = await joinWorkshop(server, inside.workshopId)
    const record = (await api<InvolvementRecord>(server, `/api/workshops/${inside.workshopId}/involvement`, { body: {}, token: person.token })).body
    const browser = await openBrowser()
    browsers.push(browser)
    const today = dayOf(new Date())

    // The lead: the box starts at the number in use, and one day reads "1 day".
    const lead = await browser.context.newPage()
    await lead.goto(programme.programmeUrl)
    const keep = lead.locator('section', { has: lead.getByRole('heading', { name: 'How long we keep this programme' }) })
    const days = keep.getByLabel('Keep it for this many days after it was last used')
    await expect.poll(() => days.inputValue(), { timeout: 10_000 }).toBe('90')
    expect(await keep.textContent()).toContain('We keep it for 90 days after you or anyone in its workshops last used it.')
    expect(await keep.textContent()).toContain('Its workshops are kept as long as it is, and deleted with it.')
    await days.fill('1')
    await keep.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => keep.textContent()).toContain('We keep it for 1 day after you or anyone in its workshops last used it.')
    expect(await days.inputValue()).toBe('1')

    // The facilitator: the programme's day and why; no number of its own to set.
    const page = await browser.context.newPage()
    await page.goto(inside.facilitatorUrl)
    const own = page.locator('section', { has: page.getByRole('heading', { name: 'How long we keep this workshop' }) })
    await expect.poll(() => own.textContent(), { timeout: 10_000 }).toContain('This workshop is part of a programme, so we keep it as long as the programme')
    expect(await own.textContent()).toContain('1 day after anyone last used the programme or any of its workshops')
    expect(await own.textContent()).toContain(formatDay(addDays(today, 1)))
    expect(await own.getByLabel('Keep it for this many days after it was last used').count()).toBe(0)

    await page.getByRole('button', { name: 'Delete this workshop…' }).click()
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Delete this workshop' }) })
    const losses = await card.textContent()
    for (const line of ['the commitments and their updates, and the check-out answers', 'records of taking part from this workshop: they can no longer be marked as paid', 'its part of the programme’s history and of its evidence pack'])
      expect(losses).toContain(line)
    await card.getByLabel('To confirm, type the workshop’s title: May workshop').fill('May workshop')
    await card.getByRole('button', { name: 'Delete the workshop and everything in it' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe('The workshop has been deleted')

    // The record is real; it is not called a forgery, and it cannot be paid.
    await lead.getByLabel('Record code').fill(record.code)
    await lead.getByRole('button', { name: 'Check the code' }).click()
    const checked = lead.locator('section', { has: lead.getByRole('heading', { name: 'Check a record of taking part' }) })
    await expect.poll(() => checked.textContent(), { timeout: 10_000 }).toContain(
      `This record is real: taking part on ${formatDay(record.date)}, for ${record.minutes} minutes. But its workshop has been deleted, so it can no longer be marked as paid.`,
    )
    expect(await checked.textContent()).not.toContain('not a real record')
    expect(await checked.getByRole('button', { name: 'Mark as paid' }).count()).toBe(0)
  })

  it('a participant removes all their ideas in one step before the vote', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const browser = await openBrowser()
    browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(workshop.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.getByRole('button', { name: 'List' }).click()
    const vision = page.locator('[data-section="vision"]')
    for (const [index, text] of ['More time in appointments', 'Staff who know my name'].entries()) {
      await vision.getByLabel('Add an idea to “Our shared vision”').fill(text)
      await vision.getByRole('button', { name: 'Add my idea' }).click()
      await expect.poll(() => vision.locator('.my-idea').count(), { timeout: 10_000 }).toBe(index + 1)
    }
    await page.getByRole('button', { name: 'Remove my ideas' }).click()
    await page.getByRole('button', { name: 'Yes, remove my ideas' }).click()
    await expect.poll(() => page.locator('p.success', { hasText: 'Removed 2 ideas. Nobody can see them any more.' }).count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => vision.locator('.my-idea').count()).toBe(0)
    const rows = fixture.server.db.prepare("SELECT status, text FROM ideas WHERE workshop_id = ?").all(workshop.workshopId)
    expect(rows).toEqual([
      { status: 'withdrawn', text: '' },
      { status: 'withdrawn', text: '' },
    ])
  })

  it('after the vote opens, leaving an idea out of exports waits for others unless its author chooses tomorrow, told what that gives away', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server)
    const browser = await openBrowser()
    browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(workshop.joinUrl)
    await page.getByRole('button', { name: 'Join the workshop' }).click()
    await page.getByRole('button', { name: 'List' }).click()
    const vision = page.locator('[data-section="vision"]')
    await vision.getByLabel('Add an idea to “Our shared vision”').fill('Staff who know my name')
    await vision.getByRole('button', { name: 'Add my idea' }).click()
    await expect.poll(() => vision.locator('.my-idea').count(), { timeout: 10_000 }).toBe(1)
    const w = `/api/workshops/${workshop.workshopId}`
    for (const text of ['More time', 'Plain words']) {
      const other = await joinWorkshop(fixture.server, workshop.workshopId)
      await api(fixture.server, `${w}/sections/vision/ideas`, { body: { text }, token: other.token })
    }
    await api(fixture.server, `${w}/sections/vision/reveal`, { body: {}, token: workshop.facilitatorKey })
    await api(fixture.server, `${w}/sections/vision/phase`, { body: { phase: 'vote' }, token: workshop.facilitatorKey })

    await page.getByRole('button', { name: 'Leave out of exports: Staff who know my name' }).click({ timeout: 20_000 })
    const row = page.locator('li', { hasText: '“Staff who know my name”' })
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('once other people ask too')
    const anyway = page.getByRole('button', { name: 'Leave it out from tomorrow anyway: Staff who know my name' })
    expect(await anyway.getAttribute('aria-describedby').then((ref) => page.locator(`[id="${ref}"]`).textContent())).toContain('could tell this idea is yours')
    const stored = () => fixture.server.db.prepare("SELECT hide_from_exports AS state, hide_from_exports_from AS fromDay FROM ideas WHERE workshop_id = ? AND text = 'Staff who know my name'").get(workshop.workshopId)
    expect(stored()).toEqual({ state: 2, fromDay: null })
    await anyway.click()
    const tomorrow = addDays(dayOf(new Date()), 1)
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain(`left out of exports from ${formatDay(tomorrow)}`)
    expect(stored()).toEqual({ state: 2, fromDay: tomorrow })
  })

  it('the projector says plainly when deletion is a week away or less; every page links the privacy notice', { timeout: 120_000 }, async () => {
    const workshop = await createWorkshop(fixture.server, 'Short stay')
    expect((await api(fixture.server, `/api/workshops/${workshop.workshopId}/retention`, { method: 'PUT', body: { days: 3 }, token: workshop.facilitatorKey })).status).toBe(200)
    const browser = await openBrowser()
    browsers.push(browser)
    const page = await browser.context.newPage()
    await page.goto(workshop.facilitatorUrl)
    const warning = `In 3 days, on ${formatDay(addDays(dayOf(new Date()), 3))}, this workshop and everything in it will be deleted.`
    await expect.poll(() => page.locator('.retention-warning').first().textContent(), { timeout: 10_000 }).toContain(warning)
    await page.getByRole('link', { name: 'Open the presenter view' }).click()
    await expect.poll(() => page.locator('.retention-warning').textContent(), { timeout: 10_000 }).toContain(warning)

    await page.getByRole('link', { name: 'Privacy: what Parity keeps and for how long' }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Privacy: what Parity keeps')
    const text = await page.locator('main').textContent()
    expect(text).toContain('Data protection officer, dpo@trust.example')
    expect(text).toContain('90 days')
  })
})
