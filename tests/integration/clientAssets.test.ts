import { readFileSync } from 'node:fs'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/testServer.ts'

/** What a phone downloads before it can add an idea: the entry script from index.html. */
const entryScript = () => {
  const match = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(readFileSync('dist/index.html', 'utf8'))
  if (!match) throw new Error('no entry script in dist/index.html (run `npx vite build`)')
  return match[1]!
}

describe('client assets', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.dispose())

  it('sends compressed copies to browsers that accept them, the same bytes once decoded', async () => {
    const path = entryScript()
    const plain = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } })
    const raw = Buffer.from(await plain.arrayBuffer())
    expect(plain.headers.get('content-encoding')).toBeNull()

    for (const [encoding, decode] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': encoding } })
      expect(response.headers.get('content-encoding')).toBe(encoding)
      expect(response.headers.get('vary')).toMatch(/accept-encoding/i)
      expect(response.headers.get('cache-control')).toContain('immutable')
      const wire = Number(response.headers.get('content-length'))
      expect(wire).toBeGreaterThan(0)
      expect(wire).toBeLessThan(raw.length / 2)
      // fetch() decodes the body itself; the copy on disk must decode to the same bytes too.
      expect(Buffer.from(await response.arrayBuffer()).equals(raw)).toBe(true)
      expect(decode(readFileSync(`dist${path}.${encoding === 'br' ? 'br' : 'gz'}`)).equals(raw)).toBe(true)
    }
  })

  it('keeps the canvas code out of what the list view loads first', () => {
    const entry = readFileSync(`dist${entryScript()}`, 'utf8')
    // tldraw's editor lives in a chunk loaded only when the board opens.
    expect(entry).not.toMatch(/TLDRAW_LICENSE|tl-canvas/)
    // Request validation (zod) is the server's: the client needs only labels and limits.
    expect(entry).not.toMatch(/ZodError|\$Zod/)
  })

  it('names the welcome on the join page, so it arrives with the script, and only there', async () => {
    const page = async (path: string) => (await fetch(`${server.url}${path}`)).text()
    expect(await page('/w/Abc_123-x/join')).toContain('<link rel="preload" as="fetch" crossorigin href="/api/workshops/Abc_123-x/welcome">')
    for (const path of ['/w/Abc_123-x', '/', '/w/Abc_123-x/facilitate', `/w/${'a'.repeat(65)}/join`, '/w/%22%3E%3Cscript%3E/join'])
      expect(await page(path)).not.toContain('rel="preload"')
  })

  it('answers a missing script with a JSON 404, not the page (a stale tab then says it did not load)', async () => {
    const response = await fetch(`${server.url}/assets/FacilitatePage-gone.js`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found')
    // Pages still come back as the app.
    expect((await fetch(`${server.url}/w/some-workshop`)).headers.get('content-type')).toContain('text/html')
  })
})
