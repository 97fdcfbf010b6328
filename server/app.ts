import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { ErrorCode } from '../shared/errors.ts'
import type { Config } from './config.ts'
import { clientPages } from './http/clientPages.ts'
import { errorBody } from './http/errorStatus.ts'
import { padJsonResponses } from './http/padding.ts'
import { bearerToken } from './http/request.ts'
import { hashToken } from './domain/tokens.ts'
import { workshopRoutes } from './http/workshops.ts'
import { deviceIdentity, type IdentityEnv } from './http/clientIdentity.ts'
import { CreationLimits } from './http/CreationLimits.ts'
import { RateLimiter } from './http/RateLimiter.ts'
import { describeError, type Logger } from './logger.ts'
import { RoomHeldElsewhere, RoomLoadError } from './rooms/roomErrors.ts'
import type { RoomRegistry } from './rooms/RoomRegistry.ts'
import type { IdeaService } from './services/IdeaService.ts'
import type { SectionService } from './services/SectionService.ts'
import type { WorkshopService } from './services/WorkshopService.ts'
import { ideaRoutes } from './http/ideas.ts'
import { sectionRoutes } from './http/sections.ts'
import { voteRoutes } from './http/votes.ts'
import { exportRoutes, type DocumentRenderer } from './http/exports.ts'
import { DocumentsBusy } from './export/DocumentWorker.ts'
import type { ExportService } from './services/ExportService.ts'
import type { VoteService } from './services/VoteService.ts'
import type { ConsentService } from './services/ConsentService.ts'
import type { WellbeingService } from './services/WellbeingService.ts'
import { wellbeingRoutes } from './http/wellbeing.ts'
import { themeRoutes } from './http/themes.ts'
import type { ThemeService } from './services/ThemeService.ts'
import { wsRoutes } from './ws/routes.ts'
import { SocketServer } from './ws/SocketServer.ts'
import type { WsGateway } from './ws/WsGateway.ts'
import type { Cluster } from './cluster/Cluster.ts'
import { lifecycleRoutes } from './http/lifecycle.ts'
import type { LifecycleService } from './services/LifecycleService.ts'
import type { ExportOptOutService } from './services/ExportOptOutService.ts'
import { programmeRoutes } from './http/programmes.ts'
import { commitmentRoutes } from './http/commitments.ts'
import { sharedPage, shareRoutes } from './http/shares.ts'
import { checkoutRoutes } from './http/checkouts.ts'
import { involvementRoutes } from './http/involvement.ts'
import type { ProgrammeService } from './services/ProgrammeService.ts'
import type { CommitmentService } from './services/CommitmentService.ts'
import type { ShareService } from './services/ShareService.ts'
import type { CheckoutService } from './services/CheckoutService.ts'
import type { InvolvementService } from './services/InvolvementService.ts'

export interface Coproduction {
  programmes: ProgrammeService
  commitments: CommitmentService
  shares: ShareService
  checkouts: CheckoutService
  involvement: InvolvementService
}

export interface AppDeps {
  config: Config
  log: Logger
  rooms: RoomRegistry
  workshops: WorkshopService
  ideas: IdeaService
  sections: SectionService
  votes: VoteService
  consent: ConsentService
  exports: ExportService
  wellbeing: WellbeingService
  lifecycle: LifecycleService
  exportOptOuts: ExportOptOutService
  themes: ThemeService
  /** Co-production over time (issue 16). */
  coproduction: Coproduction
  /** Board edits waiting for the disk; `failing` while the disk refuses them (full, read-only). */
  storage?: { readonly failing: boolean }
  /** Resolves once everything committed so far is power-safe (WalSync). */
  durable?: () => Promise<void>
  /** Signs device cookies (clientIdentity.ts); kept across restarts. */
  deviceSecret: Buffer
  /** Admission and sessions for document sockets. */
  gateway: WsGateway
  /** Several instances (REDIS_URL): requests and sockets for a workshop go to its owner. */
  cluster?: Cluster
  /** Makes PDF and Word documents off the event loop (DocumentWorker). */
  documents: DocumentRenderer
}

