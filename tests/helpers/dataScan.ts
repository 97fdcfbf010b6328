import { execFileSync } from 'node:child_process'
import { DocName } from '../../shared/docs.ts'
import { readState } from '../../shared/stateDoc.ts'
import { boardRecordsOf, connectClient, eventually, shapeRecord, whenSynced } from './clients.ts'
import { api, createWorkshop, joinWorkshop, type TestServer } from './testServer.ts'
import type { CreatedWorkshop } from '../../shared/intents.ts'
import { blobContains, tableNames } from '../../server/storage/schemaInfo.ts'

/**
 * Which of `texts` occur, as raw UTF-8 bytes, anywhere in any file under `dir` (main database,
 * WAL, shared memory, journals, anything else).
 *
 * Read in a child process: closing a file descriptor drops every POSIX lock this process holds
 * on that file, SQLite's included. Reading the database files in the server's own process once
 * let another process (the operator CLI) think it was the last user and delete the live WAL.
 */
export function textsOnDisk(dir: string, texts: string[]): string[] {
  const script = `
    const { readdirSync, readFileSync, statSync } = require('node:fs')
    const { join } = require('node:path')
    const [dir, texts] = JSON.parse(process.argv[1])
    const contents = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((file) => statSync(file).isFile()).map((file) => readFileSync(file))
    process.stdout.write(JSON.stringify(texts.filter((text) => contents.some((bytes) => bytes.includes(Buffer.from(text, 'utf8'))))))
  `
  return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify([dir, texts])], { encoding: 'utf8' })) as string[]
}

/**
 * Which of `texts` the server's storage still holds. SQLite: the raw bytes of every file under
 * the data folder. PostgreSQL: every row of every table. PostgreSQL keeps a deleted row's old
 * version in its files until the page is reused, and in WAL segments until they are removed;
 * docs/privacy.md says so and claims only that no row holds it.
 */
export function textsStored(server: TestServer, texts: string[]): string[] {
  if (server.db.dialect === 'sqlite') return textsOnDisk(server.config.dataDir, texts)
  const found = new Set<string>()
  for (const table of tableNames(server.db))
    for (const row of server.db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[])
      for (const value of Object.values(row))
        for (const text of texts)
          if ((typeof value === 'string' && value.includes(text)) || (Buffer.isBuffer(value) && value.includes(Buffer.from(text, 'utf8')))) found.add(text)
  return texts.filter((text) => found.has(text))
}

export interface FilledWorkshop {
  workshop: CreatedWorkshop
  participantToken: string
  /** Title, idea texts, a hide reason, a suggestion, a proposal and an objection's reason. */
  texts: string[]
}

/**
 * A workshop with something in every place words are kept: title, ideas (shown and hidden, with
 * the reason), a suggestion, a consent round with a reason, words on the board. Each text carries `tag`, so one
 * workshop's words are never another's. Two people only: the reveal is published anyway, and the server needs `minResultGroup: 1`.
 */
export async function fillWorkshop(server: TestServer, tag: string, programme?: { programmeId: string; programmeKey: string }): Promise<FilledWorkshop> {
  const title = `Title ${tag} quillfeather`
  const workshop = programme ? await createInProgramme(server, title, programme) : await createWorkshop(server, title)
  const w = `/api/workshops/${workshop.workshopId}`
  const people = await Promise.all([0, 1].map(() => joinWorkshop(server, workshop.workshopId)))
  const must = async (response: Promise<{ status: number; body: unknown }>, status = 200) => {
    const answer = await response
    if (answer.status !== status) throw new Error(`fill ${tag}: ${answer.status} ${JSON.stringify(answer.body)}`)
    return answer.body as Record<string, unknown>
  }
  const fac = (path: string, body: unknown = {}, status = 200) => must(api(server, `${w}${path}`, { body, token: workshop.facilitatorKey }), status)
  const shown = `Idea ${tag} marigold lanterns`
  const hidden = `Idea ${tag} thunder teacups`
  const reason = `Reason ${tag} off topic heron`
  const suggestion = `Suggestion ${tag} pebble bridges`
  const proposal = `Proposal ${tag} gentle harbour`
  const objection = `Objection ${tag} missing kestrels`
  for (const [text, person] of [[shown, people[0]!], [hidden, people[1]!]] as const)
    await must(api(server, `${w}/sections/values/ideas`, { body: { text }, token: person.token }), 201)
  await fac('/sections/values/reveal', { publishAnyway: true })
  const hiddenId = server.rooms.withRoom(workshop.workshopId, (room) => readState(room.state.doc).ideas.find((idea) => idea.text === hidden)!.ideaId)
  await fac(`/sections/values/ideas/${hiddenId}/hide`, { reason })
  await fac('/sections/vision/phase', { phase: 'agree' })
  await must(api(server, `${w}/sections/vision/suggestions`, { body: { text: suggestion }, token: people[0]!.token }), 201)
  const round = await fac('/sections/vision/proposals', { text: proposal }, 201)
  await must(api(server, `${w}/proposals/${String(round.proposalId)}/response`, { method: 'PUT', body: { response: 'object', reason: objection }, token: people[1]!.token }))
  await fac(`/proposals/${String(round.proposalId)}/close`)
  // Words typed straight onto the board travel as board edits (group-committed, then compacted).
  const board = `Board ${tag} copper kites`
  const client = connectClient(server, workshop.workshopId, DocName.board, people[0]!.token)
  try {
    await whenSynced(client)
    const richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: board }] }] }
    boardRecordsOf(client.doc).set(`shape:${tag}`, { ...shapeRecord(tag), props: { ...shapeRecord(tag).props, richText } })
    const saved = server.db.prepare(`SELECT COUNT(*) AS n FROM doc_updates WHERE ${blobContains(server.db, 'data')}`)
    await eventually(() => {
      if ((saved.get(Buffer.from(board, 'utf8')) as { n: number }).n === 0) throw new Error('board text not saved yet')
    })
  } finally {
    client.destroy()
  }
  return { workshop, participantToken: people[0]!.token, texts: [title, shown, hidden, reason, suggestion, proposal, objection, board] }
}

/** A workshop in a programme: created with the programme key, as the programme page does. */
async function createInProgramme(server: TestServer, title: string, programme: { programmeId: string; programmeKey: string }): Promise<CreatedWorkshop> {
  const created = await api<CreatedWorkshop>(server, '/api/workshops', { body: { title, programmeId: programme.programmeId }, token: programme.programmeKey })
  if (created.status !== 201) throw new Error(`create in programme: ${created.status} ${JSON.stringify(created.body)}`)
  return created.body
}
