import { Hono } from 'hono'
import { ErrorCode } from '../../shared/errors.ts'
import { renderCsv } from '../export/csv.ts'
import { renderDocx } from '../export/docx.ts'
import { attachmentHeader } from '../export/fileName.ts'
import { renderJson } from '../export/json.ts'
import { renderMarkdown } from '../export/markdown.ts'
import { renderPdf } from '../export/pdf.ts'
import type { ExportService } from '../services/ExportService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor } from './auth.ts'
import { RateLimiter } from './RateLimiter.ts'
import { bearerToken, send, sendError } from './request.ts'

export const FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', render: renderMarkdown },
  json: { type: 'application/json; charset=utf-8', render: renderJson },
  csv: { type: 'text/csv; charset=utf-8', render: renderCsv },
  pdf: { type: 'application/pdf', render: renderPdf },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', render: renderDocx },
} as const
export type Format = keyof typeof FORMATS

/**
 * Documents (PDF, Word) one workshop or programme may have made a minute. Each holds the event
 * loop for 150–400 ms, so a few request loops from one key stalled every room on the server; a
 * person downloading the vision needs one now and then.
 */
export const DOCUMENTS_PER_MINUTE = 10
const DOCUMENT_FORMATS = new Set(['pdf', 'docx'])

/** Refuses a document past `DOCUMENTS_PER_MINUTE` for `key` (a workshop or a programme). */
export function documentLimiter(): (key: string, format: string) => { code: ErrorCode; message: string } | null {
  const made = new RateLimiter(DOCUMENTS_PER_MINUTE, 60_000)
  return (key, format) =>
    DOCUMENT_FORMATS.has(format) && !made.take(key) ? { code: ErrorCode.rateLimited, message: 'Several documents were made in the last minute. Wait a minute, then try again.' } : null
}

/** The agreed vision as a document (facilitator), and as data for the "What we agreed" page. */
export function exportRoutes(workshops: WorkshopService, exports: ExportService): Hono {
  const app = new Hono()
  const documents = documentLimiter()

  app.get('/workshops/:workshopId/export', async (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    const format = c.req.query('format') ?? 'md'
    if (!(format in FORMATS)) return sendError(c, { code: ErrorCode.badRequest, message: `Choose a format: ${Object.keys(FORMATS).join(', ')}.` })
    const tooMany = documents(actor.value.workshopId, format)
    if (tooMany) return sendError(c, tooMany)
    const model = exports.model(actor.value.workshopId)
    if (!model.ok) return sendError(c, model.error)
    const { type, render } = FORMATS[format as Format]
    const body = await render(model.value)
    c.header('Content-Type', type)
    c.header('Content-Disposition', attachmentHeader(model.value.workshop.title, model.value.workshop.exportedOn, format))
    c.header('Cache-Control', 'no-store')
    return c.body(typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>))
  })

  app.get('/workshops/:workshopId/outcome', (c) => {
    const actor = workshops.authenticate(c.req.param('workshopId'), bearerToken(c))
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, exports.model(actor.value.workshopId))
  })

  return app
}
