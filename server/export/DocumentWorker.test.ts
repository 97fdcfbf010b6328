import { afterEach, expect, it } from 'vitest'
import { sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { DocumentsBusy, DocumentWorker } from './DocumentWorker.ts'

let worker: DocumentWorker | null = null
afterEach(() => worker?.close())

const job = { kind: 'workshop', format: 'pdf', model: sampleExportModel() } as const
const text = (bytes: Uint8Array) => Buffer.from(bytes).subarray(0, 5).toString('latin1')

it('makes documents on its own thread, one after another', { timeout: 30_000 }, async () => {
  worker = new DocumentWorker()
  const [pdf, docx] = await Promise.all([worker.render(job), worker.render({ ...job, format: 'docx' })])
  expect(text(pdf)).toBe('%PDF-')
  // A Word document is a zip.
  expect(text(docx).slice(0, 2)).toBe('PK')
})

it('refuses documents past the waiting limit rather than queueing without end', { timeout: 60_000 }, async () => {
  worker = new DocumentWorker()
  const asked = Array.from({ length: 10 }, () => worker!.render(job).then(() => 'made', (error: unknown) => (error instanceof DocumentsBusy ? 'busy' : String(error))))
  const answers = await Promise.all(asked)
  // One being made, eight waiting, the tenth refused.
  expect(answers.filter((answer) => answer === 'made')).toHaveLength(9)
  expect(answers.at(-1)).toBe('busy')
})

it('makes at most two documents at a time for each workshop, so one cannot fill the queue for the others', { timeout: 60_000 }, async () => {
  worker = new DocumentWorker()
  const ask = (owner: string) => worker!.render(job, owner).then(() => 'made', (error: unknown) => (error instanceof DocumentsBusy ? 'busy' : String(error)))
  const answers = await Promise.all([ask('big'), ask('big'), ask('big'), ask('big'), ask('other')])
  expect(answers).toEqual(['made', 'made', 'busy', 'busy', 'made'])
  // Once its document is made, the workshop may ask again.
  expect(await ask('big')).toBe('made')
})

it('gives up on a document that runs over', { timeout: 30_000 }, async () => {
  worker = new DocumentWorker(1)
  await expect(worker.render(job)).rejects.toThrow(/took too long/)
  await expect(worker.render(job)).rejects.toThrow(/took too long/)
})

it('answers a document that fails with its error, and carries on with the next', { timeout: 30_000 }, async () => {
  worker = new DocumentWorker()
  const broken = { ...job, model: { ...job.model, sections: null } } as unknown as typeof job
  await expect(worker.render(broken)).rejects.toThrow()
  expect(text(await worker.render(job))).toBe('%PDF-')
})
