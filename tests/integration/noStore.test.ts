import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * A browser's disk cache kept a participant's ballot after they left and cleared a shared
 * tablet (December insider review). No answer under /api may be stored: not someone's own
 * answers, not errors, not downloads. The app's own files may be.
 */
describe('answers under /api are never kept in a cache', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  const cacheControl = async (path: string, token?: string) => {
    const response = await fetch(server.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
    await response.arrayBuffer()
    return { status: response.status, cache: response.headers.get('cache-control') ?? '' }
  }

  it('sends no-store on own answers, errors and downloads, and lets the app’s files be cached', async () => {
    const workshop = await createWorkshop(server)
    const person = await joinWorkshop(server, workshop.workshopId)
    const w = `/api/workshops/${workshop.workshopId}`
    const answers = await Promise.all([
      cacheControl(`${w}/sections/values/ballot`, person.token),
      cacheControl(`${w}/wellbeing/mine`, person.token),
      cacheControl(`${w}/export?format=md`, workshop.facilitatorKey),
      cacheControl(`${w}/sections/values/ballot`, 'not-a-token'),
      cacheControl('/api/nothing-here'),
    ])
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401, 404])
    for (const answer of answers) expect(answer.cache.split(/,\s*/)).toEqual(expect.arrayContaining(['no-store', 'no-transform']))
    const page = await cacheControl('/favicon.svg')
    expect(page.cache).not.toContain('no-store')
  })
})
