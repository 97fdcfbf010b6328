import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/closeCodes.ts'
import { FACILITATOR_PRESENCE_NAME, PSEUDONYM_MAX_CHARS } from '../../shared/presence.ts'
import { awarenessFrame, openRaw, sleep, syncStep1Frame, within, wsUrl, type RawClient } from '../helpers/adversary.ts'
import { connectClient, eventually, presenceNamed, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * Presence from a hostile socket. (Renaming Alice from Mallory's socket and announcing a foreign
 * clientID are in tests/integration/anonymity.test.ts; these extend them.)
 */

/** Every awareness entry a raw client has received, in order: [clientId, clock, stateJson]. */
function awarenessEntries(client: RawClient): [number, number, string][] {
  const entries: [number, number, string][] = []
  for (const frame of client.received) {
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== 1) continue
    const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder))
    const count = decoding.readVarUint(inner)
    for (let i = 0; i < count; i++) entries.push([decoding.readVarUint(inner), decoding.readVarUint(inner), decoding.readVarString(inner)])
  }
  return entries
}

const awarenessFrameCount = (client: RawClient) => client.received.filter((frame) => frame[0] === 1).length

const presence = (name: string, cursor: [number, number] | null = null, presenceKey?: number) => JSON.stringify({ name, color: '#336699', cursor, hidden: false, presenceKey })

