import { afterEach, describe, expect, it, vi } from 'vitest'
import { CloseCode } from '../../shared/closeCodes.ts'
import { silentLogger } from '../logger.ts'
import { openDatabase } from '../storage/database.ts'
import { DocStore } from '../storage/DocStore.ts'
import { UpdateWriter } from '../storage/UpdateWriter.ts'
import { COMPACT_TRIM_ROWS } from './Room.ts'
import { RoomDiscarded, RoomLoadError } from './roomErrors.ts'
import { RoomRegistry } from './RoomRegistry.ts'
import * as Y from 'yjs'

const setup = (
  unloadGraceMs = 20,
  compact: { compactIntervalMs: number; compactSliceMs?: number } = { compactIntervalMs: 60_000 },
  auth: { authRecheckMs?: number; currentActors?: (workshopId: string) => ReadonlyMap<string, string> | null; changedElsewhere?: () => boolean; onGone?: (workshopId: string) => void } = {},
) => {
  const db = openDatabase(':memory:')
  const docs = new DocStore(db)
  const writer = new UpdateWriter(db, docs, 10, () => undefined)
  const registry = new RoomRegistry(
    { db, docs, writer, log: silentLogger, messagesPerSecond: 100, compactAfterUpdates: 5 },
    { unloadGraceMs, pingIntervalMs: 60_000, ...compact, ...auth },
  )
  return { db, docs, writer, registry }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('RoomRegistry', () => {
  let registry: RoomRegistry | null = null
  afterEach(() => registry?.shutdown())

  it('loads a room once, keeps it while held and unloads it after the grace period', async () => {
    const setupResult = setup()
    registry = setupResult.registry
    const first = registry.acquire('w1')
    const second = registry.acquire('w1')
    expect(first).toBe(second)
    registry.release(first)
    await wait(40)
    expect(registry.isLoaded('w1')).toBe(true)
    registry.release(second)
    await wait(40)
    expect(registry.isLoaded('w1')).toBe(false)
  })

  it('cancels the unload when someone comes back within the grace period', async () => {
    registry = setup(50).registry
    registry.release(registry.acquire('w1'))
    await wait(10)
    const again = registry.acquire('w1')
    await wait(80)
    expect(registry.isLoaded('w1')).toBe(true)
    registry.release(again)
  })

  it('saves edits on unload and reads them back on the next load', async () => {
    const setupResult = setup()
    registry = setupResult.registry
    const room = registry.acquire('w1')
    room.board.doc.transact(() => room.board.doc.getMap('m').set('kept', true), room.board)
    // Writes from a client come through the doc's update handler; simulate one with a plain write.
    registry.release(room)
    await wait(60)
    expect(registry.isLoaded('w1')).toBe(false)
    const reloaded = registry.acquire('w1')
    expect(reloaded.board.doc.getMap('m').get('kept')).toBe(true)
    registry.release(reloaded)
  })

  it('drops a workshop’s queued edits when another process deleted it, so none are written back', async () => {
    const { db, registry: created } = setup(20, undefined, { currentActors: () => null })
    registry = created
    const room = registry.acquire('w1')
    room.board.doc.transact(() => room.board.doc.getMap('m').set('written after the deletion', true), room.board)
    // The re-check finds the workshop gone before the writer's next flush.
    registry.recheck('w1')
    expect(registry.isLoaded('w1')).toBe(false)
    await wait(40)
    expect(db.prepare("SELECT COUNT(*) AS n FROM doc_updates WHERE workshop_id = 'w1'").get()).toEqual({ n: 0 })
  })

  it('compacts many rooms a slice at a time, letting other work run in between', async () => {
    const setupResult = setup(20, { compactIntervalMs: 30, compactSliceMs: 0 })
    registry = setupResult.registry
    const ids = ['w1', 'w2', 'w3', 'w4', 'w5']
    const rooms = ids.map((id) => registry!.acquire(id))
    for (const room of rooms) for (let i = 0; i < 6; i++) room.board.doc.getMap('m').set('k', i)
    setupResult.writer.flush()
    const stored = () => ids.filter((id) => setupResult.docs.load(id, 'board').updateCount > 0).length
    expect(stored()).toBe(5)
    // Sample between event-loop turns until everything is compacted.
    const seen = new Set<number>()
    while (stored() > 0) {
      seen.add(stored())
      await new Promise((resolve) => setImmediate(resolve))
    }
    // Other work ran while the pass was only part done.
    expect([...seen].some((count) => count > 0 && count < 5)).toBe(true)
    for (const room of rooms) {
      expect(room.board.doc.getMap('m').get('k')).toBe(5)
      registry.release(room)
    }
    expect(setupResult.docs.load('w3', 'board').updates.length).toBe(1)
  })

  it('deletes a compacted room’s rows in small steps, other rooms’ work running between them', async () => {
    const setupResult = setup(20, { compactIntervalMs: 30, compactSliceMs: 0 })
    registry = setupResult.registry
    const room = registry.acquire('w1')
    const edits = COMPACT_TRIM_ROWS * 2 + 7
    for (let i = 0; i < edits; i++) room.board.doc.getMap('m').set(`k${i}`, i)
    setupResult.writer.flush()
    const stored = () => setupResult.docs.load('w1', 'board').updateCount
    expect(stored()).toBe(edits)
    const seen = new Set<number>()
    while (stored() > 0) {
      seen.add(stored())
      await new Promise((resolve) => setImmediate(resolve))
    }
    // Never all at once: at most one step's worth of rows went between two looks.
    const counts = [...seen].sort((a, b) => b - a)
    expect(counts.length).toBeGreaterThanOrEqual(3)
    for (let i = 1; i < counts.length; i++) expect(counts[i - 1]! - counts[i]!).toBeLessThanOrEqual(COMPACT_TRIM_ROWS)
    registry.release(room)
    const restored = new Y.Doc()
    for (const update of setupResult.docs.load('w1', 'board').updates) Y.applyUpdate(restored, update)
    expect(restored.getMap('m').size).toBe(edits)
  })

  it('deletes every covered row when a room unloads part way through a trim', async () => {
    const setupResult = setup(20)
    registry = setupResult.registry
    const room = registry.acquire('w1')
    for (let i = 0; i < COMPACT_TRIM_ROWS * 2 + 7; i++) room.board.doc.getMap('m').set(`k${i}`, i)
    setupResult.writer.flush()
    expect(room.compactStep()).toBe(true) // snapshot written
    expect(room.compactStep()).toBe(true) // one step of rows deleted, more to go
    registry.release(room)
    await wait(60)
    expect(registry.isLoaded('w1')).toBe(false)
    expect(setupResult.docs.load('w1', 'board').updateCount).toBe(0)
  })

  it('refuses to open a room whose stored data is unreadable, and leaves the data alone', () => {
    const setupResult = setup()
    registry = setupResult.registry
    setupResult.docs.append('w1', 'board', new Uint8Array([1, 2, 3, 4, 5, 250, 250]))
    expect(() => registry!.acquire('w1')).toThrow(RoomLoadError)
    expect(registry.isLoaded('w1')).toBe(false)
    expect(setupResult.docs.load('w1', 'board').updateCount).toBe(1)
  })

  it('re-checks access once per workshop, not once per socket, and closes only revoked sockets', async () => {
    const actors = new Map([
      ['facilitator', 'f-key'],
      ['participant:a', 'a-key'],
      ['participant:b', 'b-key'],
    ])
    const asked: string[] = []
    registry = setup(20, undefined, {
      authRecheckMs: 10,
      currentActors: (workshopId) => {
        asked.push(workshopId)
        return workshopId === 'w1' ? actors : null
      },
    }).registry
    const closed: { actor: string; code: number }[] = []
    const socket = (actor: string) => ({ send: () => undefined, ping: () => undefined, bufferedAmount: 0, close: (code: number) => closed.push({ actor, code }) })
    const room = registry.acquire('w1')
    for (const actor of ['participant:a', 'participant:a', 'participant:b', 'facilitator']) {
      for (const doc of [room.board, room.state]) doc.connect(socket(actor), actor).setCredential(actors.get(actor)!)
    }
    asked.length = 0
    registry.recheck('w1')
    expect(asked).toEqual(['w1'])
    expect(closed).toEqual([])
    actors.delete('participant:a')
    await wait(30)
    expect(closed.map((entry) => entry.actor)).toEqual(['participant:a', 'participant:a', 'participant:a', 'participant:a'])
    // A key that changed (revoked and reissued) no longer matches its sockets.
    actors.set('participant:b', 'b-new-key')
    registry.recheck('w1')
    expect(closed.filter((entry) => entry.actor === 'participant:b')).toHaveLength(2)
    expect(new Set(closed.map((entry) => entry.code))).toEqual(new Set([CloseCode.unauthorized]))
    // A workshop that is gone (deleted, e.g. by the operator's CLI) loses every socket with 4410,
    // and its room is dropped without being saved.
    const gone = registry.acquire('w2')
    gone.board.connect(socket('facilitator'), 'facilitator')
    registry.recheck('w2')
    expect(closed.at(-1)).toEqual({ actor: 'facilitator', code: CloseCode.workshopDeleted })
    expect(registry.isLoaded('w2')).toBe(false)
    registry.release(room)
    registry.release(gone)
  })

  it('tells the server to forget a workshop another process deleted, as a delete here does', () => {
    const gone: string[] = []
    registry = setup(20, undefined, { currentActors: () => null, onGone: (workshopId) => gone.push(workshopId) }).registry
    registry.release(registry.acquire('w1'))
    registry.recheck('w1')
    expect(gone).toEqual(['w1'])
    expect(registry.isLoaded('w1')).toBe(false)
  })

  it('skips re-check passes while nobody else has written to storage', async () => {
    const asked: string[] = []
    let elsewhere = false
    registry = setup(20, undefined, {
      authRecheckMs: 5,
      currentActors: (workshopId) => (asked.push(workshopId), new Map()),
      changedElsewhere: () => elsewhere,
    }).registry
    const room = registry.acquire('w1')
    await wait(40)
    expect(asked).toEqual([])
    elsewhere = true
    await vi.waitFor(() => expect(asked).toContain('w1'))
    registry.release(room)
  })
  it('refuses a commit into a room let go, even one let go part way through the commit', () => {
    const { db, registry: made } = setup()
    registry = made
    db.exec('CREATE TABLE marks (mark TEXT)')
    const mark = db.prepare('INSERT INTO marks (mark) VALUES (?)')
    const marks = () => (db.prepare('SELECT mark FROM marks').all() as { mark: string }[]).map((row) => row.mark)
    const room = registry.acquire('w1')
    // Ownership lost while this request held the room: a nested acquire noticed and let go.
    expect(() =>
      room.commit(
        () => {
          mark.run('during')
          registry!.relinquishAll()
        },
        { state: (doc) => doc.getMap('m').set('written', true) },
      ),
    ).toThrow(RoomDiscarded)
    expect(() => room.commit(() => mark.run('after'))).toThrow(RoomDiscarded)
    expect(marks()).toEqual([])
    registry.release(room)
    const again = registry.acquire('w1')
    expect(again).not.toBe(room)
    expect(again.state.doc.getMap('m').get('written')).toBeUndefined()
    registry.release(again)
  })
})
