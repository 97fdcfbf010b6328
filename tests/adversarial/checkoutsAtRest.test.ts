import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHECKOUT_QUESTIONS, type CheckoutSummary } from '../../shared/coproduction.ts'
import type { CreatedWorkshop, JoinedWorkshop } from '../../shared/intents.ts'
import { textsOnDisk, textsStored } from '../helpers/dataScan.ts'
import { allCells, type Cell } from '../helpers/sqlitePages.ts'
import { api, createWorkshop, endWorkshopDay, joinWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

/**
 * A database copy must not tie a check-out to a person (issue 18 review). Five people: one is the
 * only carer, four are staff. Everyone checks out; a copy of the data folder is then read row by
 * row and page by page (the main file and every WAL frame, stale ones too), as an attacker would.
 */

type Results = CheckoutSummary & { reflections: string[] }

const CARER = { rung: 2, heard: 1, safe: 1, equal: 2, changed: 'Carer reflection heliotrope umbrellas' }
const STAFF = [
  { rung: 6, heard: 5, safe: 4, equal: 5, changed: 'Staff reflection one saffron kites' },
  { rung: 5, heard: 4, safe: 4, equal: 4 },
  { rung: 7, heard: 5, safe: 5, equal: 4, changed: 'Staff reflection three cobalt ferns' },
  { rung: 6, heard: 3, safe: 5, equal: 5, changed: 'Staff reflection four amber gulls' },
]
const mean = (values: number[]) => Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10

/** Copies the data folder in a child process: the server's own file locks stay untouched. */
function copyDataFolder(dataDir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'parity-checkout-copy-'))
  execFileSync('cp', ['-r', `${dataDir}/.`, copy])
  return copy
}

/** Cells shaped like a `checkout_tallies` row: [workshop_id, perspective, question, answer, n]. */
function tallyCells(cells: readonly Cell[], workshopId: string): (Cell & { group: string; question: string; n: number })[] {
  return cells
    .filter((c) => c.values.length === 5 && c.values[0] === workshopId && CHECKOUT_QUESTIONS.includes(c.values[2] as never))
    .map((c) => ({ ...c, group: String(c.values[1]), question: String(c.values[2]), n: Number(c.values[4]) }))
}