/** Requests sent as POST that change nothing (a body of keys to look up): not counted as changes. */
const READS_BY_POST = /\/ideas\/mine$/

/** Changes one key may ask for in a window (see the middleware in `createApp`). */
export const CHANGES_PER_KEY = 100
const CHANGES_WINDOW_MS = 10_000

/** Builds the Hono app and its websocket upgrade hook, without listening. */
export function createApp(deps: AppDeps) {
  const { config, log } = deps
  const app = new Hono<IdentityEnv>()
  // Wrong join codes per address: past the limit the address gets no new device cookies (so a
  // guesser cannot become someone new), while browsers that already have one carry on.
  const codeFailuresByAddress = new RateLimiter(config.limits.codeFailuresPerAddress, config.limits.codeLockoutMs)
  const sockets = new SocketServer(config.limits.maxFrameBytes)

  app.use('*', async (c, next) => {
    await next()
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    // Answers under /api are someone's own (their ballot, their answer, their waiting ideas): a
    // browser's disk cache kept them after "Leave" on a shared tablet (December insider review).
    // no-transform keeps the padding (padding.ts) from being compressed away by a proxy.
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store, no-transform')
    // Nothing leaves our origin: no CDN fonts, no analytics (W14).
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; connect-src 'self' ws: wss: data:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'",
    )
  })

  // Before anything with side effects here (device cookies, limits): the owner does those.
  if (deps.cluster) for (const path of ['/api/workshops/:workshopId', '/api/workshops/:workshopId/*']) app.use(path, deps.cluster.http)

  app.use(
    '*',
    deviceIdentity({
      secret: deps.deviceSecret,
      trustProxyHops: config.trustProxyHops,
      newDevicesPerAddressPerMinute: config.limits.newDevicesPerAddressPerMinute,
      mayIssue: (address) => !codeFailuresByAddress.blocked(address),
      secure: config.publicUrl?.startsWith('https:') ?? false,
    }),
  )

  app.onError((error, c) => {
    // The room refused to open over unreadable saved data: say so, and never write over it.
    if (error instanceof RoomHeldElsewhere) {
      c.header('Retry-After', '1')
      return c.json(errorBody({ code: ErrorCode.unavailable, message: error.message }), 503)
    }
    if (error instanceof RoomLoadError) return c.json(errorBody({ code: ErrorCode.internal, message: error.message }), 503)
    if (error instanceof DocumentsBusy) {
      c.header('Retry-After', '30')
      return c.json(errorBody({ code: ErrorCode.unavailable, message: error.message }), 503)
    }
    log.error('http.unhandled', { method: c.req.method, route: c.req.routePath, ...describeError(error) })
    // A full or read-only disk: nothing was saved (the transaction rolled back). Say so plainly.
    if (isStorageUnavailable(error))
      return c.json(errorBody({ code: ErrorCode.storageUnavailable, message: 'This could not be saved: the server’s storage is full or unavailable. Please try again later.' }), 503)
    return c.json(errorBody({ code: ErrorCode.internal, message: 'Something went wrong on our side. Please try again.' }), 500)
  })
  app.notFound((c) => c.json(errorBody({ code: ErrorCode.notFound, message: 'There is nothing at this address.' }), 404))

  // 503 while edits cannot be saved, so monitoring and the client can show "not saved".
  // `bus` is 'none' for a lone instance. A failing bus keeps 200: this instance still serves its
  // own workshops, and a balancer must not take every instance out when Redis blips.
  app.get('/healthz', (c) => {
    const storage = deps.storage?.failing ? 'failing' : 'ok'
    const bus = deps.cluster?.busStatus ?? 'none'
    return c.json({ ok: storage === 'ok', storage, bus }, storage === 'ok' ? 200 : 503)
  })

  app.use('/api/*', padJsonResponses)
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.limits.maxBodyBytes,
      onError: (c) => {
        // The rest of the body is never read, so this connection cannot carry another request.
        c.header('Connection', 'close')
        return c.json(errorBody({ code: ErrorCode.payloadTooLarge, message: `That is too much to send at once (limit ${config.limits.maxBodyBytes} bytes).` }), 413)
      },
    }),
  )
  // Changes per key (participant token, facilitator or programme key): a person taps a few times
  // a second at most, but a loop on one token made a state write and a broadcast to the whole
  // room for every request, with nothing in between (themes, ballots had no limit of their own).
  const changesPerKey = new RateLimiter(CHANGES_PER_KEY, CHANGES_WINDOW_MS)
  app.use('/api/*', async (c, next) => {
    const token = bearerToken(c)
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !token || READS_BY_POST.test(c.req.path)) return next()
    if (!changesPerKey.take(hashToken(token)))
      return c.json(errorBody({ code: ErrorCode.rateLimited, message: 'That was a lot of changes very quickly. Wait a few seconds, then try again.' }), 429)
    return next()
  })
  // A change is answered only once it would survive a power cut. Commits do not fsync on the
  // event loop; every request waiting at the same moment shares one off-thread WAL sync.
  app.use('/api/*', async (c, next) => {
    await next()
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !deps.durable) return
    try {
      await deps.durable()
    } catch (error) {
      log.error('storage.sync_failed', describeError(error))
      c.res = c.json(errorBody({ code: ErrorCode.internal, message: 'The server could not confirm this was saved. Please check and try again.' }), 503)
    }
  })
  const { programmes, commitments, shares, checkouts, involvement } = deps.coproduction
  const creations = new CreationLimits(config.limits)
  app.route('/api', workshopRoutes(config, deps.workshops, programmes, codeFailuresByAddress, creations))
  app.route('/api', ideaRoutes(deps.workshops, deps.ideas))
  app.route('/api', programmeRoutes(config, programmes, deps.documents, deps.lifecycle, creations))
  app.route('/api', commitmentRoutes(deps.workshops, programmes, commitments))
  app.route('/api', shareRoutes(config, deps.workshops, shares))
  app.route('/api', checkoutRoutes(deps.workshops, programmes, checkouts))
  app.route('/api', involvementRoutes(deps.workshops, programmes, involvement))
  app.route('/api', sectionRoutes(deps.workshops, deps.sections))
  app.route('/api', voteRoutes(deps.workshops, deps.votes, deps.consent))
  app.route('/api', exportRoutes(deps.workshops, deps.exports, deps.documents))
  app.route('/api', wellbeingRoutes(deps.workshops, deps.wellbeing))
  app.route('/api', lifecycleRoutes(deps.workshops, deps.lifecycle, deps.exportOptOuts, programmes))
  app.route('/api', themeRoutes(deps.workshops, deps.themes))
  app.all('/api/*', (c) => c.json(errorBody({ code: ErrorCode.notFound, message: 'There is no such API route.' }), 404))
  app.route('/ws', wsRoutes({ ...deps, sockets, ...(deps.cluster ? { relay: deps.cluster.relay } : {}) }))
  app.route('/', sharedPage(shares))
  app.route('/', clientPages(config))

  return { app, sockets }
}

/**
 * Errors that mean storage refused or could not be reached, not that the request was wrong:
 * SQLite's disk errors; PostgreSQL out of reach, shutting down (57P), connection (08), disk
 * full (53) or read-only (25006).
 */
const STORAGE_UNAVAILABLE = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'PG_UNAVAILABLE', '57P', '08', '53', '25006'])
const isStorageUnavailable = (error: unknown) => {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && [...STORAGE_UNAVAILABLE].some((prefix) => code.startsWith(prefix))
}
