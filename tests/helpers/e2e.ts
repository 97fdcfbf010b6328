import { afterAll, beforeAll } from 'vitest'
import type { TestBrowser } from './browser.ts'
import { connectClient, whenSynced } from './clients.ts'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer, type TestServerOptions } from './testServer.ts'

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

/**
 * A workshop with two participants: `other` on the board through a real provider (synced), and
 * `viewer`, whose page the test opens. Destroy `other` when done.
 */
export async function someoneElseOnTheBoard(server: TestServer) {
  const workshop = await createWorkshop(server)
  const [otherPerson, viewer] = [await joinWorkshop(server, workshop.workshopId), await joinWorkshop(server, workshop.workshopId)]
  const other = connectClient(server, workshop.workshopId, 'board', otherPerson.token)
  await whenSynced(other)
  return { workshop, viewer, other }
}
