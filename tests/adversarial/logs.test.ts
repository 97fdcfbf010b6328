import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import { craftUpdate, openRaw, outcomeOf, roomOf, syncUpdateFrame, wsUrl } from '../helpers/adversary.ts'
import { boardRecordsOf, shapeRecord } from '../helpers/clients.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * Logs carry codes and sizes, never what someone sent: refused board content used to be echoed
 * (`got "javascript:alert(…)"`) through tldraw's validator message.
 */
describe('logs during hostile input', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ captureLogs: true })
  })
  afterAll(async () => {
    await server.dispose()
  })

  it('name the refusal but quote none of the hostile content', async () => {
    const workshop = await createWorkshop(server)
    const { token } = await joinWorkshop(server, workshop.workshopId)
    const base = new Y.Doc()
    Y.applyUpdate(base, roomOf(server, workshop.workshopId).board.encodeState())
    const push = async (update: Uint8Array) => {
      const client = await openRaw(wsUrl(server, workshop.workshopId, 'board', token))
      client.send(syncUpdateFrame(update))
      const code = await outcomeOf(client)
      client.close()
      return code
    }
    const geo = (id: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const record = shapeRecord(id, extra)
      return { ...record, props: { ...record.props, ...props } }
    }
    const hostile: Uint8Array[] = [
      craftUpdate(base, (doc) => boardRecordsOf(doc).set('shape:h1', geo('h1', { url: 'javascript:alert("HOSTILE-URL")' }))),
      craftUpdate(base, (doc) => boardRecordsOf(doc).set('shape:h2', geo('h2', { color: 'HOSTILE-COLOUR' }))),
      craftUpdate(base, (doc) => boardRecordsOf(doc).set('shape:h3', geo('h3', {}, { x: 'HOSTILE-X' }))),
      craftUpdate(base, (doc) => boardRecordsOf(doc).set('user:HOSTILE-ID', { id: 'user:HOSTILE-ID', typeName: 'user', name: 'HOSTILE-NAME' })),
      craftUpdate(base, (doc) => doc.getText('HOSTILE-ROOT').insert(0, 'HOSTILE-TEXT')),
    ]
    for (const update of hostile) expect([CloseCode.readOnly, CloseCode.badFrame]).toContain(await push(update))
    // Bytes that are not a sensible update, carrying the marker.
    expect([CloseCode.readOnly, CloseCode.badFrame]).toContain(await push(Uint8Array.from([1, 1, ...Buffer.from('HOSTILE-BYTES')])))
    // HTTP: bodies that fail validation or parsing.
    await api(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: 12, note: 'HOSTILE-BODY' }, token })
    await api(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { rawBody: '{"text": "HOSTILE-JSON', token })

    const refusals = server.logs.filter((line) => line.includes('ws.refused') || line.includes('ws.bad_frame'))
    expect(refusals.length).toBeGreaterThanOrEqual(hostile.length)
    expect(server.logs.filter((line) => line.includes('HOSTILE'))).toEqual([])
  })
})
