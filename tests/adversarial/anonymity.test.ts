import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createApp, type AppDeps } from '../../server/app.ts'
import { defaultConfig } from '../../server/config.ts'
import { silentLogger } from '../../server/logger.ts'
import type { AddedIdea, CreatedWorkshop, JoinedWorkshop } from '../../shared/intents.ts'
import { readIdeas } from '../../shared/stateDoc.ts'
import { roomOf, sleep } from '../helpers/adversary.ts'
import { boardRecordsOf, connectClient, eventually, whenSynced, type ProviderClient } from '../helpers/clients.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer , testStorage } from '../helpers/testServer.ts'
import { join } from 'node:path'
import { pairingAttack } from '../helpers/pairingAttack.ts'
import { ATTACK_MOMENTS, AttackScores, runAttackedWorkshop } from '../helpers/attackedWorkshop.ts'
import { allCells, copyDatabaseFiles } from '../helpers/sqlitePages.ts'
import { tableNames } from '../../server/storage/schemaInfo.ts'

/**
 * Anonymity of everything at rest and everything the facilitator can reach, after a full
 * workshop (ideas, reveal, moving cards, a vote, moderation, a restart). The integration suite
 * (tests/integration/anonymity.test.ts) checks what goes over the wire; this checks the SQLite
 * file, the logs and every API route.
 */

/** Every API route of the app, read from the router itself so new routes are covered too. */
function apiRoutes(): { method: string; path: string }[] {
  const refuse = new Proxy(() => undefined, {
    get: () => refuse,
    apply: () => {
      throw new Error('building routes must not call services')
    },
  })
  const deps = new Proxy({ config: { ...defaultConfig, clientDir: 'dist' }, log: silentLogger } as Record<string, unknown>, {
    get: (target, key: string) => (key in target ? target[key] : refuse),
  }) as unknown as AppDeps
  const seen = new Set<string>()
  return createApp(deps)
    .app.routes.filter((route) => route.path.startsWith('/api/') && route.method !== 'ALL')
    .filter((route) => !seen.has(`${route.method} ${route.path}`) && seen.add(`${route.method} ${route.path}`))
    .map(({ method, path }) => ({ method, path }))
}

