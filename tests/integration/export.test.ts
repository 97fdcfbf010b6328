import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../../shared/errors.ts'
import type { ExportModel } from '../../shared/exportModel.ts'
import type { PublicProposal } from '../../shared/consent.ts'
import { readState } from '../../shared/stateDoc.ts'
import { docxParagraphs, parseCsv, readPdf, unzipText } from '../../server/export/readBack.testkit.ts'
import { DOCUMENTS_PER_MINUTE } from '../../server/http/exports.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

describe('exporting the agreed vision from a real workshop', () => {
  let server: TestServer
  let workshop: Awaited<ReturnType<typeof createWorkshop>>
  let people: { participantId: string; token: string }[]
  const pseudonyms = ['Calm Otter', 'Brave Heron']

  beforeAll(async () => {
    server = await startTestServer()
    workshop = await createWorkshop(server, 'Café vision — Łódź & مرحبا')
    people = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    const w = `/api/workshops/${workshop.workshopId}`
    const fac = (path: string, body: unknown = {}) => api<PublicProposal>(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    for (const [i, text] of ['Respect everyone 😊', '=HYPERLINK("http://evil")', 'Hope', 'Off topic'].entries())
      await api(server, `${w}/sections/values/ideas`, { body: { text }, token: people[i % 3]!.token })
    await fac('/sections/values/reveal')
    const ideas = server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas)
    const id = (text: string) => ideas.find((idea) => idea.text === text)!.ideaId
    await fac(`/sections/values/ideas/${id('Off topic')}/hide`, { reason: 'off-topic' })
    await fac('/sections/values/phase', { phase: 'vote' })
    for (const person of people) await api(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots: { [id('Respect everyone 😊')]: 1, [id('Hope')]: 1 } }, token: person.token })
    await fac('/sections/values/phase', { phase: 'agree' })
    const proposal = (await fac('/sections/values/proposals', { items: ['Respect everyone 😊', 'Hope'] })).body
    for (const person of people) await api(server, `${w}/proposals/${proposal.proposalId}/response`, { method: 'PUT', body: { response: 'agree' }, token: person.token })
    await fac(`/proposals/${proposal.proposalId}/close`)
  })
  afterAll(async () => {
    await server.dispose()
  })

  const download = async (format: string) => {
    const response = await fetch(`${server.url}/api/workshops/${workshop.workshopId}/export?format=${format}`, { headers: { authorization: `Bearer ${workshop.facilitatorKey}` } })
    return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) }
  }
  const forbidden = (text: string) => {
    for (const person of people) {
      expect(text).not.toContain(person.participantId)
      expect(text).not.toContain(person.token)
    }
    expect(text).not.toContain(workshop.facilitatorKey)
    for (const name of pseudonyms) expect(text).not.toContain(name)
  }

  it('gives JSON that matches the documented model, agreed text first, with no personal data', async () => {
    const { status, bytes } = await download('json')
    expect(status).toBe(200)
    const text = new TextDecoder().decode(bytes)
    const model = JSON.parse(text) as ExportModel
    expect(model.schemaVersion).toBe(1)
    expect(model.workshop).toMatchObject({ title: 'Café vision — Łódź & مرحبا', participantCount: 3 })
    const values = model.sections.find((s) => s.sectionId === 'values')!
    expect(values.agreement).toMatchObject({ status: 'agreed', items: ['Respect everyone 😊', 'Hope'] })
    const top = values.results!.ranked.slice(0, 2)
    expect(top.map((r) => [r.dots, r.rank, r.tied])).toEqual([
      [3, 1, true],
      [3, 1, true],
    ])
    expect(top.map((r) => r.text).sort()).toEqual(['Hope', 'Respect everyone 😊'])
    expect(values.hidden).toEqual({ count: 1, reasons: ['off-topic'] })
    expect(text).not.toContain('Off topic')
    expect(model.sections.find((s) => s.sectionId === 'vision')?.agreement.status).toBe('no-proposal')
    forbidden(text)
  })

  it('gives a CSV with a BOM and neutralised formulas', async () => {
    const { bytes, type } = await download('csv')
    expect(type).toContain('text/csv')
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    const rows = parseCsv(text.replace(/^\uFEFF/, ''))
    const cells = rows.flat()
    expect(cells).toContain('Respect everyone 😊')
    expect(cells.some((cell) => cell.startsWith('='))).toBe(false)
    expect(cells).toContain(`'=HYPERLINK("http://evil")`)
    forbidden(text)
  })

  it('gives Markdown, a PDF and a Word document with the agreed values', async () => {
    const md = new TextDecoder().decode((await download('md')).bytes)
    expect(md).toContain('Respect everyone 😊')
    forbidden(md)

    const pdf = await readPdf((await download('pdf')).bytes)
    expect(pdf.text).toContain('Respect everyone')
    expect(pdf.text).toContain('Café vision')
    forbidden(pdf.text)

    const docx = unzipText((await download('docx')).bytes)
    const paragraphs = docxParagraphs(docx['word/document.xml']!)
    expect(paragraphs.some((p) => p.style === 'Heading1')).toBe(true)
    expect(paragraphs.map((p) => p.text).join('\n')).toContain('Respect everyone 😊')
    forbidden(Object.values(docx).join('\n'))
  })

  it('refuses export without the facilitator key, and unknown formats', async () => {
    const path = `/api/workshops/${workshop.workshopId}/export?format=pdf`
    expect((await api(server, path)).status).toBe(401)
    expect((await api(server, path, { token: people[0]!.token })).status).toBe(403)
    const unknown = await api<ErrorBody>(server, `/api/workshops/${workshop.workshopId}/export?format=exe`, { token: workshop.facilitatorKey })
    expect(unknown.status).toBe(400)
    // Names every object has were taken for formats, and failed with 500.
    for (const format of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const inherited = await api<ErrorBody>(server, `/api/workshops/${workshop.workshopId}/export?format=${format}`, { token: workshop.facilitatorKey })
      expect([inherited.status, inherited.body.error.code]).toEqual([400, 'bad_request'])
    }
  })

  it('makes a large PDF off the event loop: other requests are answered while it is made', { timeout: 60_000 }, async () => {
    const big = await createWorkshop(server, 'A long workshop')
    const w = `/api/workshops/${big.workshopId}`
    // Ten ideas a minute each: nine people.
    const people = await Promise.all(Array.from({ length: 9 }, () => joinWorkshop(server, big.workshopId)))
    // Scripts that need shaping are the slowest to lay out.
    const words = 'نريد أن نسمع كل صوت في الغرفة हम सब मिलकर तय करेंगे 我们一起决定 '.repeat(6).slice(0, 470)
    for (const [p, person] of people.entries())
      for (let i = 0; i < 10; i++) {
        const sectionId = ['vision', 'values', 'ground-rules'][i % 3]!
        expect((await api(server, `${w}/sections/${sectionId}/ideas`, { body: { text: `${p}.${i} ${words}` }, token: person.token })).status).toBe(201)
      }
    for (const sectionId of ['vision', 'values', 'ground-rules'])
      expect((await api(server, `${w}/sections/${sectionId}/reveal`, { body: { publishAnyway: true }, token: big.facilitatorKey })).status).toBe(200)
    const finished: string[] = []
    const pdf = api(server, `${w}/export?format=pdf`, { token: big.facilitatorKey }).then((response) => (finished.push('pdf'), response))
    await new Promise((resolve) => setTimeout(resolve, 30))
    const health = await api(server, '/healthz')
    finished.push('health')
    expect(health.status).toBe(200)
    expect((await pdf).status).toBe(200)
    expect(finished).toEqual(['health', 'pdf'])
  })

  it('makes at most 10 documents a minute per workshop (each holds the server for a moment), other formats and workshops unaffected', async () => {
    const other = await createWorkshop(server)
    const get = (id: string, key: string, format: string) => api<ErrorBody>(server, `/api/workshops/${id}/export?format=${format}`, { token: key })
    const statuses: number[] = []
    for (let i = 0; i < DOCUMENTS_PER_MINUTE + 1; i++) statuses.push((await get(other.workshopId, other.facilitatorKey, i % 2 === 0 ? 'pdf' : 'docx')).status)
    expect(statuses).toEqual([...Array(DOCUMENTS_PER_MINUTE).fill(200), 429])
    const refused = await get(other.workshopId, other.facilitatorKey, 'pdf')
    expect([refused.status, refused.body.error.code]).toEqual([429, 'rate_limited'])
    expect((await get(other.workshopId, other.facilitatorKey, 'md')).status).toBe(200)
  })

  it('lets every participant read the outcome for the "What we agreed" page', async () => {
    const outcome = await api<ExportModel>(server, `/api/workshops/${workshop.workshopId}/outcome`, { token: people[1]!.token })
    expect(outcome.status).toBe(200)
    expect(outcome.body.sections.find((s) => s.sectionId === 'values')?.agreement.status).toBe('agreed')
    expect((await api(server, `/api/workshops/${workshop.workshopId}/outcome`)).status).toBe(401)
  })

  it('answers the outcome as the workshop is now, however often it is asked', async () => {
    const w = `/api/workshops/${workshop.workshopId}`
    const titles = async () => (await api<ExportModel>(server, `${w}/outcome`, { token: people[0]!.token })).body.sections.map((section) => section.title)
    const before = await titles()
    expect(await titles()).toEqual(before)
    // A change to the state between two asks shows in the second answer.
    expect((await api(server, `${w}/sections/values`, { method: 'PATCH', body: { title: 'What we hold to' }, token: workshop.facilitatorKey })).status).toBe(200)
    expect(await titles()).toContain('What we hold to')
    // A change that only deletes, too.
    expect((await api(server, `${w}/sections/ground-rules`, { method: 'DELETE', token: workshop.facilitatorKey })).status).toBe(200)
    expect((await titles()).length).toBe(before.length - 1)
  })

  it('answers one person at most 20 outcomes a minute, each whole and the same while nothing changes', async () => {
    // Four loops of a 4 MB outcome from one token held the server (December robustness review).
    const reader = await joinWorkshop(server, workshop.workshopId)
    const w = `/api/workshops/${workshop.workshopId}`
    const answers = []
    for (let i = 0; i < 20; i++) answers.push(await api<ExportModel>(server, `${w}/outcome`, { token: reader.token }))
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    expect(answers.at(-1)!.body).toEqual(answers[0]!.body)
    const refused = await api<{ error: { code: string } }>(server, `${w}/outcome`, { token: reader.token })
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    // Someone else is not held back by it.
    expect((await api(server, `${w}/outcome`, { token: people[1]!.token })).status).toBe(200)
  })
})
