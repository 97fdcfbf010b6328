import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig, type Limits } from '../../server/config.ts'
import type { ErrorBody } from '../../shared/errors.ts'
import type { CreatedWorkshop, FacilitatorView, JoinedWorkshop } from '../../shared/intents.ts'
import { api, createWorkshop, startTestServer, testLimits, type TestServer } from '../helpers/testServer.ts'

/**
 * Issue 12, items 4, 6 and 8: one browser is one participant with one budget; joins and
 * workshop creation are limited per client; the facilitator can close the door; and a shared
 * address (a hospital proxy) is not one person. A browser here is a device cookie the server
 * handed out on any earlier request, as a browser gets on loading the page.
 */

/** A fresh browser: the device cookie from the server's first answer. */
async function newBrowser(server: { url: string }, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const response = await fetch(`${server.url}/healthz`, { headers })
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith('parity_device='))
  if (!cookie) throw new Error('no device cookie was given')
  return { ...headers, cookie: cookie.split(';')[0]! }
}

const join = (server: TestServer, workshopId: string, headers: Record<string, string> = {}, body: object = {}) =>
  api<JoinedWorkshop & ErrorBody>(server, `/api/workshops/${workshopId}/join`, { body, headers })

/** 403: a participant's key; 401: a key the server no longer knows. */
const keyStatus = async (server: TestServer, workshopId: string, token: string) => (await api(server, `/api/workshops/${workshopId}/facilitator`, { token })).status

const withLimits = (overrides: Partial<Limits>) => startTestServer({ config: { limits: { ...testLimits, ...overrides } } })

describe('one browser, one budget', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(async () => {
    await server.dispose()
  })

  it('gives a browser that has joined no second participant or budget', async () => {
    const workshop = await createWorkshop(server)
    const browser = await newBrowser(server)
    const first = await join(server, workshop.workshopId, browser, { perspective: 'carer' })
    const second = await join(server, workshop.workshopId, browser, { perspective: 'carer' })
    expect([first.status, second.status]).toEqual([201, 409])
    expect(second.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/already joined/) })
    expect(second.body.token).toBeUndefined()
    // The first key still works (its sealed ballot keys stay the same).
    expect(await keyStatus(server, workshop.workshopId, first.body.token)).toBe(403)
    const other = await join(server, workshop.workshopId, await newBrowser(server))
    expect(other.body.participantId).not.toBe(first.body.participantId)
    const view = await api<FacilitatorView>(server, `/api/workshops/${workshop.workshopId}/facilitator`, { token: workshop.facilitatorKey })
    expect(view.body.participantCount).toBe(2)
  })

  it('lets the facilitator close and reopen the door', async () => {
    const workshop = await createWorkshop(server)
    const inside = await newBrowser(server)
    const insider = await join(server, workshop.workshopId, inside)
    const door = (open: boolean, token = workshop.facilitatorKey) => api<ErrorBody>(server, `/api/workshops/${workshop.workshopId}/door`, { body: { open }, token })
    expect((await door(false, insider.body.token)).status).toBe(403)
    expect((await door(false)).status).toBe(200)

    const view = await api<FacilitatorView>(server, `/api/workshops/${workshop.workshopId}/facilitator`, { token: workshop.facilitatorKey })
    expect(view.body).toMatchObject({ doorOpen: false, participantCount: 1 })
    const refused = await join(server, workshop.workshopId, await newBrowser(server))
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('door_closed')
    expect(refused.body.error.message).toMatch(/closed the door/)
    expect((await join(server, workshop.workshopId)).status).toBe(403)
    // Someone already in is told they are in, not that the door is closed.
    expect((await join(server, workshop.workshopId, inside)).status).toBe(409)

    expect((await door(true)).status).toBe(200)
    expect((await join(server, workshop.workshopId, await newBrowser(server))).status).toBe(201)
  })
})

