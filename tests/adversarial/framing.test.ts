import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import {
  awarenessFrame,
  craftUpdate,
  openRaw,
  outcomeOf,
  roomOf,
  sleep,
  syncStep1Frame,
  syncStep2Frame,
  syncUpdateFrame,
  within,
  wsUrl,
} from '../helpers/adversary.ts'
import { boardRecordsOf, connectClient, eventually, shapeRecord, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { scanUpdate } from '../../server/rooms/updateScan.ts'
import { DEFAULT_MAX_UPDATE_PARTS } from '../../server/rooms/SharedDoc.ts'

/**
 * Hostile frames on a board socket. Each is refused on its own socket with a documented close
 * code, nothing reaches the document, the other sockets keep working, and the event loop (the
 * server runs in this process) never stalls. Runs with the default limits (2 MiB frames).
 */

const varUint = (value: number): number[] => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, value)
  return [...encoding.toUint8Array(encoder)]
}

/** A sync-update frame around arbitrary payload bytes. */
const updateFrame = (payload: ArrayLike<number>) => syncUpdateFrame(Uint8Array.from(payload))

/** The bytes lib0 writes for the string `text` as an `any` value. */
const anyString = (text: string) => [0x77, ...varUint(Buffer.byteLength(text)), ...Buffer.from(text)]

/** Replaces the encoding of the string value `marker` inside `update` by `replacement`. */
function spliceAny(update: Uint8Array, marker: string, replacement: number[]): Uint8Array {
  const needle = Buffer.from(anyString(marker))
  const bytes = Buffer.from(update)
  const at = bytes.indexOf(needle)
  if (at < 0) throw new Error('marker not found')
  return Uint8Array.from([...bytes.subarray(0, at), ...replacement, ...bytes.subarray(at + needle.length)])
}

/** Deterministic bytes, so a failure can be replayed. */
function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  let state = seed
  return Uint8Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state >> 16
  })
}

