import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ErrorCode } from '../../shared/errors.ts'
import type { Config } from '../config.ts'
import { errorBody } from './errorStatus.ts'

/** Settings the browser needs, put into index.html as a meta tag (no extra request, no inline script). */
export interface ClientSettings {
  tldrawLicenseKey: string | null
  /** Shown on the privacy page: who to contact about personal data. */
  privacyContact: string | null
}

/** The client router's pattern for workshop ids (client/router.tsx): nothing else goes into the page. */
const WORKSHOP_ID = /^[A-Za-z0-9_-]{1,64}$/

const escapeAttribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

/**
 * Serves the built client: hashed assets as files, every other GET as index.html so the
 * client's router takes over. Without a build, says how to make one.
 */
export function clientPages(config: Config): Hono {
  const app = new Hono()
  const indexFile = join(config.clientDir, 'index.html')
  if (!existsSync(indexFile)) {
    app.get('*', (c) => c.text('The client is not built yet. Run `npm start` (it builds first) or `npm run build`.', 503))
    return app
  }
  const settings: ClientSettings = { tldrawLicenseKey: config.tldrawLicenseKey, privacyContact: config.privacyContact }
  // Read again whenever the build changes: read once, a client rebuilt under a running server
  // left every page naming scripts that were gone, blank, with nothing to say why (December review).
  // Keyed on time and size (a coarse clock can keep one time across a rebuild); a file caught part
  // way through being written (no settings mark yet) is not kept.
  let read = { changed: '', html: '' }
  const page = (): string => {
    const stat = statSync(indexFile, { throwIfNoEntry: false })
    const changed = stat ? `${stat.mtimeMs} ${stat.size}` : read.changed
    if (changed !== read.changed) {
      const built = readFileSync(indexFile, 'utf8')
      if (built.includes('<!--parity-settings-->') || read.html === '')
        read = { changed, html: built.replace('<!--parity-settings-->', `<meta name="parity-settings" content="${escapeAttribute(JSON.stringify(settings))}">`) }
    }
    return read.html
  }
  page()
  app.use('/assets/*', async (c, next) => {
    await next()
    // Vite puts a content hash in every asset name, so they never change under one URL.
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable')
  })
  app.use('/assets/*', serveStatic({ root: config.clientDir, precompressed: true }))
  // Not the page: a missing script answered with index.html (200, text/html) failed in the
  // browser as a module of the wrong type, with nothing to say why.
  app.get('/assets/*', (c) => c.json(errorBody({ code: ErrorCode.notFound, message: 'No such file. Parity may have been updated: reload the page.' }), 404))
  app.use('/favicon.svg', async (c, next) => {
    await next()
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=86400')
  })
  app.get('/favicon.svg', serveStatic({ root: config.clientDir }))
  // The join page's first question is the workshop's welcome (title, content note). Asked in the
  // page itself, it leaves only once all the script has run: over a second on a slow phone, and
  // the page then shifts under the reader's thumb. Named here, it arrives with the script.
  app.get('/w/:workshopId/join', (c) => {
    const workshopId = c.req.param('workshopId')
    if (!WORKSHOP_ID.test(workshopId)) return c.html(page())
    return c.html(page().replace('</head>', `<link rel="preload" as="fetch" crossorigin href="/api/workshops/${workshopId}/welcome">\n  </head>`))
  })
  app.get('*', (c) => c.html(page()))
  return app
}
