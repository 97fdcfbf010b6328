import { Hono } from 'hono'
import { ErrorCode } from '../../shared/errors.ts'
import { renderCsv } from '../export/csv.ts'
import { attachmentHeader } from '../export/fileName.ts'
import { renderJson } from '../export/json.ts'
import { renderMarkdown } from '../export/markdown.ts'
import type { DocumentJob } from '../export/documentJob.ts'
import type { ExportService } from '../services/ExportService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor } from './auth.ts'
import { RateLimiter } from './RateLimiter.ts'
import { bearerToken, sendError } from './request.ts'
import { hashToken } from '../domain/tokens.ts'
import type { ExportModel } from '../../shared/exportModel.ts'

/** Text formats are made here; documents (PDF, Word) on the document thread (DocumentWorker). */
export const FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', render: renderMarkdown },
  json: { type: 'application/json; charset=utf-8', render: renderJson },
  csv: { type: 'text/csv; charset=utf-8', render: renderCsv },
  pdf: { type: 'application/pdf' },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
} as const
export type Format = keyof typeof FORMATS
export type DocumentFormat = 'pdf' | 'docx'
export const isDocumentFormat = (format: string): format is DocumentFormat => format === 'pdf' || format === 'docx'

/** Only the formats themselves: `format in FORMATS` also took "toString" and "constructor" (500). */
export const isFormat = (value: string): value is Format => Object.hasOwn(FORMATS, value)

/** What makes the documents: the document thread in the server, the same code inline elsewhere. */
export interface DocumentRenderer {
  /** `owner`: the workshop or programme it is for; one at a time each where documents queue. */
  render(job: DocumentJob, owner: string): Promise<Uint8Array>
}

/**
 * Documents (PDF, Word) one workshop or programme may have made a minute. Each takes the document
 * thread for 150 ms to several seconds, and others wait their turn behind it; a person
 * downloading the vision needs one now and then.
 */
export const DOCUMENTS_PER_MINUTE = 10

/**
 * The "What we agreed" data one person may fetch, and the text exports one workshop may make, per
 * minute. Each is a whole workshop's worth of JSON or text (4 MB and ~300 ms at 9,000 ideas), and
 * four loops of it from one token held the server (December robustness review); a page asks once.
 */
export const OUTCOMES_PER_MINUTE = 20
export const TEXT_EXPORTS_PER_MINUTE = 30

/** Refuses a document past `DOCUMENTS_PER_MINUTE` for `key` (a workshop or a programme). */
export function documentLimiter(): (key: string, format: string) => { code: ErrorCode; message: string } | null {
  const made = new RateLimiter(DOCUMENTS_PER_MINUTE, 60_000)
  return (key, format) =>
    isDocumentFormat(format) && !made.take(key) ? { code: ErrorCode.rateLimited, message: 'Several documents were made in the last minute. Wait a minute, then try again.' } : null
}

/** The agreed vision as a document (facilitator), and as data for the "What we agreed" page. */
export function exportRoutes(workshops: WorkshopService, exports: ExportService, renderer: DocumentRenderer): Hono {
  const app = new Hono()
  const documents = documentLimiter()
  const texts = new RateLimiter(TEXT_EXPORTS_PER_MINUTE, 60_000)
  const outcomes = new RateLimiter(OUTCOMES_PER_MINUTE, 60_000)
  const slowDown = { code: ErrorCode.rateLimited, message: 'This was asked for many times in the last minute. Wait a minute, then try again.' }

  app.get('/workshops/:workshopId/export', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const format = c.req.query('format') ?? 'md'
    if (!isFormat(format)) return sendError(c, { code: ErrorCode.badRequest, message: `Choose a format: ${Object.keys(FORMATS).join(', ')}.` })
    const tooMany = documents(actor.value.workshopId, format)
    if (tooMany) return sendError(c, tooMany)
    if (!isDocumentFormat(format) && !texts.take(actor.value.workshopId)) return sendError(c, slowDown)
    const model = exports.model(actor.value.workshopId, true)
    if (!model.ok) return sendError(c, model.error)
    const body = isDocumentFormat(format) ? await renderer.render({ kind: 'workshop', format, model: model.value }, actor.value.workshopId) : FORMATS[format].render(model.value)
    c.header('Content-Type', FORMATS[format].type)
    c.header('Content-Disposition', attachmentHeader(model.value.workshop.title, model.value.workshop.exportedOn, format))
    return c.body(typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>))
  })

  app.get('/workshops/:workshopId/outcome', (c) => {
    const token = bearerToken(c)
    const actor = workshops.authenticate(c.req.param('workshopId'), token)
    if (!actor.ok) return sendError(c, actor.error)
    // Counted under the token's hash: the limiter's keys are memory only, but need not be tokens.
    if (!outcomes.take(hashToken(token ?? ''))) return sendError(c, slowDown)
    const model = exports.model(actor.value.workshopId, true)
    if (!model.ok) return sendError(c, model.error)
    return c.body(modelJson(model.value), 200, { 'Content-Type': 'application/json; charset=UTF-8' })
  })

  return app
}

/** Sections as JSON, kept while ExportService keeps the same built sections (the doc unchanged). */
const sectionsJson = new WeakMap<object, string>()

/** The model as JSON, its sections written once per change of the workshop, not once per request. */
function modelJson(model: ExportModel): string {
  let sections = sectionsJson.get(model.sections)
  if (sections === undefined) {
    sections = JSON.stringify(model.sections)
    sectionsJson.set(model.sections, sections)
  }
  const { sections: _sections, ...rest } = model
  return `${JSON.stringify(rest).slice(0, -1)},"sections":${sections}}`
}
