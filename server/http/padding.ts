import type { MiddlewareHandler } from 'hono'
import { padBytes } from '../../shared/padding.ts'

/** Pads every JSON answer under /api (see shared/padding.ts); the client pads what it sends. */
export const padJsonResponses: MiddlewareHandler = async (c, next) => {
  await next()
  const response = c.res
  // Files to download (exports) are the facilitator's, not anyone's contribution on the wire.
  if (!response.body || !response.headers.get('content-type')?.startsWith('application/json') || response.headers.has('content-disposition')) return
  // Bytes, not text: a large answer (a join with the state doc) is not decoded and encoded again.
  const body = padBytes(new Uint8Array(await response.arrayBuffer()))
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  // Replaced outright (not through c.res, which would copy the old headers back in).
  c.res = undefined
  c.res = new Response(body, { status: response.status, statusText: response.statusText, headers })
}