describe('presence under attack', () => {
  let server: TestServer
  let workshopId: string
  let facilitatorKey: string
  let alice: ProviderClient
  let aliceToken: string
  let malloryToken: string
  const sockets: RawClient[] = []
  beforeAll(async () => {
    server = await startTestServer()
    const created = await createWorkshop(server)
    workshopId = created.workshopId
    facilitatorKey = created.facilitatorKey
    aliceToken = (await joinWorkshop(server, workshopId)).token
    malloryToken = (await joinWorkshop(server, workshopId)).token
    alice = connectClient(server, workshopId, 'board', aliceToken)
    await whenSynced(alice)
    alice.provider.awareness.setLocalState({ name: 'Alice', color: '#1f4e79', cursor: [10, 10], hidden: false })
  })
  afterAll(async () => {
    alice.destroy()
    for (const socket of sockets) socket.close()
    await server.dispose()
  })
  const raw = async (token: string) => {
    const socket = await openRaw(wsUrl(server, workshopId, 'board', token))
    sockets.push(socket)
    return socket
  }
  /** What a newcomer is told about everyone present, by presence key. */
  const newcomerView = async () => {
    const newcomer = await raw(aliceToken)
    newcomer.send(Buffer.from([3]))
    await eventually(() => expect(awarenessFrameCount(newcomer)).toBeGreaterThan(0))
    await sleep(50)
    const latest = new Map<number, string>()
    for (const [clientId, , json] of awarenessEntries(newcomer)) latest.set(clientId, json)
    newcomer.close()
    return latest
  }

  it('never lets one socket rename or remove another participant’s presence', async () => {
    const mallory = await raw(malloryToken)
    mallory.send(awarenessFrame([[777001, 1, presence('Mallory')]]))
    // Now bound to 777001: every entry about Alice is ignored, renames and removals alike.
    mallory.send(awarenessFrame([[alice.doc.clientID, 1000, presence('Alice (fake)')]]))
    mallory.send(awarenessFrame([[alice.doc.clientID, 1001, 'null']]))
    mallory.send(awarenessFrame([[777001, 2, presence('Mallory')], [alice.doc.clientID, 1002, 'null']]))
    await sleep(150)
    const view = await newcomerView()
    const names = [...view.values()].filter((json) => json !== 'null').map((json) => (JSON.parse(json) as { name: string }).name)
    expect(names.filter((name) => name.startsWith('Alice'))).toEqual(['Alice'])
    expect(view.has(alice.doc.clientID)).toBe(false)
    mallory.close()
  })

  it('keeps at most one presence per socket however many ghost clientIDs it sends', async () => {
    const mallory = await raw(malloryToken)
    let ghost = 900_000
    for (let message = 0; message < 500; message++) {
      const entries: [number, number, string][] = Array.from({ length: 8 }, () => [ghost++, 1, presence(`ghost ${ghost}`)])
      mallory.send(awarenessFrame(entries))
    }
    await sleep(300)
    const view = await newcomerView()
    const ghosts = [...view.values()].filter((json) => json.includes('ghost'))
    expect(ghosts.length).toBeLessThanOrEqual(1)
    expect(alice.provider.awareness.getStates().size).toBeLessThanOrEqual(3)
    mallory.close()
  })

  it('refuses a megabyte presence state and trims long names, and a joiner still gets everyone', async () => {
    const heavy = await raw(malloryToken)
    heavy.send(awarenessFrame([[777002, 1, JSON.stringify({ name: 'x'.repeat(1024 * 1024), color: '#000000' })]]))
    expect(await within(heavy.closed, 15_000, 'open')).toBe(CloseCode.tooLarge)

    const nested = await raw(malloryToken)
    nested.send(awarenessFrame([[777003, 1, '{"presenceKey":877003,"name":' + '['.repeat(1500) + ']'.repeat(1500) + '}']]))
    nested.send(awarenessFrame([[777003, 2, JSON.stringify({ name: 'N'.repeat(3000), color: 'red; background:url(x)', cursor: [NaN, 1e300], extra: { deep: [[[[1]]]] }, presenceKey: 877003 })]]))
    await sleep(100)
    expect(nested.isOpen).toBe(true)

    // The stock y-websocket server re-encodes stored states for a joining client, and dies on
    // deeply nested ones. Ours stores only rebuilt, allowlisted states.
    const joiner = connectClient(server, workshopId, 'board', aliceToken)
    await whenSynced(joiner)
    await eventually(() => expect(joiner.provider.awareness.getStates().get(877003)).toBeDefined())
    const state = joiner.provider.awareness.getStates().get(877003) as Record<string, unknown>
    expect(state).toEqual({ name: 'N'.repeat(PSEUDONYM_MAX_CHARS), color: '#6b7280', cursor: null, hidden: false })
    expect(presenceNamed(joiner, 'Alice')).toBeDefined()
    joiner.destroy()
    nested.close()
  })

  it('coalesces an awareness flood for everyone else and closes the flooder past its rate', async () => {
    const watcher = await raw(aliceToken)
    watcher.send(syncStep1Frame())
    await sleep(50)
    const before = awarenessFrameCount(watcher)
    const flooder = await raw(malloryToken)
    for (let clock = 1; clock <= 500; clock++) flooder.send(awarenessFrame([[777004, clock, presence('Flood', [clock, clock], 877004)]]))
    await eventually(() => {
      const last = awarenessEntries(watcher).filter(([key]) => key === 877004).at(-1)
      expect(last?.[1]).toBe(500)
    })
    // 500 cursor moves reached the watcher as far fewer frames, ending at the last position.
    expect(awarenessFrameCount(watcher) - before).toBeLessThan(100)
    expect(flooder.isOpen).toBe(true)

    // Past the per-socket rate (a burst of two seconds' worth) the flooder is closed.
    for (let clock = 501; clock <= 3000 && flooder.isOpen; clock++) flooder.send(awarenessFrame([[777004, clock, presence('Flood', [clock, 0], 877004)]]))
    expect(await within(flooder.closed, 15_000, 'open')).toBe(CloseCode.rateLimited)
    // Its presence goes with it, and Alice is unaffected.
    await eventually(() => expect(awarenessEntries(watcher).filter(([key]) => key === 877004).at(-1)?.[2]).toBe('null'))
    expect(alice.provider.wsconnected).toBe(true)
    watcher.close()
  })

  it('labels the facilitator’s pointer “Facilitator”, and lets nobody else take that name', async () => {
    const facilitator = connectClient(server, workshopId, 'board', facilitatorKey)
    const pretender = connectClient(server, workshopId, 'board', malloryToken)
    try {
      await Promise.all([whenSynced(facilitator), whenSynced(pretender)])
      facilitator.provider.awareness.setLocalState({ name: 'Calm Otter', color: '#1f4e79', cursor: [1, 1], hidden: false, presenceKey: 515001 })
      pretender.provider.awareness.setLocalState({ name: 'Facilitator', color: '#1f4e79', cursor: [2, 2], hidden: false, presenceKey: 515002 })
      const nameSeenByAlice = (presenceKey: number) => (alice.provider.awareness.getStates().get(presenceKey) as { name?: string } | undefined)?.name
      await eventually(() => {
        expect(nameSeenByAlice(515001)).toBe(FACILITATOR_PRESENCE_NAME)
        expect(nameSeenByAlice(515002)).toBe('Guest')
      })
    } finally {
      facilitator.destroy()
      pretender.destroy()
    }
  })
})