describe('anonymity at rest and at the facilitator’s reach', () => {
  let server: TestServer
  let workshop: CreatedWorkshop
  const people: JoinedWorkshop[] = []
  const boards: ProviderClient[] = []
  const participantClientIds = new Set<number>()
  const serverClientIds = new Set<number>()
  const secrets: string[] = []
  const pseudonyms = ['Quiet Heron', 'Brave Otter', 'Kind Lantern']
  const ideaTexts = ['More time to talk before deciding', 'Plain words on every letter', 'Meet somewhere that is not a ward']

  beforeAll(async () => {
    // Rooms stay loaded: a room reloaded between two requests writes under a clientID this test
    // never saw (answers wait for an fsync, which can outlast the 200 ms test grace on a busy disk).
    server = await startTestServer({ captureLogs: true, config: { ideaBatchIntervalMs: 50, roomUnloadGraceMs: 60_000 } })
    workshop = await createWorkshop(server)
    const w = `/api/workshops/${workshop.workshopId}`
    for (const perspective of ['lived-experience', 'carer', 'staff'] as const) people.push(await joinWorkshop(server, workshop.workshopId, { perspective }))
    for (const [index, person] of people.entries()) {
      const board = connectClient(server, workshop.workshopId, 'board', person.token)
      boards.push(board)
      await whenSynced(board)
      participantClientIds.add(board.doc.clientID)
      board.provider.awareness.setLocalState({ name: pseudonyms[index], color: '#225588', cursor: [index, index], hidden: false })
    }
    for (const [index, text] of ideaTexts.entries()) {
      const added = await api<AddedIdea>(server, `${w}/sections/values/ideas`, { body: { text }, token: people[index]!.token, headers: { 'idempotency-key': `k${index}` } })
      expect(added.status).toBe(201)
      secrets.push(added.body.authorKey)
    }
    serverClientIds.add(roomOf(server, workshop.workshopId).state.doc.clientID)
    serverClientIds.add(roomOf(server, workshop.workshopId).board.doc.clientID)
    expect((await api(server, `${w}/sections/values/reveal`, { body: {}, token: workshop.facilitatorKey })).status).toBe(200)

    // Everyone moves the cards around.
    const cards = () => [...boardRecordsOf(boards[0]!.doc).keys()].filter((key) => key.startsWith('shape:idea-'))
    await eventually(() => expect(cards()).toHaveLength(3))
    for (const [index, board] of boards.entries()) {
      const records = boardRecordsOf(board.doc)
      await eventually(() => expect([...records.keys()].filter((key) => key.startsWith('shape:idea-'))).toHaveLength(3))
      for (const card of cards()) records.set(card, { ...records.get(card)!, x: 100 * index, y: 50 * index })
    }

    // A restart in the middle: the server writes under a new clientID afterwards.
    for (const board of boards.splice(0)) board.destroy()
    server = await server.restart()
    // Let the HTTP client notice its pooled connections to the old server have closed.
    await sleep(100)
    serverClientIds.add(roomOf(server, workshop.workshopId).state.doc.clientID)
    serverClientIds.add(roomOf(server, workshop.workshopId).board.doc.clientID)

    // A vote, closed, and one idea hidden by the facilitator.
    const ideas = server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc, 'values'))
    expect((await api(server, `${w}/sections/values/phase`, { body: { phase: 'vote' }, token: workshop.facilitatorKey })).status).toBe(200)
    for (const [index, person] of people.entries()) {
      const vote = await api(server, `${w}/sections/values/ballot`, { method: 'PUT', body: { dots: { [ideas[index % ideas.length]!.ideaId]: 1 } }, token: person.token })
      expect(vote.status).toBe(200)
    }
    expect((await api(server, `${w}/sections/values/close-vote`, { body: {}, token: workshop.facilitatorKey })).status).toBe(200)
    const hidden = await api(server, `${w}/sections/values/ideas/${ideas[0]!.ideaId}/hide`, { body: { reason: 'off-topic' }, token: workshop.facilitatorKey })
    expect(hidden.status).toBe(200)

    // Everything queued reaches the disk, and the docs are compacted into snapshots too.
    server.writer.flush()
    server.rooms.withRoom(workshop.workshopId, (room) => room.compact(true))
  })
  afterAll(async () => {
    for (const board of boards) board.destroy()
    await server.dispose()
  })

  it('stores idea text and results only in structs written by the server, in every update and snapshot', () => {
    const rows = server.db
      .prepare("SELECT doc_name AS doc, data FROM doc_updates WHERE workshop_id = ? UNION ALL SELECT doc_name AS doc, data FROM doc_snapshots WHERE workshop_id = ?")
      .all(workshop.workshopId, workshop.workshopId) as { doc: string; data: Buffer }[]
    expect(rows.length).toBeGreaterThan(0)
    const authorsOfText = new Set<number>()
    const stateAuthors = new Set<number>()
    let structsWithText = 0
    for (const row of rows) {
      for (const struct of Y.decodeUpdate(new Uint8Array(row.data)).structs) {
        if (row.doc === 'state') stateAuthors.add(struct.id.client)
        if (!(struct instanceof Y.Item)) continue
        const content = JSON.stringify(struct.content.getContent())
        if (ideaTexts.some((text) => content.includes(text)) || content.includes('"ranked"')) {
          structsWithText++
          authorsOfText.add(struct.id.client)
        }
      }
    }
    expect(structsWithText).toBeGreaterThan(0)
    for (const author of authorsOfText) expect(serverClientIds.has(author)).toBe(true)
    // No participant ever wrote anything into the state doc, so not even a card move shows there.
    for (const author of stateAuthors) expect(participantClientIds.has(author)).toBe(false)
    // The board has participants' moves; none of its structs carries idea text.
    for (const row of rows.filter((r) => r.doc === 'board')) for (const text of ideaTexts) expect(Buffer.from(row.data).includes(Buffer.from(text))).toBe(false)
  })

  it('keeps no table row that links a participant to an idea or a ballot choice', () => {
    const tables = tableNames(server.db)
    const ideaIds = server.db.prepare('SELECT idea_id AS ideaId FROM ideas WHERE workshop_id = ?').all(workshop.workshopId) as { ideaId: string }[]
    for (const table of tables) {
      for (const row of server.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        const text = JSON.stringify(row)
        const names = people.filter((person) => text.includes(person.participantId))
        if (names.length === 0) continue
        for (const { ideaId } of ideaIds) expect([table, text.includes(ideaId)]).toEqual([table, false])
        for (const idea of ideaTexts) expect(text).not.toContain(idea)
      }
    }
  })

  it('writes no token, key, pseudonym or idea text into the logs', () => {
    expect(server.logs.length).toBeGreaterThan(0)
    const logs = server.logs.join('\n')
    for (const secret of [workshop.facilitatorKey, ...people.map((person) => person.token), ...secrets, ...pseudonyms, ...ideaTexts]) expect(logs).not.toContain(secret)
    // Participant ids may only ever appear alone: never on a line with idea text or a pseudonym.
    for (const line of server.logs) {
      if (!people.some((person) => line.includes(person.participantId))) continue
      for (const text of [...pseudonyms, ...ideaTexts]) expect(line).not.toContain(text)
    }
  })

  it('gives the facilitator’s key no route that returns who did what', async () => {
    const routes = apiRoutes()
    const gets = routes.filter((route) => route.method === 'GET' && route.path.includes(':workshopId'))
    expect(gets.length).toBeGreaterThanOrEqual(4)
    const ideaId = server.rooms.withRoom(workshop.workshopId, (room) => readIdeas(room.state.doc, 'values'))[1]!.ideaId
    const fill = (path: string) =>
      path
        .replace(':workshopId', workshop.workshopId)
        .replace(':sectionId', 'values')
        .replace(':ideaId', ideaId)
        .replace(/:[A-Za-z]+/g, 'x')
    const queries = (path: string) => (path.endsWith('/export') ? ['?format=md', '?format=json', '?format=csv'] : [''])
    let answered = 0
    for (const route of gets) {
      for (const query of queries(route.path)) {
        const response = await api(server, fill(route.path) + query, { token: workshop.facilitatorKey })
        if (response.status !== 200) continue
        answered++
        const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body)
        for (const person of people) expect([route.path, body.includes(person.participantId)]).toEqual([route.path, false])
        for (const secret of [...people.map((person) => person.token), ...pseudonyms]) expect(body).not.toContain(secret)
      }
    }
    expect(answered).toBeGreaterThanOrEqual(4)
  })
})

