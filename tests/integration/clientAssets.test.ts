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
  })
})
