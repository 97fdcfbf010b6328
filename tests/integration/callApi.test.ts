import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../../client/api.ts'

/** The app's HTTP client against a server that stops answering, as a dying connection does. */
describe('the app’s requests over a connection that stops answering', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume()
      if (request.url === '/silent') return // never answers
      if (request.url === '/half') {
        // Headers, then nothing more.
        response.writeHead(200, { 'content-type': 'application/json' })
        response.write('{"ok":')
        return
      }
      response.setHeader('content-type', 'application/json')
      response.end('{"ok":true}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server.closeAllConnections()
    return new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('reports a request with no answer, or an answer cut short, as not sent, instead of waiting for ever', async () => {
    for (const path of ['/silent', '/half']) {
      const result = await callApi(`${url}${path}`, { body: { text: 'An idea' }, timeoutMs: 300 })
      expect(result).toMatchObject({ ok: false, status: 0 })
    }
    expect(await callApi(`${url}/fine`, { body: { text: 'An idea' }, timeoutMs: 300 })).toEqual({ ok: true, value: { ok: true } })
  })
})
