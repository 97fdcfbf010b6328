import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../../server/domain/tokens.ts'
import type { CreatedWorkshop } from '../../shared/intents.ts'
import { api, createWorkshop, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * Participant rows sit in joining order: with a copy of the database and a memory of who arrived
 * when (or who was handed which invite code), a readable perspective on each row named a person's
 * perspective — whether they came as someone with lived experience, a carer or staff. Rows now
 * hold it sealed under the person's own token; "who took part" reads counts kept apart.
 */

interface Row {
  perspective: string | null
  sealed: string | null
}

describe('perspectives at rest', () => {
  let server: TestServer
  let workshop: CreatedWorkshop
  const rows = (): Row[] =>
    server.db.prepare('SELECT perspective, perspective_sealed AS sealed FROM participants WHERE workshop_id = ?').all(workshop.workshopId) as Row[]
  const counts = () =>
    Object.fromEntries(
      (server.db.prepare('SELECT perspective, n FROM perspective_counts WHERE workshop_id = ?').all(workshop.workshopId) as { perspective: string; n: number }[]).map(
        (row) => [row.perspective, Number(row.n)],
      ),
    )
  const checkout = async (token: string) => {
    const answer = await api(server, `/api/workshops/${workshop.workshopId}/checkout`, { body: { rung: 5, heard: 4, safe: 4, equal: 4 }, token })
    expect(answer.status).toBe(201)
  }

  beforeAll(async () => {
    server = await startTestServer()
    workshop = await createWorkshop(server, 'Perspectives at rest')
  })
  afterAll(async () => {
    await server.dispose()
  })

  it('keeps no perspective a copy of the database can read on anyone’s row, only counts apart', async () => {
    await joinWorkshop(server, workshop.workshopId, { perspective: 'carer' })
    await joinWorkshop(server, workshop.workshopId, { perspective: 'manager-or-commissioner' })
    await joinWorkshop(server, workshop.workshopId)
    const stored = rows()
    expect(stored).toHaveLength(3)
    for (const row of stored) {
      expect(row.perspective).toBeNull()
      expect(row.sealed).not.toMatch(/carer|manager|staff/)
    }
    // Same length whatever was chosen (or not chosen): the size of a value says nothing either.
    expect(new Set(stored.map((row) => row.sealed!.length)).size).toBe(1)
    expect(counts()).toEqual({ carer: 1, 'manager-or-commissioner': 1, '': 1 })
  })

  it('counts joins three at a time, in a transaction of their own, never in the join’s', async () => {
    const other = await createWorkshop(server, 'Counted in threes')
    const countsOf = () => server.db.prepare('SELECT perspective, n FROM perspective_counts WHERE workshop_id = ?').all(other.workshopId) as { n: unknown }[]
    await joinWorkshop(server, other.workshopId, { perspective: 'carer' })
    await joinWorkshop(server, other.workshopId, { perspective: 'staff' })
    expect(countsOf()).toEqual([])
    await joinWorkshop(server, other.workshopId, { perspective: 'staff' })
    expect(countsOf().map((row) => Number(row.n)).sort()).toEqual([1, 2])
    if (server.db.dialect === 'postgres') {
      // No count row was written by the transaction that wrote a participant row.
      const xmins = (sql: string) => (server.db.prepare(sql).all(other.workshopId) as { x: string }[]).map((row) => String(row.x))
      const counted = xmins('SELECT xmin::text AS x FROM perspective_counts WHERE workshop_id = ?')
      const joined = xmins('SELECT xmin::text AS x FROM participants WHERE workshop_id = ?')
      for (const x of counted) expect(joined).not.toContain(x)
    }
  })

  it('still groups each person by their own perspective when they take part (opened with their token)', async () => {
    const staff = []
    for (let i = 0; i < 3; i++) staff.push(await joinWorkshop(server, workshop.workshopId, { perspective: 'staff' }))
    for (const person of staff) await checkout(person.token)
    const groups = server.db
      .prepare("SELECT perspective, SUM(n) AS size FROM checkout_tallies WHERE workshop_id = ? AND question = 'rung' GROUP BY perspective")
      .all(workshop.workshopId) as { perspective: string; size: unknown }[]
    expect(groups.map((g) => [g.perspective, Number(g.size)])).toEqual([['staff', 3]])
  })

  it('seals a row written before perspectives were sealed the next time its person is served', async () => {
    // A row as older versions wrote it: the perspective in the clear.
    const token = randomBytes(24).toString('base64url')
    server.db
      .prepare('INSERT INTO participants (participant_id, workshop_id, token_hash, perspective) VALUES (?, ?, ?, ?)')
      .run('legacy-person', workshop.workshopId, hashToken(token), 'lived-experience')
    const others = []
    for (let i = 0; i < 2; i++) others.push(await joinWorkshop(server, workshop.workshopId, { perspective: 'lived-experience' }))
    await checkout(token)
    for (const person of others) await checkout(person.token)
    const legacy = server.db.prepare('SELECT perspective, perspective_sealed AS sealed FROM participants WHERE participant_id = ?').get('legacy-person') as Row
    expect(legacy.perspective).toBeNull()
    expect(legacy.sealed).toHaveLength(rows()[0]!.sealed!.length)
    // Their perspective was kept: with the two who joined since, a group of 3 was written.
    const lived = server.db
      .prepare("SELECT SUM(n) AS size FROM checkout_tallies WHERE workshop_id = ? AND question = 'rung' AND perspective = 'lived-experience'")
      .get(workshop.workshopId) as { size: unknown }
    expect(Number(lived.size)).toBe(3)
  })
})
