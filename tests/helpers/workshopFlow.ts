import { readState } from '../../shared/stateDoc.ts'
import type { TestServer } from './testServer.ts'
import { api, createWorkshop, joinWorkshop } from './testServer.ts'

/**
 * A short real workshop driven through the HTTP API (no browser): people join, add ideas, vote
 * and answer drafts. Browser tests and `npm run screenshots` use it to reach a state quickly.
 */
export async function workshopFlow(server: TestServer, title?: string) {
  const workshop = await createWorkshop(server, title)
  const base = `/api/workshops/${workshop.workshopId}`
  const call = async (path: string, body: unknown, token: string, method?: string) => {
    const response = await api<Record<string, unknown>>(server, `${base}${path}`, { body, token, ...(method ? { method } : {}) })
    if (response.status >= 300) throw new Error(`${method ?? 'POST'} ${path} failed: ${response.status} ${JSON.stringify(response.body)}`)
    return response.body
  }
  const facilitate = (path: string, body: unknown = {}, method?: string) => call(path, body, workshop.facilitatorKey, method)
  const state = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc))
  const ideaId = (sectionId: string, text: string) => {
    const found = state().ideas.find((idea) => idea.sectionId === sectionId && idea.text === text)
    if (!found) throw new Error(`no published idea “${text}” in ${sectionId}`)
    return found.ideaId
  }

  return {
    workshop,
    facilitate,
    state,
    ideaId,
    /** People who joined through the API; their tokens vote and answer. */
    async join(count: number): Promise<string[]> {
      const people = []
      for (let index = 0; index < count; index++) people.push((await joinWorkshop(server, workshop.workshopId)).token)
      return people
    },
    /** Each text added by the person at the same index (wrapping round), then all shown at once. */
    async addAndReveal(sectionId: string, people: string[], texts: string[]) {
      for (const [index, text] of texts.entries()) await call(`/sections/${sectionId}/ideas`, { text }, people[index % people.length]!)
      await facilitate(`/sections/${sectionId}/reveal`)
    },
    /** Opens a vote, places each person's dots (by idea text), closes it. */
    async vote(sectionId: string, ballots: Map<string, string[]>) {
      await facilitate(`/sections/${sectionId}/phase`, { phase: 'vote' })
      for (const [token, texts] of ballots) await call(`/sections/${sectionId}/ballot`, { dots: Object.fromEntries(texts.map((text) => [ideaId(sectionId, text), 1])) }, token, 'PUT')
      await facilitate(`/sections/${sectionId}/close-vote`)
    },
    /** One consent round: the draft, everyone's answer, closed. Returns the proposal id. */
    async consentRound(sectionId: string, draft: { text: string } | { items: string[] }, answers: Map<string, { response: string; reason?: string }>) {
      if (state().sections.find((s) => s.sectionId === sectionId)?.phase !== 'agree') await facilitate(`/sections/${sectionId}/phase`, { phase: 'agree' })
      const proposal = (await facilitate(`/sections/${sectionId}/proposals`, draft)) as { proposalId: string }
      for (const [token, answer] of answers) await call(`/proposals/${proposal.proposalId}/response`, answer, token, 'PUT')
      await facilitate(`/proposals/${proposal.proposalId}/close`)
      return proposal.proposalId
    },
  }
}
