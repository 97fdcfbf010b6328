import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import { sendOwnPresenceOnly } from '../../client/sync/ownPresenceOnly.ts'
import { awarenessFrame, openRaw, wsUrl } from '../helpers/adversary.ts'
import { eventually, presenceNamed, serverPerTest, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

const MESSAGE_AWARENESS = 1

/** The clientIDs named in an outgoing frame, if it is an awareness message. */
function awarenessIdsIn(frame: Uint8Array): number[] {
  const decoder = decoding.createDecoder(frame)
  if (decoding.readVarUint(decoder) !== MESSAGE_AWARENESS) return []
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
  const ids: number[] = []
  for (let count = decoding.readVarUint(update); count > 0; count--) {
    ids.push(decoding.readVarUint(update))
    decoding.readVarUint(update)
    decoding.readVarString(update)
  }
  return ids
}

describe('presence sent by the browser client', () => {
  const fixture = serverPerTest()

  /** Three people in one board; returns the ids the listener's socket sent presence for, and the keys it holds the others under. */
  async function roomOfThree(ownOnly: boolean) {
    const { server } = fixture
    const workshop = await createWorkshop(server)
    const people = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
    const [a, b, listener] = people.map((person) => {
      const client = fixture.connect(workshop.workshopId, 'board', person.token)
      if (ownOnly) sendOwnPresenceOnly(client.provider)
      return client
    }) as [ProviderClient, ProviderClient, ProviderClient]
    await Promise.all([a, b, listener].map((client) => whenSynced(client)))
    const sent: number[] = []
    const socket = listener.provider.ws!
    const send = socket.send.bind(socket)
    socket.send = (data: Parameters<typeof socket.send>[0]) => {
      sent.push(...awarenessIdsIn(new Uint8Array(data as ArrayBuffer)))
      send(data)
    }
    listener.provider.awareness.setLocalState({ name: 'Listener', color: '#333333', cursor: [0, 0], hidden: false })
    for (let move = 1; move <= 5; move++) {
      a.provider.awareness.setLocalState({ name: 'A', color: '#123456', cursor: [move, move], hidden: false })
      b.provider.awareness.setLocalState({ name: 'B', color: '#654321', cursor: [move, -move], hidden: false })
    }
    // Wait until the listener holds both others' last cursor.
    await eventually(() => {
      expect(presenceNamed(listener, 'A')).toMatchObject({ cursor: [5, 5] })
      expect(presenceNamed(listener, 'B')).toMatchObject({ cursor: [5, -5] })
    })
    const others = [...listener.provider.awareness.getStates()].filter(([, state]) => ['A', 'B'].includes((state as { name: string }).name)).map(([key]) => key)
    return { sent, own: listener.doc.clientID, others }
  }

  it('sends only its own presence, never echoes of other people’s', async () => {
    const { sent, own } = await roomOfThree(true)
    expect(sent).toContain(own)
    expect(sent.filter((id) => id !== own)).toEqual([])
  })

  it('(control) the stock provider does echo others, which is what the client must not do', async () => {
    const { sent, others } = await roomOfThree(false)
    expect(sent.some((id) => others.includes(id))).toBe(true)
  })
})

describe('presence on the two docs', () => {
  const fixture = serverPerTest()

  /** The keys the server holds presence under after `clientId` announced some (asking for `presenceKey`) on `doc`. */
  async function announced(doc: 'board' | 'state', clientId: number, presenceKey?: number): Promise<number[]> {
    const { server } = fixture
    const workshop = await createWorkshop(server)
    const person = await joinWorkshop(server, workshop.workshopId)
    const client = await openRaw(wsUrl(server, workshop.workshopId, doc, person.token))
    try {
      const answer = new Promise<Buffer>((resolve) => client.ws.on('message', (data: Buffer) => data[0] === MESSAGE_AWARENESS && resolve(data)))
      client.send(awarenessFrame([[clientId, 1, JSON.stringify({ name: 'Ash', color: '#123456', cursor: [1, 2], hidden: false, presenceKey })]]))
      // Frames are handled in order: the answer to this query comes after the announcement.
      client.send(Buffer.from([3]))
      return awarenessIdsIn(new Uint8Array(await answer))
    } finally {
      client.close()
    }
  }

  it('keeps cursors on the board, under the key the page asked for', async () => {
    expect(await announced('board', 4242, 5151)).toEqual([5151])
  })

  it('never files a cursor under the clientID that writes to the board, even when asked to', async () => {
    const [unasked] = await announced('board', 4242)
    expect(unasked).toBeGreaterThan(0)
    expect(unasked).not.toBe(4242)
    const [asked] = await announced('board', 4242, 4242)
    expect(asked).not.toBe(4242)
  })

  it('keeps none on the read-only state doc, which has nothing to point at', async () => {
    expect(await announced('state', 4242, 5151)).toEqual([])
  })
})