describe('limits on joining and creating', () => {
  it('limits joins per browser, per address without a cookie, and per workshop, with the error format', async () => {
    const server = await withLimits({ joinsPerClientPerMinute: 2, joinsPerAddressPerMinute: 3, joinsPerWorkshopPerMinute: 6 })
    try {
      const workshop = await createWorkshop(server)
      const browser = await newBrowser(server)
      const fromBrowser = [await join(server, workshop.workshopId, browser), await join(server, workshop.workshopId, browser), await join(server, workshop.workshopId, browser)]
      expect(fromBrowser.map((r) => r.status)).toEqual([201, 409, 429])
      expect(fromBrowser[2]!.body.error).toMatchObject({ code: 'rate_limited' })
      const scripted = []
      for (let i = 0; i < 4; i++) scripted.push((await join(server, workshop.workshopId)).status)
      expect(scripted).toEqual([201, 201, 201, 429])
      // 2 + 3 tries so far: the workshop takes one more, then asks everyone to wait.
      const others = []
      for (let i = 0; i < 2; i++) others.push((await join(server, workshop.workshopId, await newBrowser(server))).status)
      expect(others).toEqual([201, 429])
    } finally {
      await server.dispose()
    }
  })

  it('limits creating workshops per client per hour and per day, without stopping anyone else', async () => {
    const server = await withLimits({ workshopsPerClientPerHour: 2, workshopsPerClientPerDay: 3 })
    try {
      const create = (headers: Record<string, string> = {}) => api<CreatedWorkshop & ErrorBody>(server, '/api/workshops', { body: { title: 'Ward 4 plans' }, headers })
      const scripted = [await create(), await create(), await create()]
      expect(scripted.map((r) => r.status)).toEqual([201, 201, 429])
      expect(scripted[2]!.body.error.code).toBe('rate_limited')
      expect(scripted[2]!.body.error.message).toMatch(/last hour/)
      // Someone else on the same address is not held up by it.
      const browser = await newBrowser(server)
      expect((await create(browser)).status).toBe(201)
      const dayServer = await withLimits({ workshopsPerClientPerHour: 100, workshopsPerClientPerDay: 3 })
      try {
        const statuses = []
        let last: ErrorBody | null = null
        for (let i = 0; i < 4; i++) {
          const response = await api<ErrorBody>(dayServer, '/api/workshops', { body: { title: 'Ward 4 plans' } })
          statuses.push(response.status)
          last = response.body
        }
        expect(statuses).toEqual([201, 201, 201, 429])
        expect(last?.error.message).toMatch(/today/)
      } finally {
        await dayServer.dispose()
      }
    } finally {
      await server.dispose()
    }
  })
})

describe('making workshops and programmes from one address', () => {
  it('caps what one address makes, however many device cookies it collects, and counts programmes too', async () => {
    const server = await withLimits({ workshopsPerClientPerHour: 2, workshopsPerClientPerDay: 100 })
    try {
      const statuses: number[] = []
      // A fresh device cookie every two workshops: each device stays within its own limit.
      for (let i = 0; i < 6; i++) {
        const browser = await newBrowser(server)
        for (let j = 0; j < 2; j++) statuses.push((await api(server, '/api/workshops', { body: { title: 'Ward 4 plans' }, headers: browser })).status)
      }
      // Five devices' worth from the address, then no more.
      expect(statuses).toEqual([...Array(10).fill(201), 429, 429])
      const programme = await api<ErrorBody>(server, '/api/programmes', { body: { title: 'Another one' }, headers: await newBrowser(server) })
      expect([programme.status, programme.body.error.code]).toEqual([429, 'rate_limited'])
    } finally {
      await server.dispose()
    }
  })
})

describe('a programme’s size', () => {
  it('holds at most workshopsPerProgramme workshops: its page reads every one per request', async () => {
    const server = await withLimits({ workshopsPerProgramme: 2 })
    try {
      const programme = await api<{ programmeId: string; programmeKey: string }>(server, '/api/programmes', { body: { title: 'Ward 4 year' } })
      const inIt = () => api<ErrorBody>(server, '/api/workshops', { body: { title: 'Month', programmeId: programme.body.programmeId }, token: programme.body.programmeKey })
      const statuses = [(await inIt()).status, (await inIt()).status]
      const third = await inIt()
      expect([...statuses, third.status, third.body.error.code]).toEqual([201, 201, 429, 'limit_reached'])
    } finally {
      await server.dispose()
    }
  })
})

