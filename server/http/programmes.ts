import { Hono } from 'hono'
import { ProgrammeBody } from '../../shared/coproductionBodies.ts'
import type { Config } from '../config.ts'
import type { LifecycleService } from '../services/LifecycleService.ts'
import type { ProgrammeService } from '../services/ProgrammeService.ts'
import type { IdentityEnv } from './clientIdentity.ts'
import type { CreationLimits } from './CreationLimits.ts'
import { documentLimiter, FORMATS, type DocumentRenderer } from './exports.ts'
import { attachmentHeader } from '../export/fileName.ts'
import { bearerToken, parseBody, requestOrigin, send, sendError } from './request.ts'
import { ErrorCode } from '../../shared/errors.ts'


/** Programmes: create, the lead's view, and the evidence pack (programme key). */
export function programmeRoutes(
  config: Config,
  programmes: ProgrammeService,
  renderer: DocumentRenderer,
  lifecycle: Pick<LifecycleService, 'recordProgrammeActivity'>,
  creations: CreationLimits,
): Hono<IdentityEnv> {
  const app = new Hono<IdentityEnv>()
  const documents = documentLimiter()

  app.post('/programmes', async (c) => {
    const body = await parseBody(c, ProgrammeBody)
    if (!body.ok) return sendError(c, body.error)
    const refused = creations.take(c, 'programmes')
    if (refused) return sendError(c, { code: ErrorCode.rateLimited, message: refused })
    return c.json(programmes.create(body.value.title, config.publicUrl ?? requestOrigin(c)), 201)
  })

  app.get('/programmes/:programmeId', (c) => {
    const lead = programmes.authenticate(c.req.param('programmeId'), bearerToken(c))
    if (!lead.ok) return sendError(c, lead.error)
    // The lead looking counts as use: the programme's deletion day moves on (issue 18).
    lifecycle.recordProgrammeActivity(lead.value.programmeId)
    return send(c, programmes.view(lead.value.programmeId))
  })

  app.get('/programmes/:programmeId/evidence', async (c) => {
    const lead = programmes.authenticate(c.req.param('programmeId'), bearerToken(c))
    if (!lead.ok) return sendError(c, lead.error)
    const format = c.req.query('format') ?? 'json'
    if (format !== 'json' && format !== 'pdf' && format !== 'docx')
      return sendError(c, { code: ErrorCode.validation, message: 'format must be json, pdf or docx' })
    const tooMany = documents(lead.value.programmeId, format)
    if (tooMany) return sendError(c, tooMany)
    const model = programmes.evidence(lead.value.programmeId)
    if (!model.ok) return sendError(c, model.error)
    // The file name says which programme and the day, never who made it: two programmes' packs
    // saved on one day no longer overwrite each other. A download is not padded (api.md).
    const disposition = attachmentHeader(`Evidence ${model.value.programme.title}`, model.value.programme.exportedOn, format)
    if (format === 'json') return c.json(model.value, 200, { 'Content-Disposition': disposition })
    const bytes = await renderer.render({ kind: 'evidence', format, model: model.value }, lead.value.programmeId)
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': FORMATS[format].type, 'Content-Disposition': disposition })
  })

  return app
}
