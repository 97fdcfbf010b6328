import { afterAll, beforeAll } from 'vitest'
import type { TestBrowser } from './browser.ts'
import { startTestServer, type TestServer, type TestServerOptions } from './testServer.ts'

/**
 * One server for the calling browser-test file, and a list where tests put the browsers they
 * open; all are closed after the file's last test.
 */
export function serverWithBrowsers(options?: TestServerOptions) {
  let current: TestServer | null = null
  const browsers: TestBrowser[] = []
  beforeAll(async () => {
    current = await startTestServer(options)
  })
  afterAll(async () => {
    for (const browser of browsers) await browser.close()
    await current?.dispose()
  })
  return {
    browsers,
    get server(): TestServer {
      if (!current) throw new Error('the test server exists only inside a test')
      return current
    },
  }
}
