import { describe, expect, it } from 'vitest'
import { serverPerTest, whenSynced } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

/**
 * Keepalive is the websocket layer's, whatever the database: run once (it waits 36 s), not again
 * with the integration tests on PostgreSQL.
 */
describe('a quiet socket', () => {
  const fixture = serverPerTest({ captureLogs: true })
  const connect = fixture.connect.bind(fixture)

  it('keeps a quiet state doc’s socket open past y-websocket’s 30-second silence limit', { timeout: 60_000 }, async () => {
    const { server } = fixture
    const workshop = await createWorkshop(server)
    const alice = await joinWorkshop(server, workshop.workshopId)
    const client = connect(workshop.workshopId, 'state', alice.token)
    await whenSynced(client)
    // As the app does on the state doc: no presence, so nothing flows while nobody acts.
    client.provider.awareness.setLocalState(null)
    let closes = 0
    client.provider.on('connection-close', () => closes++)
    await new Promise((resolve) => setTimeout(resolve, 36_000))
    expect(closes).toBe(0)
  })
})
