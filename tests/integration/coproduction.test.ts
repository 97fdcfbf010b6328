import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commitmentsCarrying, type CheckoutSummary, type CreatedProgramme, type InvolvementCheck, type InvolvementRecord, type PublicCommitment } from '../../shared/coproduction.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { OwnIdea } from '../../shared/ideas.ts'
import type { AddedIdea, CreatedWorkshop } from '../../shared/intents.ts'
import type { EvidenceModel, ProgrammeView } from '../../shared/programme.ts'
import type { EarlierCommitments } from '../../shared/earlierCommitments.ts'
import { readState } from '../../shared/stateDoc.ts'
import { COMMITMENTS_PER_WORKSHOP, UPDATES_PER_COMMITMENT } from '../../server/services/CommitmentService.ts'
import { SHARE_LINKS_PER_WORKSHOP } from '../../server/services/ShareService.ts'
import { docxParagraphs, readPdf, unzipText } from '../../server/export/readBack.testkit.ts'
import { signInvolvement, signingKeysFromDer } from '../../server/domain/involvement.ts'
import { api, createWorkshop, endWorkshopDay, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { eventually } from '../helpers/clients.ts'

type Body = ErrorBody & Record<string, unknown>

describe('co-production over time: programmes, commitments, check-outs, share links, involvement', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  const newProgramme = async (title = 'Crisis care, 2026') => {
    const created = await api<CreatedProgramme>(server, '/api/programmes', { body: { title } })
    expect(created.status).toBe(201)
    return created.body
  }
  const workshopIn = async (programme: CreatedProgramme, title: string, extra: object = {}) => {
    const created = await api<CreatedWorkshop & Body>(server, '/api/workshops', { body: { title, programmeId: programme.programmeId, ...extra }, token: programme.programmeKey })
    expect(created.status).toBe(201)
    return created.body
  }
  /** Agrees a vision by consent with three people. */
  const agreeVision = async (workshop: CreatedWorkshop, text: string) => {
    const w = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    await api(server, `${w}/sections/vision/phase`, { body: { phase: 'agree' }, token: workshop.facilitatorKey })
    const proposal = (await api<{ proposalId: string }>(server, `${w}/sections/vision/proposals`, { body: { text }, token: workshop.facilitatorKey })).body
    for (const person of people) await api(server, `${w}/proposals/${proposal.proposalId}/response`, { method: 'PUT', body: { response: 'agree' }, token: person.token })
    const closed = await api<Body>(server, `${w}/proposals/${proposal.proposalId}/close`, { body: {}, token: workshop.facilitatorKey })
    expect(closed.body.outcome).toBe('agreed')
  }

  it('creates a programme whose key is carried in the fragment and stored only as a hash', async () => {
    const programme = await newProgramme()
    expect(programme.programmeUrl).toMatch(new RegExp(`/p/${programme.programmeId}#key=${programme.programmeKey}$`))
    const stored = JSON.stringify(server.db.prepare('SELECT * FROM programmes').all())
    expect(stored).not.toContain(programme.programmeKey)
    expect((await api(server, '/api/programmes', { body: { title: '  ' } })).status).toBe(400)
    expect((await api(server, '/api/programmes', { rawBody: '{nope' })).status).toBe(400)
    expect((await api(server, `/api/programmes/${programme.programmeId}`)).status).toBe(401)
    expect((await api(server, `/api/programmes/${programme.programmeId}`, { token: 'wrong' })).status).toBe(401)
    expect((await api(server, '/api/programmes/nope', { token: programme.programmeKey })).status).toBe(404)
  })

  it('puts a workshop in a programme only with its key, and starts it from the current vision', async () => {
    const programme = await newProgramme()
    const other = await newProgramme('Another programme')
    const body = { title: 'Second', programmeId: programme.programmeId }
    expect((await api(server, '/api/workshops', { body })).status).toBe(401)
    expect((await api(server, '/api/workshops', { body, token: other.programmeKey })).status).toBe(401)
    expect((await api(server, '/api/workshops', { body: { ...body, programmeId: 'missing' }, token: programme.programmeKey })).status).toBe(404)

    const first = await workshopIn(programme, 'March')
    await agreeVision(first, 'Support that listens, in plain words.')
    const second = await workshopIn(programme, 'June')
    const prompt = server.rooms.withRoom(second.workshopId, (room) => readState(room.state.doc).sections.find((s) => s.kind === 'vision')!.prompt)
    expect(prompt).toContain('Support that listens, in plain words.')
    // One full stop, not “…words.”. (a workshop review).
    expect(prompt).toContain('“Support that listens, in plain words.” Is this still right?')
    const fresh = await workshopIn(programme, 'July', { carryForward: false })
    const freshPrompt = server.rooms.withRoom(fresh.workshopId, (room) => readState(room.state.doc).sections.find((s) => s.kind === 'vision')!.prompt)
    expect(freshPrompt).not.toContain('Support that listens')

    const view = await api<ProgrammeView>(server, `/api/programmes/${programme.programmeId}`, { token: programme.programmeKey })
    expect(view.body.workshops.map((w) => w.title)).toEqual(['March', 'June', 'July'])
    const vision = view.body.agreedTexts.find((t) => t.kind === 'vision')!
    expect(vision.current?.text).toBe('Support that listens, in plain words.')
    expect(vision.history).toHaveLength(1)
    expect(vision.history[0]!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('keeps commitments with an owner role and dated updates; "not possible" needs a reason', async () => {
    const programme = await newProgramme()
    const workshop = await workshopIn(programme, 'March')
    const w = `/api/workshops/${workshop.workshopId}`
    const person = await joinWorkshop(server, workshop.workshopId)
    const added = (await api<AddedIdea>(server, `${w}/sections/vision/ideas`, { body: { text: 'Letters in plain words' }, token: person.token })).body
    // A waiting idea cannot be pointed at: everyone must have seen it first.
    const early = await api<Body>(server, `${w}/commitments`, { body: { text: 'Rewrite letters', ownerRole: 'Patient experience lead', ideaIds: [added.ideaId] }, token: workshop.facilitatorKey })
    expect(early.status).toBe(422)
    await api(server, `${w}/sections/vision/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })

    const body = { text: 'Rewrite every appointment letter in plain words', ownerRole: 'Patient experience lead', sectionId: 'vision', ideaIds: [added.ideaId], due: '2026-09-30' }
    expect((await api(server, `${w}/commitments`, { body })).status).toBe(401)
    expect((await api(server, `${w}/commitments`, { body, token: person.token })).status).toBe(403)
    expect((await api(server, `${w}/commitments`, { body: { ...body, ownerRole: '' }, token: workshop.facilitatorKey })).status).toBe(400)
    expect((await api(server, `${w}/commitments`, { body: { ...body, due: 'soon' }, token: workshop.facilitatorKey })).status).toBe(400)
    expect((await api(server, `${w}/commitments`, { body: { ...body, sectionId: 'nope' }, token: workshop.facilitatorKey })).status).toBe(422)
    const created = await api<{ commitmentId: string }>(server, `${w}/commitments`, { body, token: workshop.facilitatorKey })
    expect(created.status).toBe(201)
    const { commitmentId } = created.body
    // The programme key works too.
    expect((await api(server, `${w}/commitments`, { body: { text: 'Second', ownerRole: 'Board' }, token: programme.programmeKey })).status).toBe(201)

    const update = (status: string, note: string | undefined, token: string | null = programme.programmeKey) =>
      api<PublicCommitment & Body>(server, `/api/commitments/${commitmentId}/updates`, { body: { status, ...(note === undefined ? {} : { note }) }, ...(token ? { token } : {}) })
    expect((await update('not-possible', '')).status).toBe(400)
    expect((await update('finished', 'x')).status).toBe(400)
    expect((await update('doing', 'Started', null)).status).toBe(401)
    expect((await update('doing', 'Started', person.token)).status).toBe(403)
    expect((await api(server, '/api/commitments/missing/updates', { body: { status: 'doing', note: '' }, token: programme.programmeKey })).status).toBe(404)
    expect((await update('doing', 'Drafts with the readers group', workshop.facilitatorKey)).status).toBe(201)
    const done = await update('done', 'All letters rewritten')
    expect(done.status).toBe(201)
    expect(done.body.status).toBe('done')
    expect(done.body.updates.map((u) => u.status)).toEqual(['doing', 'done'])
    expect(done.body.updates[0]!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/)

    // The author, with the key on their device, sees what happened to their idea: the device
    // matches it against the list everyone in the workshop reads.
    const mine = await api<{ ideas: OwnIdea[] }>(server, `${w}/ideas/mine`, { body: { ideas: [added] }, token: person.token })
    expect(mine.body.ideas.map((idea) => idea.ideaId)).toEqual([added.ideaId])
    expect(mine.body.ideas[0]).not.toHaveProperty('commitments')
    const everyone = await api<{ commitments: PublicCommitment[] }>(server, `${w}/commitments`, { token: person.token })
    expect(everyone.status).toBe(200)
    expect(commitmentsCarrying(mine.body.ideas[0]!, everyone.body.commitments)).toEqual([expect.objectContaining({ status: 'done', text: body.text })])
    expect((await api(server, `${w}/commitments`)).status).toBe(401)
    // Without the author key, nothing.
    const stranger = await joinWorkshop(server, workshop.workshopId)
    const guessed = await api<{ ideas: unknown[] }>(server, `${w}/ideas/mine`, { body: { ideas: [{ ideaId: added.ideaId, authorKey: 'guess' }] }, token: stranger.token })
    expect(guessed.body.ideas).toEqual([])
  })

  it('opens the next workshop with what the earlier ones promised and where each is now, naming nobody', async () => {
    const programme = await newProgramme('Crisis care, earlier promises')
    const first = await workshopIn(programme, 'March')
    const w1 = `/api/workshops/${first.workshopId}`
    const person = await joinWorkshop(server, first.workshopId)
    const idea = (await api<AddedIdea>(server, `${w1}/sections/vision/ideas`, { body: { text: 'Letters in plain words' }, token: person.token })).body
    await api(server, `${w1}/sections/vision/reveal`, { body: { publishAnyway: true }, token: first.facilitatorKey })
    const body = { text: 'Rewrite every appointment letter in plain words', ownerRole: 'Patient experience lead', sectionId: 'vision', ideaIds: [idea.ideaId], due: '2026-09-30' }
    const { commitmentId } = (await api<{ commitmentId: string }>(server, `${w1}/commitments`, { body, token: first.facilitatorKey })).body
    await api(server, `/api/commitments/${commitmentId}/updates`, { body: { status: 'doing', note: 'Drafts with the readers group' }, token: first.facilitatorKey })
    await api(server, `${w1}/commitments`, { body: { text: 'Open the crisis line at weekends', ownerRole: 'Service manager' }, token: programme.programmeKey })
    const second = await workshopIn(programme, 'June')
    const w2 = `/api/workshops/${second.workshopId}`
    const joiner = await joinWorkshop(server, second.workshopId)
    // The second workshop's own promises are its own business, not "what we said last time".
    await api(server, `${w2}/commitments`, { body: { text: 'Made in June', ownerRole: 'Board' }, token: second.facilitatorKey })

    const seen = await api<EarlierCommitments & Body>(server, `${w2}/earlier-commitments`, { token: joiner.token })
    expect(seen.status).toBe(200)
    // Within a day, in the order the workshop lists them (not the order they were made).
    expect([...seen.body.commitments].sort((a, b) => a.text.localeCompare(b.text))).toEqual([
      expect.objectContaining({ workshopTitle: 'March', text: 'Open the crisis line at weekends', status: 'planned', latest: null }),
      expect.objectContaining({ workshopTitle: 'March', text: body.text, ownerRole: 'Patient experience lead', due: '2026-09-30', status: 'doing', latest: expect.objectContaining({ status: 'doing', note: 'Drafts with the readers group' }) }),
    ])
    // Nothing that leads to an idea, its author or the programme's page.
    const raw = JSON.stringify(seen.body)
    for (const id of [idea.ideaId, commitmentId, person.participantId, first.workshopId, programme.programmeId]) expect(raw).not.toContain(id)
    expect(seen.body).not.toHaveProperty('programme')

    // The facilitator and the lead see the same, with the programme for the way back.
    for (const token of [second.facilitatorKey, programme.programmeKey]) {
      const lead = await api<EarlierCommitments>(server, `${w2}/earlier-commitments`, { token })
      expect(lead.body.programme).toEqual({ programmeId: programme.programmeId, title: 'Crisis care, earlier promises' })
      expect(lead.body.commitments.map((c) => c.text)).toEqual(seen.body.commitments.map((c) => c.text))
    }
    // The first workshop has nothing before it; a workshop outside a programme has none at all.
    expect((await api<EarlierCommitments>(server, `${w1}/earlier-commitments`, { token: person.token })).body.commitments).toEqual([])
    const alone = await createWorkshop(server)
    expect((await api<EarlierCommitments>(server, `/api/workshops/${alone.workshopId}/earlier-commitments`, { token: alone.facilitatorKey })).body).toEqual({ programme: null, commitments: [] })
    // Another workshop's token, no token, an unknown workshop.
    expect((await api(server, `${w2}/earlier-commitments`, { token: person.token })).status).toBe(403)
    expect((await api(server, `${w2}/earlier-commitments`)).status).toBe(401)
    expect((await api(server, '/api/workshops/missing/earlier-commitments', { token: joiner.token })).status).toBe(404)
  })

  it('shares the outcome read-only, names nobody, and a revoked link is 404', async () => {
    const workshop = await createWorkshop(server, 'Shared workshop')
    const w = `/api/workshops/${workshop.workshopId}`
    await agreeVision(workshop, 'Care that treats us as equals.')
    await api(server, `${w}/commitments`, { body: { text: 'Peer workers on every ward', ownerRole: 'Director of nursing' }, token: workshop.facilitatorKey })
    const person = await joinWorkshop(server, workshop.workshopId)
    expect((await api(server, `${w}/share`, { body: {}, token: person.token })).status).toBe(403)
    const shared = await api<{ shareUrl: string }>(server, `${w}/share`, { body: {}, token: workshop.facilitatorKey })
    expect(shared.status).toBe(201)
    const shareId = shared.body.shareUrl.split('/shared/')[1]!
    const json = await api<Body>(server, `/api/shared/${shareId}`)
    expect(json.status).toBe(200)
    const text = JSON.stringify(json.body)
    expect(text).toContain('Care that treats us as equals.')
    expect(text).toContain('Peer workers on every ward')
    expect(text).not.toContain(workshop.workshopId)
    expect(text).not.toContain(person.participantId)
    expect(text).not.toContain(workshop.facilitatorKey)
    const page = await fetch(shared.body.shareUrl.replace(/^https?:\/\/[^/]+/, server.url))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Peer workers on every ward')

    expect((await api(server, `${w}/share/${shareId}`, { method: 'DELETE', token: person.token })).status).toBe(403)
    expect((await api(server, `${w}/share/${shareId}`, { method: 'DELETE', token: workshop.facilitatorKey })).status).toBe(200)
    expect((await api(server, `/api/shared/${shareId}`)).status).toBe(404)
    expect((await fetch(`${server.url}/shared/${shareId}`)).status).toBe(404)
    expect((await api(server, `${w}/share/${shareId}`, { method: 'DELETE', token: workshop.facilitatorKey })).status).toBe(404)
  })

  it('caps commitments, updates and share links (every one is on a public page), and turns every link off at once', async () => {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const fac = { token: workshop.facilitatorKey }
    const commitment = (i: number) => api<Body>(server, `${w}/commitments`, { body: { text: `Commitment ${i}`, ownerRole: 'Service manager' }, ...fac })
    for (let i = 0; i < COMMITMENTS_PER_WORKSHOP; i++) expect((await commitment(i)).status).toBe(201)
    const over = await commitment(COMMITMENTS_PER_WORKSHOP)
    expect([over.status, over.body.error.code]).toEqual([429, 'limit_reached'])
    const first = (await api<{ commitments: PublicCommitment[] }>(server, `${w}/commitments`, fac)).body.commitments[0]!
    const update = (i: number) => api<Body>(server, `/api/commitments/${first.commitmentId}/updates`, { body: { status: 'doing', note: `Step ${i}` }, ...fac })
    for (let i = 0; i < UPDATES_PER_COMMITMENT; i++) expect((await update(i)).status).toBe(201)
    expect((await update(UPDATES_PER_COMMITMENT)).body.error.code).toBe('limit_reached')
    // Read in one go, in order.
    const listed = (await api<{ commitments: PublicCommitment[] }>(server, `${w}/commitments`, fac)).body.commitments
    expect(listed.find((c) => c.commitmentId === first.commitmentId)!.updates.map((u) => u.note)).toEqual(Array.from({ length: UPDATES_PER_COMMITMENT }, (_, i) => `Step ${i}`))
    // One written wrongly (a name, say) can be taken away, with its updates, and the room it frees used.
    const person = await joinWorkshop(server, workshop.workshopId)
    expect((await api(server, `/api/commitments/${first.commitmentId}`, { method: 'DELETE' })).status).toBe(401)
    expect((await api(server, `/api/commitments/${first.commitmentId}`, { method: 'DELETE', token: person.token })).status).toBe(403)
    expect((await api(server, `/api/commitments/${first.commitmentId}`, { method: 'DELETE', ...fac })).status).toBe(200)
    expect((await api(server, `/api/commitments/${first.commitmentId}`, { method: 'DELETE', ...fac })).status).toBe(404)
    expect(JSON.stringify((await api(server, `${w}/commitments`, fac)).body)).not.toContain('Step 0')
    expect(Number((server.db.prepare('SELECT COUNT(*) AS n FROM commitment_updates WHERE commitment_id = ?').get(first.commitmentId) as { n: number | string }).n)).toBe(0)
    expect((await commitment(COMMITMENTS_PER_WORKSHOP + 1)).status).toBe(201)

    const links: string[] = []
    for (let i = 0; i < SHARE_LINKS_PER_WORKSHOP; i++) links.push((await api<{ shareUrl: string }>(server, `${w}/share`, { body: {}, ...fac })).body.shareUrl.split('/shared/')[1]!)
    expect((await api<Body>(server, `${w}/share`, { body: {}, ...fac })).body.error.code).toBe('limit_reached')
    expect((await api(server, `${w}/shares`, fac)).body).toEqual({ links: SHARE_LINKS_PER_WORKSHOP })
    expect((await api(server, `${w}/shares`, { method: 'DELETE', ...fac })).body).toEqual({ revoked: SHARE_LINKS_PER_WORKSHOP })
    for (const shareId of links) expect((await api(server, `/api/shared/${shareId}`)).status).toBe(404)
    expect((await api(server, `${w}/shares`, fac)).body).toEqual({ links: 0 })
  })

  it('writes a full batch of check-outs a while later, never in the request of the person who completed it', async () => {
    const own = await startTestServer({ config: { checkoutBatchDelayMs: 400 } })
    try {
      const workshop = await createWorkshop(own, 'Batch written later')
      const staff = await Promise.all([0, 1, 2].map(() => joinWorkshop(own, workshop.workshopId, { perspective: 'staff' })))
      const rows = () => Number((own.db.prepare('SELECT COUNT(*) AS n FROM checkout_tallies WHERE workshop_id = ?').get(workshop.workshopId) as { n: number | string }).n)
      for (const person of staff) expect((await api(own, `/api/workshops/${workshop.workshopId}/checkout`, { body: { rung: 4, heard: 4, safe: 4, equal: 4 }, token: person.token })).status).toBe(201)
      // Written in the third person's request, the batch sat next to whatever they wrote next.
      expect(rows()).toBe(0)
      await eventually(() => expect(rows()).toBeGreaterThan(0), 5_000)
    } finally {
      await own.dispose()
    }
  })

  it('shows check-outs from 3 people with lived experience and withholds the 1 staff member', async () => {
    const workshop = await createWorkshop(server, 'Check-out workshop')
    const w = `/api/workshops/${workshop.workshopId}`
    const lived = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId, { perspective: 'lived-experience' })))
    const staff = await joinWorkshop(server, workshop.workshopId, { perspective: 'staff' })
    const checkout = (token: string, body: object) => api<Body>(server, `${w}/checkout`, { body, token })
    const answer = { rung: 4, heard: 4, safe: 5, equal: 3 }

    for (const bad of [{ ...answer, rung: 0 }, { ...answer, rung: 8 }, { ...answer, heard: 6 }, { ...answer, safe: 2.5 }, { rung: 4 }, { ...answer, changed: 'x'.repeat(501) }])
      expect((await checkout(lived[0]!.token, bad)).status).toBe(400)
    expect((await checkout(workshop.facilitatorKey, answer)).status).toBe(403)
    expect((await api(server, `${w}/checkout`, { body: answer })).status).toBe(401)

    expect((await checkout(lived[0]!.token, { ...answer, changed: 'I felt listened to for once.' })).status).toBe(201)
    expect((await checkout(lived[1]!.token, { ...answer, rung: 5 })).status).toBe(201)
    expect((await checkout(lived[2]!.token, { ...answer, rung: 3 })).status).toBe(201)
    expect((await checkout(staff.token, { rung: 7, heard: 5, safe: 5, equal: 5 })).status).toBe(201)
    // One per person: a second answer is refused (documented: 409, never replaced).
    expect((await checkout(lived[0]!.token, answer)).status).toBe(409)

    expect((await api(server, `${w}/checkout`, { token: staff.token })).status).toBe(403)
    // While people may still be leaving on the day, nothing is shown: a batch appearing at the
    // third check-out of a group would tell anyone watching that person's perspective.
    const during = await api<CheckoutSummary & { reflections: string[] }>(server, `${w}/checkout`, { token: workshop.facilitatorKey })
    expect(during.body).toEqual({ groups: [], overall: null, perceptionGap: null, notKept: 0, waits: true, reflections: [] })
    endWorkshopDay(server, workshop.workshopId)
    const results = await api<CheckoutSummary & { reflections: string[] }>(server, `${w}/checkout`, { token: workshop.facilitatorKey })
    expect(results.status).toBe(200)
    // The staff member's answers wait for two more staff: not shown, not even as a group of fewer
    // than 3 (that line, appearing as they checked out, would tie them to it).
    expect(results.body.groups).toEqual([expect.objectContaining({ group: 'lived-experience', shown: true, count: 3 })])
    expect(results.body.notKept).toBe(1)
    const livedGroup = results.body.groups[0]!
    expect(livedGroup.shown && livedGroup.answers.rung.mean).toBe(4)
    // No overall figure: it would give the staff member's answer away by subtraction.
    expect(results.body.overall).toBeNull()
    expect(JSON.stringify(results.body)).not.toContain('"7"')
    expect(results.body.reflections).toEqual(['I felt listened to for once.'])
    // Someone checks out on a later day: the results wait again until that day is over, so they
    // never change while anyone watches (the change would be that person's answers).
    const late = await joinWorkshop(server, workshop.workshopId, { perspective: 'lived-experience' })
    expect((await checkout(late.token, { ...answer, rung: 6 })).status).toBe(201)
    expect((await api<CheckoutSummary>(server, `${w}/checkout`, { token: workshop.facilitatorKey })).body.waits).toBe(true)
    endWorkshopDay(server, workshop.workshopId)
    expect((await api<CheckoutSummary>(server, `${w}/checkout`, { token: workshop.facilitatorKey })).body.waits).toBeUndefined()

    // At rest: tallies and an HMAC marker, nothing that holds a token, its hash or a participant id.
    const rows = JSON.stringify([
      ...server.db.prepare('SELECT * FROM checkout_markers').all(),
      ...server.db.prepare('SELECT * FROM checkout_tallies').all(),
      ...server.db.prepare('SELECT * FROM checkout_reflections').all(),
    ])
    const hashes = server.db.prepare('SELECT participant_id, token_hash FROM participants WHERE workshop_id = ?').all(workshop.workshopId) as { participant_id: string; token_hash: string }[]
    for (const row of hashes) {
      expect(rows).not.toContain(row.participant_id)
      expect(rows).not.toContain(row.token_hash)
    }
    for (const person of [...lived, staff]) expect(rows).not.toContain(person.token)
  })

  it('issues signed involvement records, refuses forged and reused codes, and shows the facilitator counts only', async () => {
    const programme = await newProgramme()
    const other = await newProgramme('Someone else')
    const workshop = await workshopIn(programme, 'Paid involvement')
    const w = `/api/workshops/${workshop.workshopId}`
    const [one, two] = await Promise.all([0, 1].map(() => joinWorkshop(server, workshop.workshopId)))
    expect((await api(server, `${w}/involvement/settings`, { method: 'PUT', body: { minutes: 90 }, token: workshop.facilitatorKey })).status).toBe(200)
    expect((await api(server, `${w}/involvement`, { body: {}, token: workshop.facilitatorKey })).status).toBe(403)
    expect((await api(server, `${w}/involvement`, { body: { minutes: 0 }, token: one!.token })).status).toBe(400)
    expect((await api(server, `${w}/involvement`, { body: { minutes: 91 }, token: one!.token })).status).toBe(422)

    const record = await api<InvolvementRecord>(server, `${w}/involvement`, { body: {}, token: one!.token })
    expect(record.status).toBe(201)
    expect(record.body).toMatchObject({ workshopTitle: 'Paid involvement', minutes: 90 })
    expect(record.body.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    // The code goes, with a name, to whoever pays: it must not carry the workshop's id, its join link.
    expect(record.body.code).not.toContain(workshop.workshopId)
    expect((await api(server, `${w}/involvement`, { body: {}, token: one!.token })).status).toBe(409)
    // Someone may take a record for less time.
    const shorter = await api<InvolvementRecord>(server, `${w}/involvement`, { body: { minutes: 45 }, token: two!.token })
    expect(shorter.body.minutes).toBe(45)
    // No row for a record until it is paid: a row written as it was issued sat, in the order of
    // writing, right after its holder's check-out (PostgreSQL keeps each row's transaction).
    const recordRows = () => (server.db.prepare('SELECT COUNT(*) AS n FROM involvement_records WHERE workshop_id = ?').get(workshop.workshopId) as { n: number | string }).n
    expect(Number(recordRows())).toBe(0)

    const code = encodeURIComponent(record.body.code)
    expect((await api<InvolvementCheck>(server, `/api/involvement/${code}`)).body).toEqual({ valid: true, workshopTitle: 'Paid involvement', date: record.body.date, minutes: 90, redeemed: false })
    // A forged code: the minutes changed, so the signature no longer holds.
    const parts = record.body.code.split('.')
    parts[4] = '900'
    const forged = encodeURIComponent(parts.join('.'))
    expect((await api<InvolvementCheck>(server, `/api/involvement/${forged}`)).body).toEqual({ valid: false })
    expect((await api<InvolvementCheck>(server, '/api/involvement/made-up')).body).toEqual({ valid: false })
    expect((await api(server, `/api/involvement/${forged}/redeem`, { body: {}, token: programme.programmeKey })).status).toBe(404)

    expect((await api(server, `/api/involvement/${code}/redeem`, { body: {} })).status).toBe(401)
    expect((await api(server, `/api/involvement/${code}/redeem`, { body: {}, token: workshop.facilitatorKey })).status).toBe(401)
    expect((await api(server, `/api/involvement/${code}/redeem`, { body: {}, token: other.programmeKey })).status).toBe(403)
    expect((await api(server, `/api/involvement/${code}/redeem`, { body: {}, token: programme.programmeKey })).status).toBe(200)
    expect((await api(server, `/api/involvement/${code}/redeem`, { body: {}, token: programme.programmeKey })).status).toBe(409)
    expect((await api<InvolvementCheck>(server, `/api/involvement/${code}`)).body).toMatchObject({ valid: true, redeemed: true })

    const counts = await api<Body>(server, `${w}/involvement`, { token: workshop.facilitatorKey })
    expect(counts.body).toEqual({ minutes: 90, issued: 2, redeemed: 1 })
    expect(Number(recordRows())).toBe(1)
    // Paying is checked by signature alone, so never more are paid than were taken: a code signed
    // with the key from a copy of the database is refused once every record taken is paid.
    expect((await api(server, `/api/involvement/${encodeURIComponent(shorter.body.code)}/redeem`, { body: {}, token: programme.programmeKey })).status).toBe(200)
    const key = signingKeysFromDer((server.db.prepare("SELECT value FROM server_secrets WHERE name = 'involvement-ed25519-pkcs8'").get() as { value: Buffer }).value)
    const minted = signInvolvement({ recordId: 'minted-from-a-backup', workshopId: workshop.workshopId, day: record.body.date, minutes: 90 }, key)
    expect((await api(server, `/api/involvement/${encodeURIComponent(minted)}/redeem`, { body: {}, token: programme.programmeKey })).status).toBe(409)
    // Nothing at rest ties a record to a person.
    const rows = JSON.stringify([...server.db.prepare('SELECT * FROM involvement_records').all(), ...server.db.prepare('SELECT * FROM involvement_markers').all()])
    for (const person of [one!, two!]) {
      expect(rows).not.toContain(person.participantId)
      expect(rows).not.toContain(person.token)
    }
  })

  it('shows who took part only from the day after, counting that day’s joins only, so no join can be read off the numbers', async () => {
    const programme = await newProgramme('Who took part, by day')
    const workshop = await workshopIn(programme, 'Day one')
    for (let i = 0; i < 3; i++) await joinWorkshop(server, workshop.workshopId, { perspective: 'carer' })
    const takingPart = async () => {
      const view = await api<ProgrammeView>(server, `/api/programmes/${programme.programmeId}`, { token: programme.programmeKey })
      expect(view.status).toBe(200)
      return view.body.trend.find((w) => w.workshopId === workshop.workshopId)!
    }
    // While people may still be joining, nothing by perspective.
    const during = await takingPart()
    expect(during).toMatchObject({ takingPart: [], takingPartWaits: true })
    expect(JSON.stringify(during)).not.toContain('carer')
    // The day after: the day's counts, which never change again.
    endWorkshopDay(server, workshop.workshopId)
    const after = await takingPart()
    expect(after.takingPartWaits).toBeUndefined()
    expect(after.takingPart).toEqual([expect.objectContaining({ group: 'carer', count: { shown: true, count: 3 } })])
    await joinWorkshop(server, workshop.workshopId, { perspective: 'carer' })
    expect((await takingPart()).takingPart).toEqual(after.takingPart)
  })

  it('waits for the end of the day a workshop is run, not made or first joined, and then counts its last joins too', async () => {
    const programme = await newProgramme('Made days ahead')
    const workshop = await workshopIn(programme, 'Made ahead')
    // Made long before the day it is run, and joined before it too (a facilitator trying the link
    // the evening before made that day "the day", and the real session's check-outs live).
    server.db.prepare('UPDATE workshops SET created_day = ? WHERE workshop_id = ?').run('2026-01-05', workshop.workshopId)
    const staff = []
    for (let i = 0; i < 2; i++) staff.push(await joinWorkshop(server, workshop.workshopId, { perspective: 'staff' }))
    const heldDay = () => (server.db.prepare('SELECT held_day AS day FROM workshops WHERE workshop_id = ?').get(workshop.workshopId) as { day: string | null }).day
    expect(heldDay()).toBeNull()
    const trend = async () => (await api<ProgrammeView>(server, `/api/programmes/${programme.programmeId}`, { token: programme.programmeKey })).body.trend[0]!
    expect(await trend()).toMatchObject({ takingPart: [], takingPartWaits: true, checkout: { waits: true } })
    // Run: the facilitator moves a section on. That day is the workshop's.
    expect((await api(server, `/api/workshops/${workshop.workshopId}/sections/values/phase`, { body: { phase: 'discuss' }, token: workshop.facilitatorKey })).status).toBe(200)
    expect(heldDay()).toBe(new Date().toISOString().slice(0, 10))
    expect(await trend()).toMatchObject({ takingPart: [], takingPartWaits: true, checkout: { waits: true } })
    const results = await api<CheckoutSummary>(server, `/api/workshops/${workshop.workshopId}/checkout`, { token: workshop.facilitatorKey })
    expect(results.body.waits).toBe(true)
    endWorkshopDay(server, workshop.workshopId)
    // The two joins that never made a batch of three are counted once the day is over.
    expect((await trend()).takingPart).toEqual([{ group: 'smaller-groups', label: 'In smaller groups', count: { shown: false, note: 'fewer than 3' } }])
    expect(server.db.prepare('SELECT SUM(n) AS n FROM perspective_counts WHERE workshop_id = ?').get(workshop.workshopId)).toEqual({ n: 2 })
  })

  it('builds the evidence pack as JSON, PDF and Word, with "fewer than 3" for small groups', async () => {
    const programme = await newProgramme('Evidence programme')
    const workshop = await workshopIn(programme, 'Evidence March')
    await agreeVision(workshop, 'Nothing about us without us.')
    const staff = await joinWorkshop(server, workshop.workshopId, { perspective: 'staff' })
    // Joins are counted by perspective three at a time: two more complete the staff member's batch.
    for (let i = 0; i < 2; i++) await joinWorkshop(server, workshop.workshopId)
    await api(server, `/api/workshops/${workshop.workshopId}/checkout`, { body: { rung: 6, heard: 5, safe: 5, equal: 5 }, token: staff.token })
    const created = await api<{ commitmentId: string }>(server, `/api/workshops/${workshop.workshopId}/commitments`, {
      body: { text: 'Pay people for their time', ownerRole: 'Finance team' },
      token: programme.programmeKey,
    })
    await api(server, `/api/commitments/${created.body.commitmentId}/updates`, { body: { status: 'not-possible', note: 'The budget was cut this year.' }, token: programme.programmeKey })

    // The workshop's day is over (as if a day had passed): who took part is shown.
    endWorkshopDay(server, workshop.workshopId)
    const base = `/api/programmes/${programme.programmeId}/evidence`
    expect((await api(server, `${base}?format=json`)).status).toBe(401)
    expect((await api(server, `${base}?format=txt`, { token: programme.programmeKey })).status).toBe(400)
    const json = await api<EvidenceModel>(server, `${base}?format=json`, { token: programme.programmeKey })
    expect(json.status).toBe(200)
    expect(json.body.agreedTexts.find((t) => t.kind === 'vision')?.current?.text).toBe('Nothing about us without us.')
    // The lone staff member is not a line of their own (it appeared as they joined): smaller groups are counted together.
    expect(json.body.workshops[0]!.takingPart).toEqual([
      expect.objectContaining({ group: 'not-said', count: { shown: true, count: 5 } }),
      { group: 'smaller-groups', label: 'In smaller groups', count: { shown: false, note: 'fewer than 3' } },
    ])
    expect(JSON.stringify(json.body.workshops)).not.toContain('staff')
    expect(json.body.commitments[0]).toMatchObject({ status: 'not-possible', updates: [expect.objectContaining({ note: 'The budget was cut this year.' })] })
    expect(JSON.stringify(json.body)).not.toContain(staff.participantId)

    // A download, named for its programme and day, and not padded like API answers (December review).
    const raw = await fetch(`${server.url}${base}?format=json`, { headers: { authorization: `Bearer ${programme.programmeKey}` } })
    expect(raw.headers.get('content-disposition')).toMatch(/^attachment; filename="evidence-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.json"/)
    expect(await raw.text()).toBe(JSON.stringify(json.body))

    const pdf = await fetch(`${server.url}${base}?format=pdf`, { headers: { authorization: `Bearer ${programme.programmeKey}` } })
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.headers.get('content-disposition')).toContain('.pdf')
    const text = (await readPdf(new Uint8Array(await pdf.arrayBuffer()))).text
    expect(text).toContain('Nothing about us without us.')
    expect(text).toContain('The budget was cut this year.')
    expect(text).toContain('fewer than 3')

    const docx = await fetch(`${server.url}${base}?format=docx`, { headers: { authorization: `Bearer ${programme.programmeKey}` } })
    const paragraphs = docxParagraphs(unzipText(new Uint8Array(await docx.arrayBuffer()))['word/document.xml']!).map((p) => p.text)
    expect(paragraphs).toContain('Nothing about us without us.')
    expect(paragraphs.join('\n')).toContain('Pay people for their time')
  })
})
