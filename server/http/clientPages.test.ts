import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../config.ts'
import { clientPages } from './clientPages.ts'

describe('the client page', () => {
  it('serves a rebuilt index.html without a restart, with the settings put in', async () => {
    const clientDir = mkdtempSync(join(tmpdir(), 'parity-client-'))
    const index = join(clientDir, 'index.html')
    writeFileSync(index, '<head><!--parity-settings--></head><script src="/assets/old.js"></script>')
    const app = clientPages({ ...defaultConfig, clientDir, tldrawLicenseKey: null })
    const body = async () => (await app.request('/w/abc')).text()
    expect(await body()).toContain('/assets/old.js')
    writeFileSync(index, '<head><!--parity-settings--></head><script src="/assets/new.js"></script>')
    // A build a moment later on a coarse clock still counts as a change.
    utimesSync(index, new Date(), new Date(Date.now() + 5_000))
    const now = await body()
    expect(now).toContain('/assets/new.js')
    expect(now).toContain('name="parity-settings"')
  })
})
