import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { callApi } from './api.ts'

/** A real HTTP server answering from a script: one status (and maybe Retry-After) per request. */
async function scripted(answers: { status: number; retryAfter?: string }[]): Promise<{ url: string; hits: () => number; server: Server }> {
  let hits = 0
  const server = createServer((_request, response) => {
    const answer = answers[Math.min(hits++, answers.length - 1)]!
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (answer.retryAfter) headers['retry-after'] = answer.retryAfter
    response.writeHead(answer.status, headers)
    response.end(JSON.stringify(answer.status === 200 ? { done: true } : { error: { code: 'unavailable', message: 'Moving.' } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`, hits: () => hits, server }
}

describe('callApi', () => {
  let server: Server | null = null
  afterEach(() => server?.close())

  it('sends again after a 503 that carries Retry-After (nothing was done), and returns the answer', async () => {
    const s = await scripted([{ status: 503, retryAfter: '1' }, { status: 503, retryAfter: '1' }, { status: 200 }])
    server = s.server
    const result = await callApi<{ done: boolean }>(s.url, { body: { a: 1 } })
    expect(result).toEqual({ ok: true, value: { done: true } })
    expect(s.hits()).toBe(3)
  })

  it('does not repeat a 503 without Retry-After (it may have been done)', async () => {
    const s = await scripted([{ status: 503 }, { status: 200 }])
    server = s.server
    const result = await callApi(s.url, { body: {} })
    expect(result).toMatchObject({ ok: false, status: 503, code: 'unavailable' })
    expect(s.hits()).toBe(1)
  })

  it('gives up after four repeats', { timeout: 10_000 }, async () => {
    const s = await scripted([{ status: 503, retryAfter: '0.01' }])
    server = s.server
    const result = await callApi(s.url)
    expect(result).toMatchObject({ ok: false, status: 503 })
    expect(s.hits()).toBe(5)
  })
})