describe('check-outs at rest', () => {
  let server: TestServer
  let workshop: CreatedWorkshop
  let carer: JoinedWorkshop
  const copies: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    workshop = await createWorkshop(server, 'Check-outs at rest')
    carer = await joinWorkshop(server, workshop.workshopId, { perspective: 'carer' })
    const staff: JoinedWorkshop[] = []
    for (let i = 0; i < STAFF.length; i++) staff.push(await joinWorkshop(server, workshop.workshopId, { perspective: 'staff' }))
    const checkout = async (person: JoinedWorkshop, body: object) => {
      const answer = await api(server, `/api/workshops/${workshop.workshopId}/checkout`, { body, token: person.token })
      if (answer.status !== 201) throw new Error(`check-out: ${answer.status} ${JSON.stringify(answer.body)}`)
    }
    // The carer in the middle, so neither first nor last place in anything says who it was.
    await checkout(staff[0]!, STAFF[0]!)
    await checkout(staff[1]!, STAFF[1]!)
    await checkout(carer, CARER)
    await checkout(staff[2]!, STAFF[2]!)
    await checkout(staff[3]!, STAFF[3]!)
    // Results are shown once the workshop's day is over.
    endWorkshopDay(server, workshop.workshopId)
  })

  afterAll(async () => {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true })
    await server.dispose()
  })

  it('keeps nothing at rest that ties the only carer to their answers', () => {
    // Row level: every group kept is at least 3, and nothing pools groups together.
    const rowLevel = (query: (sql: string, ...params: unknown[]) => unknown[]) => {
      const groups = query("SELECT perspective, SUM(n) AS size FROM checkout_tallies WHERE workshop_id = ? AND question = 'rung' GROUP BY perspective", workshop.workshopId)
      expect(groups.map((row) => ({ ...(row as object), size: Number((row as { size: unknown }).size) }))).toEqual([{ perspective: 'staff', size: 3 }])
      // Nor does the participants table say who the carer is (perspectives are sealed per person).
      expect(query('SELECT participant_id FROM participants WHERE workshop_id = ? AND perspective IS NOT NULL', workshop.workshopId)).toHaveLength(0)
    }
    if (server.db.dialect !== 'sqlite') {
      // PostgreSQL: rows only (its heap and WAL are not parsed here; docs/privacy.md).
      rowLevel((sql, workshopId) => server.db.prepare(sql).all(String(workshopId)) as unknown[])
      expect(textsStored(server, [CARER.changed, STAFF[0]!.changed!])).toEqual([STAFF[0]!.changed])
      return
    }
    const copy = copyDataFolder(server.config.dataDir)
    copies.push(copy)
    const file = join(copy, 'parity.sqlite')
    const cells = allCells({ db: file, wal: existsSync(`${file}-wal`) ? `${file}-wal` : null })
    const tallies = tallyCells(cells, workshop.workshopId)
    // The batch of 3 staff is on disk (the test can see check-out rows at all).
    expect(tallies.some((c) => c.group === 'staff')).toBe(true)

    // Page level: no version of any page, current or stale, holds a carer row, an "everyone" row
    // that would give the carer away by subtraction, or a group of fewer than 3.
    expect(tallies.filter((c) => c.group !== 'staff')).toEqual([])
    const versions = new Map<string, number>()
    for (const c of tallies.filter((t) => t.question === 'rung')) {
      const key = `${c.source}:${c.sourceRank}:${c.pageNo}:${c.group}`
      versions.set(key, (versions.get(key) ?? 0) + c.n)
    }
    for (const size of versions.values()) expect(size).toBeGreaterThanOrEqual(3)

    // Row level, on the copy.
    const db = new Database(file, { readonly: true })
    try {
      rowLevel((sql, ...params) => db.prepare(sql).all(...params))
    } finally {
      db.close()
    }

    // Raw bytes anywhere in the folder: the carer's reflection waits in memory, unwritten.
    expect(textsOnDisk(copy, [CARER.changed, STAFF[0]!.changed!])).toEqual([STAFF[0]!.changed])
  })

  it('shows only whole batches while the server runs: the carer and the fourth staff member wait, unseen', async () => {
    const { status, body } = await api<Results>(server, `/api/workshops/${workshop.workshopId}/checkout`, { token: workshop.facilitatorKey })
    expect(status).toBe(200)
    // Results that added waiting answers changed by one person's answers as they checked out (and
    // a "carer: fewer than 3" line appeared with the carer's reflection): only batches show.
    expect(body.groups.map((g) => [g.group, g.shown])).toEqual([['staff', true]])
    const staff = body.groups.find((g) => g.group === 'staff')!
    expect(staff.shown && staff.count).toBe(3)
    for (const question of CHECKOUT_QUESTIONS) expect(staff.shown && staff.answers[question].mean).toBe(mean(STAFF.slice(0, 3).map((s) => s[question])))
    expect(body.overall).toBeNull()
    expect(body.notKept).toBe(2)
    expect([...body.reflections].sort()).toEqual(STAFF.slice(0, 3).flatMap((s) => (s.changed ? [s.changed] : [])).sort())
    expect(body.reflections).not.toContain(CARER.changed)
  })

  it('after a restart, says how many answers were not kept and shows no overall figure', async () => {
    server = await server.restart()
    const { body } = await api<Results>(server, `/api/workshops/${workshop.workshopId}/checkout`, { token: workshop.facilitatorKey })
    expect(body.groups.map((g) => [g.group, g.shown && g.count])).toEqual([['staff', 3]])
    expect(body.notKept).toBe(2)
    expect(body.overall).toBeNull()
    // Still one check-out per person: the carer's marker survived, their answers did not.
    expect((await api(server, `/api/workshops/${workshop.workshopId}/checkout`, { body: CARER, token: carer.token })).status).toBe(409)
  })
})
