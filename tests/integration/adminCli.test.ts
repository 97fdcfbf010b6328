import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CloseCode } from '../../shared/closeCodes.ts'
import type { CreatedProgramme } from '../../shared/coproduction.ts'
import { addDays, dayOf } from '../../shared/retention.ts'
import { eventually } from '../helpers/clients.ts'
import { fillWorkshop, textsStored } from '../helpers/dataScan.ts'
import { api, createWorkshop, startTestServer, type TestServer } from '../helpers/testServer.ts'

const run = promisify(execFile)

/** Runs `npm run admin -- …` as an operator would, beside the running server. */
async function admin(server: TestServer, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/admin/cli.ts', ...args], { env: { ...process.env, DATA_DIR: server.config.dataDir, ...(server.config.databaseUrl ? { DATABASE_URL: server.config.databaseUrl } : {}), LOG_LEVEL: 'info' } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

describe('operator tools: npm run admin -- list|export|delete|purge', { timeout: 120_000 }, () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer({ config: { ideaBatchIntervalMs: 100, minResultGroup: 1 } })
  })
  afterAll(async () => {
    await server.dispose()
  })

  it('lists workshops by id, size and deletion day, with titles only when asked', async () => {
    const filled = await fillWorkshop(server, 'listed')
    const listed = await admin(server, 'list')
    expect(listed.code).toBe(0)
    const line = listed.stdout.split('\n').find((row) => row.startsWith(filled.workshop.workshopId))!
    const [, size, deleteAfter] = line.split('\t')
    expect(Number(size)).toBeGreaterThan(100)
    expect(deleteAfter).toBe(addDays(dayOf(new Date()), 90))
    // No title, no content.
    for (const text of filled.texts) expect(listed.stdout).not.toContain(text)
    const withTitles = await admin(server, 'list', '--show-titles')
    expect(withTitles.stdout).toContain(filled.texts[0])
  })

  it('exports one workshop as the facilitator would get it', async () => {
    const filled = await fillWorkshop(server, 'exported')
    const exported = await admin(server, 'export', filled.workshop.workshopId, '--format', 'json')
    expect(exported.code).toBe(0)
    expect(JSON.parse(exported.stdout).workshop.title).toBe(filled.texts[0])
    expect(exported.stdout).toContain('marigold lanterns')
    expect((await admin(server, 'export', 'no-such-workshop')).code).toBe(1)
    expect((await admin(server, 'export', filled.workshop.workshopId, '--format', 'exe')).code).toBe(2)
  })

  it('deletes one workshop while the server runs: its sockets close, its words leave the disk', async () => {
    const doomed = await fillWorkshop(server, 'operator')
    const kept = await fillWorkshop(server, 'bystander')
    const socket = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws/${doomed.workshop.workshopId}/state?token=${doomed.participantToken}`)
    await new Promise((resolve) => socket.once('open', resolve))
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))

    const deleted = await admin(server, 'delete', doomed.workshop.workshopId)
    expect(deleted.code).toBe(0)
    expect(deleted.stderr).toContain('"workshop.deleted"')
    expect(deleted.stderr).not.toContain(doomed.workshop.workshopId)
    expect(await closed).toBe(CloseCode.workshopDeleted)
    expect((await api(server, `/api/workshops/${doomed.workshop.workshopId}/welcome`)).status).toBe(404)
    // Whatever the running server still wrote is swept by its next purge.
    await eventually(async () => {
      await admin(server, 'purge')
      expect(textsStored(server, doomed.texts)).toEqual([])
    }, 60_000)
    expect(textsStored(server, kept.texts)).toEqual(kept.texts)
    expect((await admin(server, 'delete', doomed.workshop.workshopId)).code).toBe(1)
    expect((await admin(server, 'frobnicate')).code).toBe(2)
  })

  it('lists programmes without their titles, and deletes one with its workshops', async () => {
    const title = 'Programme for the operator tarragon'
    const programme = (await api<CreatedProgramme>(server, '/api/programmes', { body: { title } })).body
    const inside = await fillWorkshop(server, 'operatorprogramme', programme)
    const listed = await admin(server, 'list')
    expect(listed.stdout.split('\n')).toContain(['programme', programme.programmeId, '1', addDays(dayOf(new Date()), 90)].join('\t'))
    expect(listed.stdout).not.toContain(title)
    expect((await admin(server, 'list', '--show-titles')).stdout).toContain(title)

    const deleted = await admin(server, 'delete', programme.programmeId)
    expect(deleted.code).toBe(0)
    expect(deleted.stdout).toContain('Deleted programme')
    expect(deleted.stderr).toContain('"programme.deleted"')
    expect(deleted.stderr).not.toContain(programme.programmeId)
    expect((await api(server, `/api/programmes/${programme.programmeId}`, { token: programme.programmeKey })).status).toBe(404)
    expect((await api(server, `/api/workshops/${inside.workshop.workshopId}/welcome`)).status).toBe(404)
    await eventually(async () => {
      await admin(server, 'purge')
      expect(textsStored(server, [title, ...inside.texts])).toEqual([])
    }, 60_000)
    expect((await admin(server, 'delete', programme.programmeId)).code).toBe(1)
  })

  it('purges workshops past their deletion day and no others', async () => {
    const old = await createWorkshop(server, 'Long finished')
    const fresh = await createWorkshop(server, 'Still going')
    server.db.prepare('UPDATE workshops SET last_active_day = ?, retention_days = 5 WHERE workshop_id = ?').run(addDays(dayOf(new Date()), -6), old.workshopId)
    const purged = await admin(server, 'purge')
    expect(purged.code).toBe(0)
    expect(purged.stdout).toMatch(/Purged [1-9]\d* workshops?/)
    expect((await api(server, `/api/workshops/${old.workshopId}/welcome`)).status).toBe(404)
    expect((await api(server, `/api/workshops/${fresh.workshopId}/welcome`)).status).toBe(200)
  })
})
