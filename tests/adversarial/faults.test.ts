import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { SqliteDb } from '../../server/storage/database.ts'
import { BoardRoot } from '../../shared/docs.ts'
import type { CreatedWorkshop, JoinedWorkshop } from '../../shared/intents.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { readSection, readState } from '../../shared/stateDoc.ts'
import { roomOf, sleep } from '../helpers/adversary.ts'
import { boardRecordsOf, connectClient, eventually, shapeRecord, upgradeStatus, whenSynced } from '../helpers/clients.ts'
import { freePort, killHard, spawnServer } from '../helpers/serverProcess.ts'
import { api, createWorkshop, joinWorkshop, startTestServer , testStorage } from '../helpers/testServer.ts'

/** The board as stored on disk: snapshot plus updates, applied to a fresh doc. */
function storedBoard(dbFile: string, workshopId: string): KeyValueArray<Record<string, unknown>> {
  const db = new Database(dbFile, { readonly: true })
  try {
    const doc = new Y.Doc()
    const rows = db
      .prepare("SELECT data FROM doc_snapshots WHERE workshop_id = ? AND doc_name = 'board' UNION ALL SELECT data FROM doc_updates WHERE workshop_id = ? AND doc_name = 'board'")
      .all(workshopId, workshopId) as { data: Buffer }[]
    for (const row of rows) Y.applyUpdate(doc, new Uint8Array(row.data))
    return new KeyValueArray<Record<string, unknown>>(doc.getArray(BoardRoot.records))
  } finally {
    db.close()
  }
}

/** The disk is full: SQLite may not grow the file by a single page. */
function fillDisk(db: SqliteDb): void {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
}

/**
 * Uses up the free space left inside the file too: every intent appends its state update to
 * doc_updates, so once that table cannot take another row the next write needs a new page.
 */
function fillFreeSpace(db: SqliteDb): void {
  const fill = db.prepare("INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES ('test-filler', 'none', ?)")
  for (const size of [4096, 512, 64, 8]) {
    for (;;) {
      try {
        fill.run(Buffer.alloc(size))
      } catch (error) {
        expect((error as { code?: string }).code).toBe('SQLITE_FULL')
        break
      }
    }
  }
}

function freeDisk(db: SqliteDb): void {
  db.prepare("DELETE FROM doc_updates WHERE workshop_id = 'test-filler'").run()
  db.pragma('max_page_count = 1073741823')
}