/**
 * Issue 12, item 1: a copy of the database files (main file and WAL), taken at any moment, must
 * not pair anyone with what they contributed. Each run is a fresh server (the easiest case for
 * the attacker: one workshop, nothing else in the pages) where 6 people join, then add ideas,
 * vote and answer a consent round each in an order of their own. At each moment the files are
 * copied and attacked at the page level (tests/helpers/pairingAttack.ts): by chance a ranking
 * names 1 of 6 correctly on average. On the code before this fix the same attack named all 6
 * authors while gathering and after publication (idea_quota against the idempotency index), and
 * every voter and responder while a round was open (participant id in the ballot row).
 */
// SQLite's pages and WAL frames; PostgreSQL's heap, ctid, xmin and WAL: tests/cluster/postgresAtRest.test.ts.
describe.skipIf(testStorage === 'postgres')('no order at rest: a copy of the files pairs nobody with their contribution', () => {
  const RUNS = Number(process.env.PARITY_ATTACK_RUNS ?? 30)
  const PEOPLE = 6
  const scores = new AttackScores()

  beforeAll(async () => {
    for (let run = 0; run < RUNS; run++) {
      const server = await startTestServer({ config: { ideaBatchIntervalMs: 60_000 } })
      try {
        const file = join(server.config.dataDir, 'parity.sqlite')
        await runAttackedWorkshop(server, run, PEOPLE, (moment, { truths, participants }) => {
          scores.add(moment, pairingAttack(allCells(copyDatabaseFiles(file)), truths, participants))
        })
        scores.runs++
      } finally {
        await server.dispose()
      }
    }
  }, 600_000)

  afterAll(() => {
    // PARITY_ATTACK_REPORT=1 prints the attack's best mean per moment (figures for docs/security.md).
    if (process.env.PARITY_ATTACK_REPORT) for (const line of scores.report(PEOPLE)) console.info(line)
  })

  it.each(ATTACK_MOMENTS)('pairs no better than chance when the copy is taken %s', (moment) => {
    // Chance is 1 correct pair in 6 on average (a random ranking); the old code gave 6.
    const best = scores.best(moment)
    expect(best).not.toBeNull()
    expect([moment, best!.key, best!.mean < 1.8]).toEqual([moment, best!.key, true])
    expect(scores.colocated(moment)).toBe(0)
  })
})
