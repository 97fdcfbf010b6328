import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../../client/api.ts'
import type { AddedIdea } from '../../shared/intents.ts'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * Someone who sees only the sizes of encrypted traffic (a shared ward network) must not learn an
 * idea's length, a ballot or an answer from them: lengths would match the texts published later.
 */
describe('sizes on the wire', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  /** The response's body bytes as sent, and its parsed JSON. */
  const call = async (path: string, init: { method?: string; body?: unknown; token: string }) => {
    const response = await fetch(server.url + path, {
      method: init.method ?? 'POST',
      headers: { authorization: `Bearer ${init.token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    })
    const bytes = new Uint8Array(await response.arrayBuffer())
    return { status: response.status, size: bytes.length, json: JSON.parse(new TextDecoder().decode(bytes)) as unknown, cacheControl: response.headers.get('cache-control') }
  }

  it('answers a short and a long idea, and their authors’ own lists, with bodies of one size', async () => {
    const workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    const [short, long] = [await joinWorkshop(server, workshop.workshopId), await joinWorkshop(server, workshop.workshopId)]
    const a = await call(`${w}/sections/values/ideas`, { body: { text: 'Kindness' }, token: short.token })
    const b = await call(`${w}/sections/values/ideas`, { body: { text: 'We listen first, and we check back with people about what we heard. '.repeat(7) }, token: long.token })
    expect([a.status, b.status]).toEqual([201, 201])
    expect(a.size).toBe(b.size)
    // Each author's own list, as their device asks for it.
    const ownLists = () =>
      Promise.all(
        ([
          [a, short],
          [b, long],
        ] as const).map(([added, person]) => {
          const { ideaId, authorKey } = (added.json as AddedIdea)
          return call(`${w}/ideas/mine`, { body: { ideas: [{ ideaId, authorKey }] }, token: person.token })
        }),
      )
    const mine = await ownLists()
    expect(mine.map((m) => m.status)).toEqual([200, 200])
    expect((mine[1]!.json as { ideas: { text: string }[] }).ideas[0]!.text.length).toBeGreaterThan(400)
    expect(mine[0]!.size).toBe(mine[1]!.size)

    // A facilitator who writes long promises about one idea (and many updates to them) makes no
    // author's own list any longer: the lists are alike whatever was promised about which idea.
    await call(`${w}/sections/values/reveal`, { body: { publishAnyway: true }, token: workshop.facilitatorKey })
    const target = (b.json as AddedIdea).ideaId
    const promise = await call(`${w}/commitments`, { body: { text: 'P'.repeat(1000), ownerRole: 'Ward manager', ideaIds: [target] }, token: workshop.facilitatorKey })
    expect(promise.status).toBe(201)
    const { commitmentId } = promise.json as { commitmentId: string }
    for (let i = 0; i < 12; i++) await call(`/api/commitments/${commitmentId}/updates`, { body: { status: 'doing', note: 'N'.repeat(1000) }, token: workshop.facilitatorKey })
    const after = await ownLists()
    expect(after.map((m) => m.size)).toEqual([mine[0]!.size, mine[1]!.size])
    // A proxy that compressed the answers would squeeze the padding out: they ask it not to.
    for (const answer of [a, b, ...mine]) expect(answer.cacheControl).toContain('no-transform')
    // Errors too: a refusal is no shorter than an answer.
    const refused = await call(`${w}/sections/values/ideas`, { body: { text: '' }, token: short.token })
    expect(refused.status).toBe(422)
    expect(refused.size).toBe(a.size)
    // A file to download (the facilitator's export) is left as it is.
    const exported = await fetch(`${server.url}${w}/export?format=json`, { headers: { authorization: `Bearer ${workshop.facilitatorKey}` } })
    expect(exported.status).toBe(200)
    const file = await exported.text()
    expect(file).toBe(file.trimEnd() + (file.endsWith('\n') ? '\n' : ''))
  })

  describe('what the app sends', () => {
    let echo: Server
    let url: string
    const received: { length: number; body: unknown }[] = []
    beforeAll(async () => {
      // A plain HTTP server that records the bytes each request carried.
      echo = createServer((request, response) => {
        const chunks: Buffer[] = []
        request.on('data', (chunk: Buffer) => chunks.push(chunk))
        request.on('end', () => {
          const raw = Buffer.concat(chunks)
          received.push({ length: raw.length, body: JSON.parse(raw.toString('utf8')) })
          response.setHeader('content-type', 'application/json')
          response.end('{}')
        })
      })
      await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
      url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())))

    it('pads ideas, ballots and consent answers to one size, unchanged once parsed', async () => {
      const bodies = [{ text: 'Kindness' }, { text: 'ü'.repeat(500) }, { dots: { a: 1, b: 1, c: 1 } }, { dots: {} }, { response: 'agree' }, { response: 'canLiveWith', reason: 'It leaves carers out.' }]
      for (const body of bodies) expect((await callApi(`${url}/x`, { method: 'PUT', body, token: 't' })).ok).toBe(true)
      expect(received.map((r) => r.body)).toEqual(bodies)
      expect(new Set(received.map((r) => r.length)).size).toBe(1)
    })
  })
})
