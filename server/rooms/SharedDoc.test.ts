import * as encoding from 'lib0/encoding'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import { DocName } from '../../shared/docs.ts'
import { silentLogger } from '../logger.ts'
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeSyncUpdate } from './protocol.ts'
import { SharedDoc } from './SharedDoc.ts'
import type { SocketLike } from './SocketLike.ts'

function fakeSocket() {
  const socket = {
    bufferedAmount: 0,
    closedWith: null as number | null,
    send() {},
    close(code: number) {
      socket.closedWith = code
    },
    ping() {},
  }
  return socket satisfies SocketLike
}

/** Writers by clientID: each call adds a new entry, so every update carries something new. */
const writers = new Map<number, Y.Doc>()
function updateFrom(clientId: number): Uint8Array {
  let client = writers.get(clientId)
  if (!client) {
    client = new Y.Doc()
    client.clientID = clientId
    writers.set(clientId, client)
  }
  client.getMap('m').set(`k${client.getMap('m').size}`, clientId)
  return encodeSyncUpdate(Y.encodeStateAsUpdate(client))
}

describe('SharedDoc client ids', () => {
  const newDoc = () =>
    new SharedDoc({ name: DocName.board, readOnly: false, log: silentLogger, workshopId: 'w', messagesPerSecond: 1000 }, { persistClientUpdate() {}, acceptsWrites: () => true })

  /** Opens a socket for `actor`, writes under `clientId`, and reports whether it was refused. */
  const write = (doc: SharedDoc, actor: string, clientId: number, stayOpen = false) => {
    const socket = fakeSocket()
    const connection = doc.connect(socket, actor)
    doc.receive(connection, updateFrom(clientId))
    if (!stayOpen) doc.disconnect(connection)
    return socket.closedWith !== null
  }

  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('remembers an actor’s last 64 ids, never one a live socket writes under, and keeps them from others', () => {
    writers.clear()
    const doc = newDoc()
    let now = performance.now()
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    // The first socket stays open; then the actor reconnects in a loop with a new id each time
    // (a page load every 5 s: new writers beyond a burst of 64 come at that pace).
    expect(write(doc, 'participant:a', 1000, true)).toBe(false)
    for (let id = 1001; id <= 1070; id++) {
      now += 5_000
      expect(write(doc, 'participant:a', id)).toBe(false)
    }
    // Another actor may not write under an id still remembered for the first…
    expect(write(doc, 'participant:b', 1070)).toBe(true)
    expect(write(doc, 'participant:b', 1010)).toBe(true)
    // …nor under the live socket's, however old; the oldest idle ones were forgotten.
    expect(write(doc, 'participant:b', 1000)).toBe(true)
    expect(write(doc, 'participant:b', 1001)).toBe(false)
    expect(write(doc, 'participant:b', 1006)).toBe(false)
  })

  it('takes at most 64 writers new to the doc at once from an actor, then one per 5 s', () => {
    writers.clear()
    const doc = newDoc()
    let now = performance.now()
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    // The sync handshake may carry content of writers the server lost; made-up ones by the thousand cost every later edit.
    // As the handshake's step 2 (live updates may carry one writer only: the socket's own).
    const many = (from: number, count: number) =>
      encodeSyncStep2(
        Y.mergeUpdates(
          Array.from({ length: count }, (_, i) => {
            const writer = new Y.Doc()
            writer.clientID = from + i
            writer.getMap('m').set('k', i)
            return Y.encodeStateAsUpdate(writer)
          }),
        ),
      )
    const send = (actor: string, update: Uint8Array) => {
      const socket = fakeSocket()
      doc.receive(doc.connect(socket, actor), update)
      return socket.closedWith
    }
    expect(send('participant:a', many(5000, 65))).toBe(CloseCode.tooLarge)
    expect(send('participant:a', many(6000, 64))).toBeNull()
    expect(send('participant:a', many(7000, 1))).toBe(CloseCode.tooLarge)
    now += 5_000
    expect(send('participant:a', many(7000, 1))).toBeNull()
    // Writers the doc already has cost nothing; another person has a budget of their own.
    expect(send('participant:a', many(6000, 64))).toBeNull()
    expect(send('participant:b', many(8000, 3))).toBeNull()
  })

  it('answers a socket’s “who is here” question once per 5 s, with one encoding shared until presence changes', () => {
    // One-byte questions drew 400 KB answers, each encoded afresh (December robustness review).
    vi.useFakeTimers({ now: 1_000_000 })
    try {
      const doc = newDoc()
      const listen = () => {
        const sent: Uint8Array[] = []
        const connection = doc.connect({ ...fakeSocket(), send: (data: Uint8Array) => void sent.push(data) }, 'participant:q')
        sent.length = 0
        return { connection, sent }
      }
      const question = Uint8Array.from([3])
      const one = listen()
      const two = listen()
      for (let i = 0; i < 50; i++) doc.receive(one.connection, question)
      doc.receive(two.connection, question)
      expect(one.sent).toHaveLength(1)
      expect(two.sent[0]).toBe(one.sent[0])
      vi.advanceTimersByTime(5_000)
      doc.receive(one.connection, question)
      expect(one.sent).toHaveLength(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it('refuses a state vector naming far more writers than the doc has, and answers an honest one', () => {
    const doc = newDoc()
    const answered = (stateVector: Uint8Array) => {
      let sent = 0
      const socket = fakeSocket()
      const connection = doc.connect({ ...socket, send: () => void sent++, close: (code: number) => socket.close(code) }, 'participant:c')
      const before = sent
      doc.receive(connection, encodeSyncStep1(stateVector))
      return { closedWith: socket.closedWith, answers: sent - before }
    }
    const made = encoding.createEncoder()
    encoding.writeVarUint(made, 5_000)
    for (let client = 1; client <= 5_000; client++) {
      encoding.writeVarUint(made, client)
      encoding.writeVarUint(made, 1)
    }
    expect(answered(encoding.toUint8Array(made))).toEqual({ closedWith: CloseCode.tooLarge, answers: 0 })
    const honest = new Y.Doc()
    honest.clientID = 99
    honest.getMap('m').set('k', 1)
    expect(answered(Y.encodeStateVector(honest))).toEqual({ closedWith: null, answers: 1 })
  })

  it('lets an actor come back under an id it used before, and nobody else', () => {
    writers.clear()
    const doc = newDoc()
    expect(write(doc, 'participant:a', 7)).toBe(false)
    expect(write(doc, 'participant:b', 8)).toBe(false)
    expect(write(doc, 'participant:a', 7)).toBe(false)
    expect(write(doc, 'participant:b', 7)).toBe(true)
    expect(write(doc, 'participant:a', 8)).toBe(true)
  })

  it('hands an id to the same person’s newer socket (a phone that changed networks), closing the old one', () => {
    writers.clear()
    const doc = newDoc()
    const stale = fakeSocket()
    doc.receive(doc.connect(stale, 'participant:a'), updateFrom(7))
    expect(stale.closedWith).toBeNull()
    // Another person still may not write under it while the old socket lives…
    expect(write(doc, 'participant:b', 7)).toBe(true)
    expect(stale.closedWith).toBeNull()
    // …but the same person's new socket takes it over, and the old one goes.
    expect(write(doc, 'participant:a', 7, true)).toBe(false)
    expect(stale.closedWith).toBe(CloseCode.replaced)
    expect(doc.connectionCount).toBe(1)
  })
})

describe('SharedDoc inbound budget', () => {
  it('closes a token that spreads a flood of tiny messages over many sockets, each under its own limit', () => {
    const doc = new SharedDoc(
      { name: DocName.board, readOnly: false, log: silentLogger, workshopId: 'w', messagesPerSecond: 300, inbound: { bytesPerSecond: 512 * 1024, burstBytes: 2 * 1024 * 1024 } },
      { persistClientUpdate() {}, acceptsWrites: () => true },
    )
    const sockets = Array.from({ length: 8 }, () => fakeSocket())
    const connections = sockets.map((socket) => doc.connect(socket, 'participant:a'))
    const tiny = encodeAwareness([])
    // 8 × 400 messages at once: each socket stays within its own 2-second burst (600)...
    for (let round = 0; round < 400; round++) for (const connection of connections) doc.receive(connection, tiny)
    // ...but together they are far more than one person sends: the token is refused.
    expect(sockets.some((socket) => socket.closedWith === CloseCode.rateLimited)).toBe(true)
    // Someone else in the room is unaffected.
    const other = fakeSocket()
    doc.receive(doc.connect(other, 'participant:b'), tiny)
    expect(other.closedWith).toBeNull()
  })
})
