import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { inspectUpdate } from './updateInspection.ts'

const serverWith = (source: Y.Doc) => {
  const server = new Y.Doc()
  Y.applyUpdate(server, Y.encodeStateAsUpdate(source))
  return server
}

describe('inspectUpdate', () => {
  it('sees nothing new in an update the doc already has', () => {
    const client = new Y.Doc()
    client.getMap('m').set('a', 1)
    client.getMap('m').delete('a')
    const server = serverWith(client)
    const inspection = inspectUpdate(server, Y.encodeStateAsUpdate(client))
    expect(inspection).toMatchObject({ addsStructs: false, deletesContent: false, missingDependencies: false })
  })

  it('names the author of new structs and notices deletions of live content', () => {
    const client = new Y.Doc()
    client.getMap('m').set('a', 1)
    const server = serverWith(client)
    const sv = Y.encodeStateVector(client)
    client.getMap('m').delete('a')
    const deletion = inspectUpdate(server, Y.encodeStateAsUpdate(client, sv))
    expect(deletion).toMatchObject({ addsStructs: false, deletesContent: true })
    client.getMap('m').set('b', 2)
    const addition = inspectUpdate(server, Y.encodeStateAsUpdate(client, sv))
    expect([...addition.authors]).toEqual([client.clientID])
  })

  it('flags updates that depend on content the doc lacks', () => {
    const client = new Y.Doc()
    client.getArray('a').insert(0, [1])
    const sv = Y.encodeStateVector(client)
    client.getArray('a').insert(1, [2])
    const server = new Y.Doc()
    expect(inspectUpdate(server, Y.encodeStateAsUpdate(client, sv)).missingDependencies).toBe(true)
  })

  it('throws on bytes that are not an update', () => {
    expect(() => inspectUpdate(new Y.Doc(), new Uint8Array([200, 1, 2, 3]))).toThrow()
  })
})
