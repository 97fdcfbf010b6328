import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../../shared/errors.ts'
import type { ExportModel } from '../../shared/exportModel.ts'
import type { AddedIdea } from '../../shared/intents.ts'
import { readState } from '../../shared/stateDoc.ts'
import { THEME_NAMES_BY_FACILITATOR, type PublicTheme } from '../../shared/themes.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

describe('themes: ideas put together under a name', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  const setup = async () => {
    const workshop = await createWorkshop(server)
    const base = `/api/workshops/${workshop.workshopId}`
    const [ann, bo] = await Promise.all([joinWorkshop(server, workshop.workshopId), joinWorkshop(server, workshop.workshopId)])
    const add = async (token: string, text: string) => (await api<AddedIdea>(server, `${base}/sections/values/ideas`, { body: { text }, token })).body.ideaId
    const ids = { kind: await add(ann.token, 'Be kind'), listen: await add(bo.token, 'Listen first'), time: await add(ann.token, 'Start on time') }
    const facilitate = (path: string, body: unknown = {}, method = 'POST') => api(server, `${base}${path}`, { body, token: workshop.facilitatorKey, method })
    await facilitate('/sections/values/reveal', { publishAnyway: true })
    const putWith = (token: string, body: object) => api<PublicTheme & ErrorBody>(server, `${base}/sections/values/themes`, { body, token })
    const state = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    return { workshop, base, ann, bo, ids, facilitate, putWith, state }
  }

  it('lets anyone put one idea with another, names the theme, and moves an idea between themes', async () => {
    const { ann, bo, ids, putWith, state, workshop } = await setup()
    // A participant's name for it is not used: their words would reach everyone as they sent them.
    const made = await putWith(bo.token, { ideaId: ids.listen, withIdeaId: ids.kind, name: 'Staff ignore carers' })
    expect(made.status).toBe(200)
    // Nor the start of an idea: that copy of someone's words outlived hiding, withdrawing and
    // leaving the idea out of exports.
    expect(state().themes).toEqual([{ themeId: made.body.themeId, sectionId: 'values', name: 'Theme 1', ideaIds: [ids.kind, ids.listen] }])
    expect(JSON.stringify(state())).not.toContain('Staff ignore carers')
    expect(JSON.stringify(state().themes)).not.toContain('Be kind')

    // Put with an idea that is already in a theme: it joins that theme.
    await putWith(ann.token, { ideaId: ids.time, withIdeaId: ids.listen })
    expect(state().themes[0]!.ideaIds).toEqual([ids.kind, ids.listen, ids.time])

    // The facilitator can group too; nothing about who did it is kept.
    const other = await putWith(workshop.facilitatorKey, { ideaId: ids.time, withIdeaId: ids.kind })
    expect(other.body.themeId).toBe(made.body.themeId)
    expect(JSON.stringify(state().themes)).not.toMatch(/participant|token|author/i)
  })

  it('undoes a theme left with one idea, renames, and refuses once the vote starts', async () => {
    const { base, bo, ids, putWith, facilitate, state, workshop } = await setup()
    const made = await putWith(bo.token, { ideaId: ids.listen, withIdeaId: ids.kind })
    expect(made.body.name).toBe('Theme 1')
    // Only the facilitator names themes.
    const byParticipant = await api<ErrorBody>(server, `${base}/themes/${made.body.themeId}`, { method: 'PATCH', body: { name: 'Respect' }, token: bo.token })
    expect([byParticipant.status, byParticipant.body.error.message]).toEqual([403, THEME_NAMES_BY_FACILITATOR])
    expect(state().themes[0]!.name).toBe('Theme 1')
    expect((await api(server, `${base}/themes/${made.body.themeId}`, { method: 'PATCH', body: { name: 'Respect' }, token: workshop.facilitatorKey })).status).toBe(200)
    expect(state().themes[0]!.name).toBe('Respect')
    expect((await api(server, `${base}/themes/${made.body.themeId}/ideas/${ids.kind}`, { method: 'DELETE', token: bo.token })).status).toBe(200)
    expect(state().themes).toEqual([])

    await facilitate('/sections/values/phase', { phase: 'discuss' })
    await facilitate('/sections/values/phase', { phase: 'vote' })
    const refused = await putWith(bo.token, { ideaId: ids.listen, withIdeaId: ids.kind })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('wrong_phase')
  })

  it('refuses ideas from elsewhere, unknown themes and a missing target', async () => {
    const { ids, putWith, bo } = await setup()
    expect((await putWith(bo.token, { ideaId: ids.listen, withIdeaId: ids.listen })).status).toBe(422)
    expect((await putWith(bo.token, { ideaId: 'nope', withIdeaId: ids.kind })).status).toBe(422)
    expect((await putWith(bo.token, { ideaId: ids.listen, themeId: 'nope' })).status).toBe(404)
    expect((await putWith(bo.token, { ideaId: ids.listen })).status).toBe(400)
    expect((await putWith('not-a-token', { ideaId: ids.listen, withIdeaId: ids.kind })).status).toBe(401)
  })

  it('puts themes in the export, without the words of hidden ideas', async () => {
    const { base, bo, ids, putWith, facilitate, workshop } = await setup()
    await putWith(workshop.facilitatorKey, { ideaId: ids.listen, withIdeaId: ids.kind, name: 'Respect' })
    await putWith(bo.token, { ideaId: ids.time, withIdeaId: ids.kind })
    await facilitate(`/sections/values/ideas/${ids.time}/hide`, { reason: 'off-topic' })
    const model = (await api<ExportModel>(server, `${base}/export?format=json`, { token: workshop.facilitatorKey })).body
    const values = model.sections.find((s) => s.sectionId === 'values')!
    expect(values.themes).toEqual([{ name: 'Respect', ideas: ['Be kind', 'Listen first'] }])
    expect(values.ideas.find((idea) => idea.text === 'Listen first')?.theme).toBe('Respect')
    expect(JSON.stringify(model)).not.toContain('Start on time')
  })

  it('lets the author move their own waiting idea to another section, and nobody else; a shown idea stays put', async () => {
    const workshop = await createWorkshop(server)
    const base = `/api/workshops/${workshop.workshopId}`
    const [ann, bo] = await Promise.all([joinWorkshop(server, workshop.workshopId), joinWorkshop(server, workshop.workshopId)])
    const added = (await api<AddedIdea>(server, `${base}/sections/values/ideas`, { body: { text: 'Care that listens' }, token: ann.token })).body
    const move = (token: string, authorKey: string, sectionId: string) =>
      api<ErrorBody & { sectionId: string }>(server, `${base}/ideas/${added.ideaId}/move`, { body: { sectionId }, token, headers: { 'x-author-key': authorKey } })

    expect((await move(bo.token, 'not-the-key', 'vision')).status).toBe(403)
    const moved = await move(ann.token, added.authorKey, 'vision')
    expect(moved.status).toBe(200)
    expect(moved.body.sectionId).toBe('vision')

    await api(server, `${base}/sections/vision/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    const state = server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    expect(state.ideas.find((idea) => idea.ideaId === added.ideaId)).toMatchObject({ sectionId: 'vision', status: 'published' })
    const refused = await move(ann.token, added.authorKey, 'values')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('conflict')
  })
})
