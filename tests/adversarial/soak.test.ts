import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { JoinedWorkshop } from '../../shared/intents.ts'
import { awarenessFrame, craftUpdate, forceGc, openRaw, roomOf, sleep, syncStep1Frame, syncUpdateFrame, wsUrl } from '../helpers/adversary.ts'
import { boardRecordsOf, connectClient, eventually, shapeRecord, whenSynced } from '../helpers/clients.ts'
import { createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * 1,000 connect/disconnect cycles against one loaded room: afterwards the process holds the
 * same handles and timers as before, and the heap is back near where it started. A watcher
 * stays connected throughout, so the room never unloads and cannot hide a per-socket leak.
 */

const CYCLES = 1000
const CONCURRENCY = 10

/** Active handles and timers by kind, e.g. { TCPSocketWrap: 4, Timeout: 3 }. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1
  return counts
}

async function settledHeap(): Promise<number> {
  // Let closing sockets finish and fan-out ticks run before measuring.
  await sleep(200)
  forceGc()
  await sleep(50)
  forceGc()
  return process.memoryUsage().heapUsed
}

describe('soak', () => {
  // ~6 s on an idle machine; the timeout leaves room for a busy one.
  it(`returns to baseline after ${CYCLES} connect/disconnect cycles`, { timeout: 120_000 }, async () => {
    const server: TestServer = await startTestServer()
    try {
      const workshop = await createWorkshop(server)
      const people: JoinedWorkshop[] = []
      for (let i = 0; i < 10; i++) people.push(await joinWorkshop(server, workshop.workshopId))
      const watcher = connectClient(server, workshop.workshopId, 'board', workshop.facilitatorKey)
      await whenSynced(watcher)
      const base = new Y.Doc()
      Y.applyUpdate(base, roomOf(server, workshop.workshopId).board.encodeState())

      /** One visit: connect, sync, announce presence, sometimes draw, leave (or vanish). */
      const visit = async (n: number) => {
        // Shifted every ten visits, so the visits that draw (every tenth) come from everyone in turn:
        // one person reloading a hundred times in seconds is refused new writers (SharedDoc).
        const person = people[(n + Math.floor(n / 10)) % people.length]!
        const socket = await openRaw(wsUrl(server, workshop.workshopId, n % 2 === 0 ? 'board' : 'state', person.token))
        const clientId = 1_000_000 + n
        socket.send(syncStep1Frame())
        socket.send(awarenessFrame([[clientId, 1, JSON.stringify({ name: `Visitor ${n}`, color: '#123456', cursor: [n, n], hidden: false })]]))
        if (n % 2 === 0 && n % 10 === 0) socket.send(syncUpdateFrame(craftUpdate(base, (doc) => boardRecordsOf(doc).set(`shape:v${n}`, shapeRecord(`v${n}`)), clientId)))
        await sleep(1)
        if (n % 3 === 0) socket.close()
        else socket.ws.close(1000)
        await socket.closed
      }
      const run = async (from: number, count: number) => {
        let next = from
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < from + count) await visit(next++)
          }),
        )
      }

      // Warm up (JIT, pools, first-use allocations), then take the baseline.
      await run(0, 100)
      await eventually(() => expect(roomOf(server, workshop.workshopId).connectionCount).toBe(1))
      const heapBefore = await settledHeap()
      const before = resources()

      await run(100, CYCLES)
      await eventually(() => expect(roomOf(server, workshop.workshopId).connectionCount).toBe(1))
      const heapAfter = await settledHeap()
      const after = resources()

      // The visits did happen: the board has their shapes, the watcher saw them.
      await eventually(() => expect(boardRecordsOf(watcher.doc).has(`shape:v${100 + CYCLES - 10}`)).toBe(true))
      for (const kind of new Set([...Object.keys(before), ...Object.keys(after)])) {
        expect([kind, (after[kind] ?? 0) <= (before[kind] ?? 0) + 2]).toEqual([kind, true])
      }
      // The 100 shapes drawn and the room's bounded per-actor books account for ~2 MB.
      expect(heapAfter - heapBefore).toBeLessThan(5 * 1024 * 1024)
      watcher.destroy()
    } finally {
      await server.dispose()
    }
  })
})
