import { describe, expect, it } from 'vitest'
import { BoardRoot } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { eventually, serverPerTest, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop } from '../helpers/testServer.ts'

/**
 * Fan-out through the per-room tick with real y-websocket providers. Those providers send back
 * every awareness change they apply (remote ones too), so a busy room answers each tick with
 * an echo naming many clients: the server must read its own entry and ignore the rest, not
 * close the socket.
 */
type Shape = ReturnType<typeof geoShape>

/** A rectangle exactly as tldraw writes one (the board guard runs tldraw's validators). */
const geoShape = (id: string, x: number, y: number) => ({
  id,
  typeName: 'shape' as const,
  type: 'geo' as const,
  parentId: 'page:page',
  index: 'a1',
  x,
  y,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: {},
  props: {
    geo: 'rectangle',
    dash: 'draw',
    url: '',
    w: 200,
    h: 120,
    growY: 0,
    scale: 1,
    labelColor: 'black',
    color: 'black',
    fill: 'none',
    size: 'm',
    font: 'draw',
    align: 'middle',
    verticalAlign: 'middle',
    richText: { type: 'doc', content: [{ type: 'paragraph', content: [] }] },
    flipX: false,
    flipY: false,
  },
})

describe('fan-out tick with real providers', () => {
  const fixture = serverPerTest()

  it('keeps a room of 14 present people connected, with every cursor and every edit everywhere', async () => {
    const { server } = fixture
    const clients: ProviderClient[] = []
    const workshop = await createWorkshop(server)
    const closes: number[] = []
    for (let i = 0; i < 14; i++) {
      const { token } = await joinWorkshop(server, workshop.workshopId)
      const client = fixture.connect(workshop.workshopId, 'board', token)
      client.provider.on('connection-close', (event: CloseEvent | null) => {
        if (event) closes.push(event.code)
      })
      client.provider.awareness.setLocalState({ name: `P${i}`, color: '#336699', cursor: [i, i], hidden: false })
      clients.push(client)
      await whenSynced(client)
    }
    // Everyone moves a cursor and a shape at once; the server merges each tick into one frame per peer.
    const boards = clients.map((client) => new KeyValueArray<Shape>(client.doc.getArray(BoardRoot.records)))
    for (let round = 1; round <= 5; round++) {
      clients.forEach((client, i) => {
        client.provider.awareness.setLocalStateField('cursor', [i * 100 + round, round])
        boards[i]!.set(`shape:p${i}`, geoShape(`shape:p${i}`, round, i * 200))
      })
    }
    await eventually(() => {
      for (const client of clients) {
        expect(client.provider.wsconnected).toBe(true)
        const board = boards[clients.indexOf(client)]!
        for (let i = 0; i < 14; i++) expect(board.get(`shape:p${i}`)?.x).toBe(5)
        const cursors = [...client.provider.awareness.getStates().values()].map((state) => (state as { cursor?: number[] }).cursor?.[0])
        for (let i = 0; i < 14; i++) expect(cursors).toContain(i * 100 + 5)
      }
    }, 10_000)
    expect(closes).toEqual([])
  })
})