describe('faults: stopping, bad data, a full disk', () => {
  // Starts the real server twice (~2 s each when the machine is idle).
  it('drains on SIGTERM: writes queued edits, closes sockets with 1012, and clients come back', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parity-sigterm-'))
    const port = await freePort()
    const base = { url: `http://127.0.0.1:${port}` }
    let server = await spawnServer({ dataDir, port })
    try {
      const workshop = (await api<CreatedWorkshop>(base, '/api/workshops', { body: { title: 'Drain' } })).body
      const person = (await api<JoinedWorkshop>(base, `/api/workshops/${workshop.workshopId}/join`, { body: {} })).body
      const client = connectClient(base, workshop.workshopId, 'board', person.token)
      await whenSynced(client)
      const closed = new Promise<number>((resolve) => client.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))
      // Edits made right before the signal sit in the 100 ms write queue.
      const records = boardRecordsOf(client.doc)
      for (let i = 0; i < 20; i++) records.set(`shape:late-${i}`, shapeRecord(`late-${i}`))
      await sleep(20)
      server.child.kill('SIGTERM')
      expect(await closed).toBe(CloseCode.serviceRestart)
      expect(await server.exited).toEqual({ code: 0, signal: null })
      expect(server.lines.some((line) => line.includes('"server.stopping"'))).toBe(true)
      // On disk before the process ended, not re-sent by the client.
      const stored = storedBoard(join(dataDir, 'parity.sqlite'), workshop.workshopId)
      for (let i = 0; i < 20; i++) expect(stored.has(`shape:late-${i}`)).toBe(true)

      server = await spawnServer({ dataDir, port })
      await eventually(() => expect(client.provider.wsconnected && client.provider.synced).toBe(true), 10_000)
      records.set('shape:after-restart', shapeRecord('after-restart'))
      const other = connectClient(base, workshop.workshopId, 'board', person.token)
      await whenSynced(other)
      await eventually(() => expect(boardRecordsOf(other.doc).has('shape:after-restart')).toBe(true))
      other.destroy()
      client.destroy()
    } finally {
      await killHard(server)
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses to open a workshop whose saved data is unreadable, clearly, and never overwrites it', async () => {
    let server = await startTestServer({ captureLogs: true })
    try {
      const healthy = await createWorkshop(server)
      const broken = await createWorkshop(server)
      const { token } = await joinWorkshop(server, broken.workshopId)
      // Damage the stored board while the room is not in memory (as after a restart).
      await eventually(() => expect(server.rooms.isLoaded(broken.workshopId)).toBe(false))
      // Garbage where an update should be, and an update that depends on content never stored.
      const orphan = new Y.Doc()
      orphan.getArray('records').insert(0, ['x'])
      const before = Y.encodeStateVector(orphan)
      orphan.getArray('records').insert(1, ['y'])
      const insert = server.db.prepare("INSERT INTO doc_updates (workshop_id, doc_name, data) VALUES (?, 'board', ?)")
      insert.run(broken.workshopId, Buffer.from([1, 2, 3, 250, 251]))
      insert.run(broken.workshopId, Buffer.from(Y.encodeStateAsUpdate(orphan, before)))
      const storedRows = () =>
        (server.db.prepare('SELECT seq, data FROM doc_updates WHERE workshop_id = ? ORDER BY seq').all(broken.workshopId) as { seq: number; data: Buffer }[]).map((row) => ({ seq: row.seq, data: row.data.toString('hex') }))
      const rowsBefore = storedRows()

      expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/ws/${broken.workshopId}/board?token=${token}`)).toBe(503)
      const idea = await api<{ error: { message: string } }>(server, `/api/workshops/${broken.workshopId}/sections/values/ideas`, { body: { text: 'Kept safe' }, token })
      expect(idea.status).toBe(503)
      expect(idea.body.error.message).toMatch(/saved data is unreadable/)
      expect(server.rooms.isLoaded(broken.workshopId)).toBe(false)
      expect(server.logs.some((line) => line.includes('"room.load_failed"') && line.includes(broken.workshopId))).toBe(true)
      // Other workshops are unaffected.
      const other = await joinWorkshop(server, healthy.workshopId)
      expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/ws/${healthy.workshopId}/board?token=${other.token}`)).toBe(101)

      server = await server.restart()
      expect(storedRows()).toEqual(rowsBefore)
      expect(await upgradeStatus(`${server.url.replace('http', 'ws')}/ws/${broken.workshopId}/board?token=${token}`)).toBe(503)
      expect(storedRows()).toEqual(rowsBefore)
    } finally {
      await server.dispose()
    }
  })

  // Fills SQLite's file to its page limit; PostgreSQL out of reach is tested in tests/cluster.
  it.skipIf(testStorage === 'postgres')('shows “not saved” while the disk is full, corrupts nothing, and saves everything once it frees up', async () => {
    let server = await startTestServer({ captureLogs: true, config: { persistFlushMs: 20 } })
    try {
      const workshop = await createWorkshop(server)
      const alice = await joinWorkshop(server, workshop.workshopId)
      const bob = await joinWorkshop(server, workshop.workshopId)
      const a = connectClient(server, workshop.workshopId, 'board', alice.token)
      const b = connectClient(server, workshop.workshopId, 'board', bob.token)
      await Promise.all([whenSynced(a), whenSynced(b)])
      expect(await api(server, '/healthz')).toEqual({ status: 200, body: { ok: true, storage: 'ok', bus: 'none' } })

      fillDisk(server.db as SqliteDb)
      const records = boardRecordsOf(a.doc)
      const filler = 'z'.repeat(2000)
      let n = 0
      await eventually(async () => {
        records.set(`shape:full-${n}`, shapeRecord(`full-${n}`, { meta: { filler } }))
        n++
        expect((await api(server, '/healthz')).status).toBe(503)
      }, 10_000)
      expect((await api(server, '/healthz')).body).toEqual({ ok: false, storage: 'failing', bus: 'none' })
      expect(server.logs.some((line) => line.includes('"storage.flush_failed"'))).toBe(true)
      fillFreeSpace(server.db as SqliteDb)
      // Intents are refused plainly, with nothing half-written.
      const idea = await api<{ error: { message: string } }>(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: 'While full' }, token: bob.token })
      expect(idea.status).toBe(503)
      expect(idea.body.error.message).toMatch(/could not be saved/)
      // People still see each other's edits live while saving is failing.
      await eventually(() => expect(boardRecordsOf(b.doc).has(`shape:full-${n - 1}`)).toBe(true))

      // Space again: the held edits are written on the next retry.
      freeDisk(server.db as SqliteDb)
      await eventually(async () => expect(await api(server, '/healthz')).toEqual({ status: 200, body: { ok: true, storage: 'ok', bus: 'none' } }), 10_000)
      expect((server.db as SqliteDb).pragma('integrity_check', { simple: true })).toBe('ok')
      const drawn = [...records.keys()].filter((key) => key.startsWith('shape:full-'))
      a.destroy()
      b.destroy()
      server = await server.restart()
      const board = roomOf(server, workshop.workshopId).boardRecords
      for (const key of drawn) expect(board.has(key)).toBe(true)
      const section = server.rooms.withRoom(workshop.workshopId, (room) => readSection(room.state.doc, 'values'))
      const pending = server.db.prepare("SELECT COUNT(*) AS n FROM ideas WHERE workshop_id = ? AND status = 'pending'").get(workshop.workshopId) as { n: number }
      expect(pending.n).toBe(0)
      expect(section?.pendingCount).toBe(0)
    } finally {
      await server.dispose()
    }
  })

  it.skipIf(testStorage === 'postgres')('publishes a batch of ideas that storage refused once storage recovers, with nobody acting', { timeout: 60_000 }, async () => {
    const server = await startTestServer({ captureLogs: true, config: { ideaBatchIntervalMs: 3_000 } })
    try {
      const workshop = await createWorkshop(server)
      const people = await Promise.all([0, 1, 2].map(() => joinWorkshop(server, workshop.workshopId)))
      const pending = () => (server.db.prepare("SELECT COUNT(*) AS n FROM ideas WHERE workshop_id = ? AND status = 'pending'").get(workshop.workshopId) as { n: number }).n
      const add = async (round: number) => {
        for (const [i, person] of people.entries())
          expect((await api(server, `/api/workshops/${workshop.workshopId}/sections/values/ideas`, { body: { text: `Idea ${round}.${i}` }, token: person.token })).status).toBe(201)
      }
      await add(1)
      // Shown: from now on, ideas are shown in batches (of 3 people at least), 3 s apart.
      expect((await api(server, `/api/workshops/${workshop.workshopId}/sections/values/reveal`, { body: {}, token: workshop.facilitatorKey })).status).toBe(200)
      expect(pending()).toBe(0)
      // The next batch is due 3 s after that. Before it runs, storage starts refusing to mark ideas
      // shown, as SQLite does when its disk fails (a trigger on the server's own connection).
      await add(2)
      expect(pending()).toBe(3)
      server.db.exec("CREATE TEMP TRIGGER storage_trouble BEFORE UPDATE OF status ON ideas WHEN NEW.status = 'published' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
      await eventually(() => expect(server.logs.some((line) => line.includes('"ideas.batch_failed"'))).toBe(true), 15_000)
      expect(pending()).toBe(3)
      server.db.exec('DROP TRIGGER storage_trouble')
      await eventually(() => expect(pending()).toBe(0), 15_000)
      expect(server.rooms.withRoom(workshop.workshopId, (room) => readSection(room.state.doc, 'values'))?.pendingCount).toBe(0)
    } finally {
      await server.dispose()
    }
  })

  it.skipIf(testStorage === 'postgres')('publishes a pause-request count that storage refused once storage recovers', { timeout: 60_000 }, async () => {
    const server = await startTestServer({ captureLogs: true })
    try {
      const workshop = await createWorkshop(server)
      const person = await joinWorkshop(server, workshop.workshopId)
      const shown = () => server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).wellbeing.pauseRequests)
      expect((await api(server, `/api/workshops/${workshop.workshopId}/wellbeing/signal`, { body: { signal: 'pause', on: true }, token: person.token })).status).toBe(200)
      // The count is written 1–4 s later; until then, storage refuses every write to the state doc.
      server.db.exec("CREATE TEMP TRIGGER storage_trouble BEFORE INSERT ON doc_updates WHEN NEW.doc_name = 'state' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
      await eventually(() => expect(server.logs.some((line) => line.includes('"wellbeing.publish_failed"'))).toBe(true), 10_000)
      expect(shown()).toBe(0)
      server.db.exec('DROP TRIGGER storage_trouble')
      await eventually(() => expect(shown()).toBe(1), 10_000)
    } finally {
      await server.dispose()
    }
  })
})
