import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../../shared/errors.ts'
import type { OwnIdea } from '../../shared/ideas.ts'
import type { AddedIdea } from '../../shared/intents.ts'
import { readState } from '../../shared/stateDoc.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/** Issue 13 item 8: "Withdraw" offers Undo, honestly: only for an idea nobody has seen. */
describe('undoing a withdrawal', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  const setup = async () => {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const people = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    const add = async (i: number, text: string) => (await api<AddedIdea>(server, `${w}/sections/values/ideas`, { body: { text }, token: people[i]!.token })).body
    const state = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
    const withdraw = (i: number, idea: AddedIdea) => api<OwnIdea & ErrorBody>(server, `${w}/ideas/${idea.ideaId}`, { method: 'DELETE', token: people[i]!.token, headers: { 'x-author-key': idea.authorKey } })
    const restore = (i: number, idea: AddedIdea, text: string, key = idea.authorKey) =>
      api<OwnIdea & ErrorBody>(server, `${w}/ideas/${idea.ideaId}/restore`, { body: { text }, token: people[i]!.token, headers: { 'x-author-key': key } })
    const fac = (path: string, body: unknown = {}) => api<ErrorBody>(server, `${w}${path}`, { body, token: workshop.facilitatorKey })
    return { workshop, w, people, add, state, withdraw, restore, fac }
  }

  it('brings a withdrawn waiting idea back to waiting, and it is shown with the next batch', async () => {
    const { add, state, withdraw, restore, fac } = await setup()
    const kind = await add(0, 'Be kind')
    await add(1, 'Listen first')
    await add(2, 'Start on time')
    expect((await withdraw(0, kind)).body.status).toBe('withdrawn')
    expect(state().sections.find((s) => s.sectionId === 'values')?.pendingCount).toBeLessThan(3)
    const back = await restore(0, kind, 'Be kind')
    expect(back.status).toBe(200)
    expect(back.body).toMatchObject({ status: 'pending', text: 'Be kind' })
    expect((await fac('/sections/values/reveal')).status).toBe(200)
    expect(state().ideas.map((idea) => idea.text).sort()).toEqual(['Be kind', 'Listen first', 'Start on time'])
    // Undo twice is nothing to undo.
    expect((await restore(0, kind, 'Be kind')).status).toBe(409)
  })

  it('refuses a shown idea, a wrong author key, empty words and a closed step', async () => {
    const { add, withdraw, restore, fac } = await setup()
    const kind = await add(0, 'Be kind')
    await add(1, 'Listen first')
    await add(2, 'Start on time')
    await fac('/sections/values/reveal')
    await withdraw(0, kind)
    const shown = await restore(0, kind, 'Be kind')
    expect(shown.status).toBe(409)
    expect(shown.body.error.code).toBe('conflict')

    const hope = await add(1, 'Hope')
    await withdraw(1, hope)
    expect((await restore(1, hope, 'Hope', 'not-the-key')).status).toBe(403)
    expect((await restore(1, hope, '   ')).status).toBe(422)
    expect((await restore(1, hope, 7 as unknown as string)).status).toBe(400)
    // Not the vote: the shown idea's withdrawal still waits, and a vote never opens over waiting changes.
    expect((await fac('/sections/values/phase', { phase: 'agree' })).status).toBe(200)
    const late = await restore(1, hope, 'Hope')
    expect(late.status).toBe(409)
    expect(late.body.error.code).toBe('wrong_phase')
  })
})
