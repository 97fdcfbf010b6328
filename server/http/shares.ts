import { Hono } from 'hono'
import { STATUS_LABEL } from '../../shared/coproduction.ts'
import type { Config } from '../config.ts'
import { formatDay } from '../export/content.ts'
import type { ShareService, SharedOutcome } from '../services/ShareService.ts'
import type { WorkshopService } from '../services/WorkshopService.ts'
import { requireActor, today } from './auth.ts'
import { requestOrigin, send, sendError } from './request.ts'

/** Share links: make and revoke (facilitator), and the public JSON. */
export function shareRoutes(config: Config, workshops: WorkshopService, shares: ShareService): Hono {
  const app = new Hono()

  app.post('/workshops/:workshopId/share', (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, shares.create(actor.value.workshopId, config.publicUrl ?? requestOrigin(c), today()), 201)
  })

  app.get('/workshops/:workshopId/shares', (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    return c.json(shares.count(actor.value.workshopId))
  })

  app.delete('/workshops/:workshopId/shares', (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    return c.json(shares.revokeAll(actor.value.workshopId))
  })

  app.delete('/workshops/:workshopId/share/:shareId', (c) => {
    const actor = requireActor(c, workshops, 'facilitator')
    if (!actor.ok) return sendError(c, actor.error)
    return send(c, shares.revoke(actor.value.workshopId, c.req.param('shareId')))
  })

  app.get('/shared/:shareId', (c) => {
    return send(c, shares.view(c.req.param('shareId')))
  })

  return app
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/**
 * The read-only page at /shared/:shareId, made on the server: it works without the app's
 * JavaScript, on any phone, and has nothing to sign in to.
 */
export function sharedPage(shares: ShareService): Hono {
  const app = new Hono()
  app.get('/shared/:shareId', (c) => {
    c.header('Cache-Control', 'no-store')
    const view = shares.view(c.req.param('shareId'))
    if (!view.ok) return c.html(page('Link not working', `<h1>This link does not work any more</h1><p>${escapeHtml(view.error.message)}</p>`), 404)
    return c.html(page(view.value.title, outcomeHtml(view.value)))
  })
  return app
}

function outcomeHtml(outcome: SharedOutcome): string {
  const sections = outcome.sections
    .map((s) => {
      const body = !s.agreed
        ? '<p>Not agreed yet.</p>'
        : [s.agreed.text ? `<p class="agreed">${escapeHtml(s.agreed.text)}</p>` : '', s.agreed.items ? `<ol>${s.agreed.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ol>` : ''].join('')
      return `<section><h3>${escapeHtml(s.title)}</h3>${body}</section>`
    })
    .join('')
  const commitments =
    outcome.commitments.length === 0
      ? '<p>No commitments yet.</p>'
      : `<ul>${outcome.commitments
          .map(
            (c) =>
              `<li><p><strong>${escapeHtml(c.text)}</strong></p><p>Who: ${escapeHtml(c.ownerRole)}. Status: <strong>${STATUS_LABEL[c.status]}</strong>${c.due ? `. Due: ${formatDay(c.due)}` : ''}.</p>${
                c.updates.length
                  ? `<ul>${c.updates.map((u) => `<li>${formatDay(u.day)}: ${STATUS_LABEL[u.status]}${u.note ? ` — ${escapeHtml(u.note)}` : ''}</li>`).join('')}</ul>`
                  : ''
              }</li>`,
          )
          .join('')}</ul>`
  return `<h1>${escapeHtml(outcome.title)}</h1><p>What this workshop agreed, and what has happened since. Nobody is named.</p><h2>What we agreed</h2>${sections}<h2>You said, we did</h2>${commitments}`
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Parity</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem;margin:0 auto;padding:1rem;color:#1a1a1a}.agreed{font-weight:bold;border-left:4px solid #1d4f91;padding-left:.75rem}li{margin-bottom:.5rem}</style>
</head><body><main>${body}</main></body></html>`