describe('framing: hostile frames on a board socket', () => {
  let server: TestServer
  let workshopId: string
  let token: string
  let watcher: ProviderClient
  let baseline: Y.Doc
  const url = () => wsUrl(server, workshopId, 'board', token)

  beforeAll(async () => {
    server = await startTestServer()
    const workshop = await createWorkshop(server)
    workshopId = workshop.workshopId
    token = (await joinWorkshop(server, workshopId)).token
    watcher = connectClient(server, workshopId, 'board', (await joinWorkshop(server, workshopId)).token)
    await whenSynced(watcher)
    baseline = new Y.Doc()
    Y.applyUpdate(baseline, roomOf(server, workshopId).board.encodeState())
  })
  afterAll(async () => {
    watcher.destroy()
    await server.dispose()
  })

  /** A shape-record update on top of the board, carrying `marker` as a string value. */
  const markedUpdate = (marker: string) => craftUpdate(baseline, (doc) => boardRecordsOf(doc).set('shape:marked', shapeRecord('marked', { meta: { note: marker } })))

  /** Sends `frames` on a fresh socket; resolves with the close code, or 'open' if all were accepted. */
  const closeCodeOf = async (frames: (Buffer | string)[], as = token): Promise<number | 'open'> => {
    const client = await openRaw(wsUrl(server, workshopId, 'board', as))
    for (const frame of frames) client.send(frame)
    const code = await outcomeOf(client)
    client.close()
    return code
  }

  it('refuses every malformed, oversized or unknown frame with its close code, quickly', async () => {
    const deep = 100_000
    const cases: [string, (Buffer | string)[], number][] = [
      ['frame over the 2 MiB limit', [Buffer.alloc(2 * 1024 * 1024 + 1, 0)], CloseCode.messageTooBig],
      ['text frame', ['{"type":"sync"}'], CloseCode.badFrame],
      ['empty frame', [Buffer.alloc(0)], CloseCode.badFrame],
      ['1-byte sync', [Buffer.from([0])], CloseCode.badFrame],
      ['1-byte awareness', [Buffer.from([1])], CloseCode.badFrame],
      ['1-byte 0xff', [Buffer.from([0xff])], CloseCode.badFrame],
      ['unknown message type', [Buffer.from([7, 0, 0])], CloseCode.badFrame],
      ['unknown sync type', [Buffer.from([0, 9, 1, 0])], CloseCode.badFrame],
      ['server-only auth message', [Buffer.from([2, 0, ...Buffer.from('permission denied')])], CloseCode.badFrame],
      ['trailing bytes after a message', [Buffer.from([3, 0, 0])], CloseCode.badFrame],
      ['varint overflow in the message type', [Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])], CloseCode.badFrame],
      ['varint overflow inside an update', [updateFrame([1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])], CloseCode.badFrame],
      ['declared payload length of 2 GiB', [Buffer.from([0, 2, ...varUint(2 ** 31), 1, 2, 3])], CloseCode.badFrame],
      ['string declared 1 GiB long', [updateFrame(spliceAny(markedUpdate('MARK'), 'MARK', [0x77, ...varUint(2 ** 30), 0x61]))], CloseCode.badFrame],
      ['array declared 2^31 items long', [updateFrame(spliceAny(markedUpdate('MARK'), 'MARK', [0x75, ...varUint(2 ** 31), ...anyString('a')]))], CloseCode.badFrame],
      ['awareness naming 2^31 clients', [Buffer.from([1, ...varUint(6), ...varUint(2 ** 31), 1])], CloseCode.badFrame],
      ['awareness state declared 2 GiB long', [Buffer.from([1, ...varUint(9), 1, 1, 1, ...varUint(2 ** 31), 0x7b])], CloseCode.badFrame],
      ['state vector naming 2^31 clients', [syncStep1Frame(Uint8Array.from(varUint(2 ** 31)))], CloseCode.tooLarge],
      [`value nested ${deep} levels deep`, [updateFrame(spliceAny(markedUpdate('MARK'), 'MARK', [...Array(deep).fill([0x75, 0x01]).flat(), 0x7e]))], CloseCode.badFrame],
      ['record nested 1,000 levels deep (decodes, then refused)', [updateFrame(spliceAny(markedUpdate('MARK'), 'MARK', [...Array(1000).fill([0x75, 0x01]).flat(), 0x7e]))], CloseCode.readOnly],
      ['presence nested 100,000 levels deep', [awarenessFrame([[4242, 1, '['.repeat(deep) + ']'.repeat(deep)]])], CloseCode.tooLarge],
    ]
    const results: [string, number | 'open'][] = []
    for (const [name, frames] of cases) results.push([name, await closeCodeOf(frames)])
    expect(results).toEqual(cases.map(([name, , code]) => [name, code]))
    // How long a hostile frame holds the event loop is measured in bench/scenarios/hostile.ts,
    // not here: a timed assertion fails on a busy CI machine without anything being wrong.
  })

  it('refuses truncated updates at every cut and garbage updates, applying nothing', async () => {
    const update = markedUpdate('a shape someone almost sent')
    const truncated = await Promise.all(
      Array.from({ length: update.length - 1 }, (_, cut) => closeCodeOf([updateFrame(update.subarray(0, cut + 1))])),
    )
    // Garbage sometimes happens to spell a valid empty update; that is harmless and ignored.
    const garbage = await Promise.all(Array.from({ length: 150 }, (_, seed) => closeCodeOf([updateFrame(pseudoRandomBytes(seed + 1, 1 + (seed % 97) * 3))])))
    expect(new Set(truncated)).toEqual(new Set([CloseCode.badFrame]))
    for (const code of garbage) expect([CloseCode.badFrame, CloseCode.readOnly, 'open']).toContain(code)
    // Refused as undecodable, or (content types no doc of ours holds) as content the board refuses.
    expect(garbage.filter((code) => code === CloseCode.badFrame || code === CloseCode.readOnly).length).toBeGreaterThan(100)
  })

  it('refuses updates with missing dependencies instead of parking them', async () => {
    // Content that depends on an insert the server never saw.
    const ahead = new Y.Doc()
    Y.applyUpdate(ahead, Y.encodeStateAsUpdate(baseline))
    boardRecordsOf(ahead).set('shape:first', shapeRecord('first'))
    const before = Y.encodeStateVector(ahead)
    boardRecordsOf(ahead).set('shape:second', shapeRecord('second'))
    const dependent = Y.encodeStateAsUpdate(ahead, before)
    // A gap in one client's clocks: Yjs would hold the later part as pending forever.
    const gappy = new Y.Doc()
    Y.applyUpdate(gappy, Y.encodeStateAsUpdate(baseline))
    const updates: Uint8Array[] = []
    gappy.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 3; i++) boardRecordsOf(gappy).set(`shape:gap${i}`, shapeRecord(`gap${i}`))
    const withGap = Y.mergeUpdates([updates[0]!, updates[2]!])
    // A deletion of clocks nobody has written yet.
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, 0)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 987654)
    encoding.writeVarUint(encoder, 1)
    encoding.writeVarUint(encoder, 5)
    encoding.writeVarUint(encoder, 10)
    const futureDelete = encoding.toUint8Array(encoder)

    for (const update of [dependent, withGap, futureDelete]) expect(await closeCodeOf([syncUpdateFrame(update)])).toBe(CloseCode.badFrame)
    const room = roomOf(server, workshopId)
    expect(room.board.doc.store.pendingStructs).toBeNull()
    expect(room.board.doc.store.pendingDs).toBeNull()
  })

  it('drops deeply nested presence that fits the size limit, and a joiner still gets everyone', async () => {
    const client = await openRaw(url())
    client.send(awarenessFrame([[515151, 1, '['.repeat(1500) + ']'.repeat(1500)]]))
    client.send(awarenessFrame([[515151, 2, '{"name":' + '{"a":'.repeat(600) + '1' + '}'.repeat(600) + '}']]))
    await sleep(100)
    expect(client.isOpen).toBe(true)
    const joiner = connectClient(server, workshopId, 'board', token)
    await whenSynced(joiner)
    joiner.provider.awareness.setLocalState({ name: 'Late joiner', color: '#123456', cursor: null, hidden: false })
    await eventually(() => expect(watcher.provider.awareness.getStates().size).toBeGreaterThanOrEqual(2))
    for (const state of watcher.provider.awareness.getStates().values()) expect(JSON.stringify(state).length).toBeLessThan(300)
    joiner.destroy()
    client.close()
  })

  it('counts every value nested in a record against the cap on parts: a million empty objects are refused before Yjs decodes them', async () => {
    // One record whose value holds 1,000,000 empty objects (two bytes each): it used to count as one
    // value, then cost ~1.5 s of decoding, copying and checking before the board guard refused it.
    const flood = spliceAny(markedUpdate('MARK'), 'MARK', [0x75, ...varUint(1_000_000), ...Array<number[]>(1_000_000).fill([0x76, 0x00]).flat()])
    expect(await closeCodeOf([updateFrame(flood)], (await joinWorkshop(server, workshopId)).token)).toBe(CloseCode.tooLarge)
    // Records as people make them stay inside the cap: a move of 1,000 cards at once.
    const honest = new Y.Doc()
    for (let i = 0; i < 1000; i++) boardRecordsOf(honest).set(`shape:honest-${i}`, shapeRecord(`honest-${i}`))
    expect(scanUpdate(Y.encodeStateAsUpdate(honest), DEFAULT_MAX_UPDATE_PARTS, false)).toMatchObject({ ok: true })
  })

  it('refuses a frame of a million GC structs, and Skip structs, before Yjs decodes them', async () => {
    // numClients, numStructs, client, clock, then two bytes per GC struct (info 0, length 1).
    const header = [...varUint(1), ...varUint(1_000_000), ...varUint(777_001), ...varUint(0)]
    const gcFlood = new Uint8Array(header.length + 2_000_000 + 1)
    gcFlood.set(header)
    for (let i = header.length; i < gcFlood.length - 1; i += 2) gcFlood[i + 1] = 1
    const skip = Uint8Array.from([...varUint(1), ...varUint(1), ...varUint(777_002), ...varUint(0), 10, ...varUint(5), 0])
    const fewGcs = Uint8Array.from([...varUint(1), ...varUint(1), ...varUint(777_003), ...varUint(0), 0, ...varUint(3), 0])
    // Live updates never carry GC structs; the sync handshake may, within the cap on parts.
    expect(await closeCodeOf([syncUpdateFrame(gcFlood)])).toBe(CloseCode.badFrame)
    // Another token: the first frame spent this one's byte budget.
    expect(await closeCodeOf([syncStep2Frame(gcFlood)], (await joinWorkshop(server, workshopId)).token)).toBe(CloseCode.tooLarge)
    expect(await closeCodeOf([syncUpdateFrame(skip)])).toBe(CloseCode.badFrame)
    expect(await closeCodeOf([syncUpdateFrame(fewGcs)])).toBe(CloseCode.badFrame)
    const clients = roomOf(server, workshopId).board.doc.store.clients
    for (const client of [777_001, 777_002, 777_003]) expect(clients.has(client)).toBe(false)
  })

  it('answers a few sync requests per token, not one per five-byte frame or per new socket', async () => {
    const client = await openRaw(url())
    // A non-empty state vector: each answer used to be a fresh encode of the whole board.
    const stateVector = Uint8Array.from([...varUint(1), ...varUint(123_456), ...varUint(0)])
    for (let i = 0; i < 50; i++) client.send(syncStep1Frame(stateVector))
    expect(await within(client.closed, 15_000, 'open')).toBe(CloseCode.rateLimited)
    // A burst of three answers (sync step 2), then nothing more was built for it…
    const answers = client.received.filter((frame) => frame[0] === 0 && frame[1] === 1)
    expect(answers.length).toBeLessThanOrEqual(3)
    // …nor a fresh burst for the same token on a fresh socket. The budget refills one answer every
    // 5 s, so on a slow machine one more may be answered by now; a per-socket budget would answer 3.
    const again = await openRaw(url())
    for (let i = 0; i < 4; i++) again.send(syncStep1Frame(stateVector))
    expect(await within(again.closed, 15_000, 'open')).toBe(CloseCode.rateLimited)
    expect(again.received.filter((frame) => frame[0] === 0 && frame[1] === 1).length).toBeLessThan(3)
  })

  it('sends the whole board to a socket at most twice, however often it asks from scratch', async () => {
    const client = await openRaw(wsUrl(server, workshopId, 'board', (await joinWorkshop(server, workshopId)).token))
    const empty = Uint8Array.from([0])
    for (let i = 0; i < 20; i++) client.send(syncStep1Frame(empty))
    expect(await within(client.closed, 15_000, 'open')).toBe(CloseCode.rateLimited)
    expect(client.received.filter((frame) => frame[0] === 0 && frame[1] === 1).length).toBeLessThanOrEqual(2)
  })

  it('leaves the board exactly as it was, and keeps serving everyone else', async () => {
    const room = roomOf(server, workshopId)
    expect(Y.encodeStateVector(room.board.doc)).toEqual(Y.encodeStateVector(baseline))
    expect(watcher.provider.wsconnected).toBe(true)
    boardRecordsOf(watcher.doc).set('shape:after-attacks', shapeRecord('after-attacks'))
    await eventually(() => expect(roomOf(server, workshopId).boardRecords.has('shape:after-attacks')).toBe(true))
  })
})