describe('a shared address is not one person', () => {
  it('slows down the browser guessing codes, never the people beside it', async () => {
    const server = await withLimits({ codeFailuresPerLockout: 5, codeLookupsPerMinute: 1000, codeFailuresPerAddress: 9 })
    try {
      const workshop = await createWorkshop(server)
      const honest = await newBrowser(server)
      const guesser = await newBrowser(server)
      const guesses = []
      for (let i = 0; i < 8; i++) guesses.push((await api(server, `/api/join-codes/ZZZZZ${i}`, { headers: guesser })).status)
      expect(guesses.slice(0, 5)).toEqual([404, 404, 404, 404, 404])
      expect(guesses.slice(5)).toEqual([429, 429, 429])
      // A lucky guess is not confirmed while it waits…
      expect((await api(server, `/api/join-codes/${workshop.joinCode}`, { headers: guesser })).status).toBe(429)
      // …and the person beside it, behind the same address, is not held up at all.
      expect((await api(server, `/api/join-codes/${workshop.joinCode}`, { headers: honest })).status).toBe(200)
      // Guessing without a cookie slows that address's cookie-less clients, no one with a browser.
      for (let i = 0; i < 10; i++) await api(server, `/api/join-codes/YYYYY${i}`)
      expect((await api(server, `/api/join-codes/${workshop.joinCode}`)).status).toBe(429)
      expect((await api(server, `/api/join-codes/${workshop.joinCode}`, { headers: honest })).status).toBe(200)
      // Past the address's limit the guesser cannot become someone new: no new device cookies.
      const response = await fetch(`${server.url}/healthz`)
      expect(response.headers.getSetCookie().some((line) => line.startsWith('parity_device='))).toBe(false)
    } finally {
      await server.dispose()
    }
  })

  it('caps wrong codes per address, so device cookies gathered beforehand do not add up to millions of guesses', async () => {
    // 2 wrong codes per address stop new cookies; 5 × 2 = 10 stop guessing from that address at all.
    const server = await withLimits({ codeFailuresPerLockout: 60, codeLookupsPerMinute: 1000, codeFailuresPerAddress: 2 })
    try {
      const workshop = await createWorkshop(server)
      const stockpile = []
      for (let i = 0; i < 12; i++) stockpile.push(await newBrowser(server))
      const statuses = []
      for (const [i, browser] of stockpile.entries()) statuses.push((await api(server, `/api/join-codes/QQQQQ${i}`, { headers: browser })).status)
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404))
      expect(statuses.slice(10)).toEqual([429, 429])
      // Past the cap, even the right code is not confirmed from this address (the join link still works).
      expect((await api(server, `/api/join-codes/${workshop.joinCode}`, { headers: stockpile[0]! })).status).toBe(429)
    } finally {
      await server.dispose()
    }
  })

  it('tells addresses apart by X-Forwarded-For only behind a trusted proxy (TRUST_PROXY)', async () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxyHops).toBe(1)
    expect(loadConfig({}).trustProxyHops).toBe(0)
    const limits = { ...testLimits, codeFailuresPerLockout: 2, codeLookupsPerMinute: 1000 }
    for (const trustProxyHops of [1, 0]) {
      const server = await startTestServer({ config: { trustProxyHops, limits } })
      try {
        const workshop = await createWorkshop(server)
        const from = (address: string) => ({ 'x-forwarded-for': `203.0.113.9, ${address}` })
        for (let i = 0; i < 3; i++) await api(server, `/api/join-codes/WWWWW${i}`, { headers: from('10.0.0.1') })
        const neighbour = (await api(server, `/api/join-codes/${workshop.joinCode}`, { headers: from('10.0.0.2') })).status
        // Trusted: a different person. Not trusted: the header is anyone's to write, so ignored.
        expect([trustProxyHops, neighbour]).toEqual([trustProxyHops, trustProxyHops === 1 ? 200 : 429])
      } finally {
        await server.dispose()
      }
    }
  })
})