describe('framing: a flood of structs', () => {
  it('refuses a 1.9 MB update of 100,000 tiny writes, and a second one before decoding it', async () => {
    const server = await startTestServer()
    try {
      const workshop = await createWorkshop(server)
      const { token } = await joinWorkshop(server, workshop.workshopId)
      const base = new Y.Doc()
      Y.applyUpdate(base, roomOf(server, workshop.workshopId).board.encodeState())
      const flood = craftUpdate(base, (doc) => {
        const junk = doc.getMap('junk')
        for (let i = 0; i < 100_000; i++) junk.set(`k${i}`, i)
      })
      expect(flood.length).toBeLessThan(2 * 1024 * 1024)
      const send = async () => {
        const client = await openRaw(wsUrl(server, workshop.workshopId, 'board', token))
        client.send(syncUpdateFrame(flood))
        return { code: await within(client.closed, 20_000, 'open') }
      }
      // The first is counted, not decoded: 100,000 structs is over the cap on parts.
      const first = await send()
      expect(first.code).toBe(CloseCode.tooLarge)
      // The token's byte budget is spent: the next one is refused unread, on a new socket too.
      const second = await send()
      expect(second.code).toBe(CloseCode.rateLimited)
      expect(roomOf(server, workshop.workshopId).board.doc.share.has('junk')).toBe(false)
    } finally {
      await server.dispose()
    }
  })
})
