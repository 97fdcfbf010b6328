import { z } from 'zod'

/**
 * Every setting and limit in one object with its default. `loadConfig` is the only reader of
 * `process.env`; everything else receives a `Config`.
 */
export interface Limits {
  /** Largest websocket frame accepted; bigger frames close the socket with 1009. */
  maxFrameBytes: number
  /** Largest HTTP request body accepted. */
  maxBodyBytes: number
  /** Websocket messages per second per connection before it is closed with 4429. */
  messagesPerSecond: number
  /**
   * Bytes per second one token may send to one document, over all its sockets, after a burst of
   * one full frame. Past it the socket closes with 4429. Bounds the decoding work one token can
   * cause: a frame of tiny Yjs structs costs ~0.2–0.6 s of event loop per MiB to decode.
   */
  inboundBytesPerSecond: number
  /** Open sockets allowed for one token at once. */
  socketsPerToken: number
  /** Ideas one participant may add per minute, and per section. */
  ideasPerMinute: number
  ideasPerSection: number
  /**
   * Ideas and suggestions one workshop may hold. Without it, 500 people × 12 sections × 30 ideas
   * were allowed, and every whole-workshop answer (exports, "What we agreed", joins) grew with it
   * (December robustness review). A large real workshop holds a few hundred.
   */
  ideasPerWorkshop: number
  /** Participants per workshop. */
  participantsPerWorkshop: number
  /** Sections per workshop. */
  sectionsPerWorkshop: number
  /**
   * Workshops per programme: the programme page and evidence pack read every one of them per
   * request (loading each workshop), so their number bounds what one request costs.
   */
  workshopsPerProgramme: number
  /** Join-code lookups per minute per client (device cookie, or address without one) before 429. */
  codeLookupsPerMinute: number
  /**
   * Wrong join codes one client may try before it is slowed down: each further wrong code
   * doubles its wait (1 s, 2 s, 4 s … up to `codeLockoutMs`). A client is a browser (device
   * cookie); people on the same address (a hospital proxy) are never slowed by someone else.
   */
  codeFailuresPerLockout: number
  codeLockoutMs: number
  /**
   * Wrong join codes from one address (all its devices) per `codeLockoutMs` after which that
   * address is given no new device cookies; browsers that already have one carry on.
   */
  codeFailuresPerAddress: number
  /** New device cookies handed to one address per minute (a join storm behind one proxy fits). */
  newDevicesPerAddressPerMinute: number
  /** Joins per workshop per minute, and per client per minute (device, or address without one). */
  joinsPerWorkshopPerMinute: number
  joinsPerClientPerMinute: number
  /** Joins per minute from one address by clients without a device cookie (scripts, not browsers). */
  joinsPerAddressPerMinute: number
  /** Workshops one client may create per hour, and per day. */
  workshopsPerClientPerHour: number
  workshopsPerClientPerDay: number
  /**
   * Refused websocket upgrades (unknown workshop, bad token) per minute per client address;
   * past it the answer is 429. There is no token yet, so the address is all we have; valid
   * tokens are never counted or refused by this limit.
   */
  refusedUpgradesPerMinute: number
  /** A TCP connection must send a complete request head within this time or it is dropped. */
  preAuthTimeoutMs: number
  /**
   * Encoded size of the state doc sent with a join response (`state`). A larger one is left out
   * and comes over the state socket instead: on a slow link a big response would hold back the
   * join itself, and the socket sends the same bytes without base64's third more.
   */
  maxJoinStateBytes: number
  /** Encoded size of one workshop's board; updates that would grow it past this close with 4413. */
  maxBoardBytes: number
  /** JSON size of one tldraw record on the board (a pasted image inlined as data: counts). */
  maxBoardRecordBytes: number
  /** Nesting depth of one board record; tldraw's deepest (rich text) is under 10. */
  maxBoardRecordDepth: number
  /**
   * JSON bytes of board records one participant may have on the board (the records they last
   * wrote); past it their additions close with 4413 and the client keeps them and says so.
   * The facilitator has no quota.
   */
  boardBytesPerParticipant: number
  /**
   * Shapes a participant may delete per minute that were last written by someone else; their
   * own shapes are not counted, and the facilitator is not limited. Stops one person wiping
   * everyone's work; refusals close with 4405.
   */
  foreignDeletesPerMinute: number
  /** JSON size of one awareness (presence) state; ours is ~100 bytes. Larger closes with 4413. */
  maxPresenceBytes: number
  /**
   * Structs, values and deleted ranges one client update may carry, counted before Yjs decodes
   * it; more closes with 4413. Bounds the event-loop time one frame can cost (bench/scenarios/hostile.ts).
   */
  maxUpdateParts: number
  /**
   * Board edits held in memory while storage refuses writes (disk full, PostgreSQL down). Past
   * it, rooms refuse new edits with 4503; clients keep theirs and send them again on reconnect.
   */
  maxUnsavedEditBytes: number
}

export interface Config {
  port: number
  host: string
  /** SQLite lives here unless `databaseUrl` is set. */
  dataDir: string
  /** `postgres://…`: store in PostgreSQL instead of SQLite (`dataDir` is then unused). */
  databaseUrl: string | null
  /** `redis://…`: join the other instances that share `databaseUrl` (fan-out and routing). */
  redisUrl: string | null
  /** How long PostgreSQL may take to answer a statement before its connection is replaced. */
  databaseAnswerMs: number
  /** Built client (vite build output) served at `/`. */
  clientDir: string
  /** Origin users reach the app at; links in responses are built from it. */
  publicUrl: string | null
  /** Extra origins allowed to open websockets (besides the app's own). */
  allowedOrigins: string[]
  tldrawLicenseKey: string | null
  logLevel: 'silent' | 'info' | 'debug'
  /** Canvas edits are written to disk in groups at most this far apart. */
  persistFlushMs: number
  /** Number of stored updates after which a doc is compacted into one snapshot. */
  compactAfterUpdates: number
  /** How often rooms are checked for compaction. */
  compactIntervalMs: number
  /** How long a room stays loaded after its last socket leaves. */
  roomUnloadGraceMs: number
  /** Ping interval; a socket that misses one pong is dropped. */
  pingIntervalMs: number
  /** Open sockets re-check their token this often; a revoked token's sockets close with 4401. */
  authRecheckMs: number
  /** Min gap between published batches of late ideas in a revealed section. */
  ideaBatchIntervalMs: number
  /** How long a full batch of check-outs waits to be written; null: a random 5–60 s (CheckoutService); 0: written at once (tests). */
  checkoutBatchDelayMs: number | null
  /** Days a workshop is kept after its last activity unless its facilitator chose otherwise. */
  retentionDays: number
  /** How often the server deletes workshops past their deletion day. */
  purgeIntervalMs: number
  /** Longest one slice of a deletion may hold the event loop before yielding. */
  purgeSliceMs: number
  /**
   * PostgreSQL: how often, at most, the tables a deletion touched are rewritten so the deleted
   * rows' bytes leave the files (DeferredVacuum). The rewrite locks each table, every workshop's,
   * while it copies it, so deletions wait for the next slot rather than each running it. Default
   * 10 minutes: deleted data leaves the files within about that long.
   */
  eraseVacuumIntervalMs: number
  /**
   * PostgreSQL: how soon, at most, the contribution tables are rewritten (VACUUM FULL) after a
   * publication or round close, so the old row versions and their arrival order leave the files
   * (DeferredVacuum). Scrubs within one interval share one rewrite per table, run off the event
   * loop. Default 5 seconds: the window in which a copy of the files still shows that order.
   */
  scrubVacuumIntervalMs: number
  /** Who to contact about personal data, shown on the privacy page (operator's choice). */
  privacyContact: string | null
  /**
   * Vote tallies, consent outcomes and reasons are published only when at least this many people
   * answered; below it the facilitator keeps the round open or publishes anyway, in public.
   */
  minResultGroup: number
  /**
   * Reverse proxies in front of the server that append the client's address to X-Forwarded-For.
   * 0 (default): the header is ignored, since anyone can send it. With n, the n-th address from
   * the right is the client's.
   */
  trustProxyHops: number
  limits: Limits
}

export const defaultLimits: Limits = {
  maxFrameBytes: 2 * 1024 * 1024,
  maxBodyBytes: 64 * 1024,
  messagesPerSecond: 300,
  inboundBytesPerSecond: 512 * 1024,
  socketsPerToken: 8,
  ideasPerMinute: 10,
  ideasPerSection: 30,
  ideasPerWorkshop: 3_000,
  participantsPerWorkshop: 500,
  sectionsPerWorkshop: 12,
  workshopsPerProgramme: 60,
  codeLookupsPerMinute: 30,
  codeFailuresPerLockout: 60,
  codeLockoutMs: 15 * 60_000,
  codeFailuresPerAddress: 200,
  newDevicesPerAddressPerMinute: 300,
  joinsPerWorkshopPerMinute: 300,
  joinsPerClientPerMinute: 10,
  joinsPerAddressPerMinute: 600,
  workshopsPerClientPerHour: 120,
  workshopsPerClientPerDay: 1000,
  refusedUpgradesPerMinute: 600,
  preAuthTimeoutMs: 10_000,
  maxJoinStateBytes: 128 * 1024,
  maxBoardBytes: 16 * 1024 * 1024,
  maxBoardRecordBytes: 512 * 1024,
  maxBoardRecordDepth: 32,
  boardBytesPerParticipant: 1024 * 1024,
  foreignDeletesPerMinute: 60,
  maxPresenceBytes: 4 * 1024,
  maxUpdateParts: 20_000,
  maxUnsavedEditBytes: 64 * 1024 * 1024,
}

export const defaultConfig: Config = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: './data',
  databaseUrl: null,
  redisUrl: null,
  databaseAnswerMs: 30_000,
  clientDir: './dist',
  publicUrl: null,
  allowedOrigins: [],
  tldrawLicenseKey: null,
  logLevel: 'info',
  persistFlushMs: 100,
  compactAfterUpdates: 500,
  // Often, so each compaction deletes few rows: a room at 150 edits/s compacted once a minute
  // deleted ~9,000 rows in one go and held the event loop ~250 ms (S5 in docs/performance.md).
  compactIntervalMs: 5_000,
  roomUnloadGraceMs: 30_000,
  pingIntervalMs: 30_000,
  authRecheckMs: 2_000,
  ideaBatchIntervalMs: 30_000,
  checkoutBatchDelayMs: null,
  retentionDays: 90,
  purgeIntervalMs: 60 * 60_000,
  purgeSliceMs: 10,
  eraseVacuumIntervalMs: 10 * 60_000,
  scrubVacuumIntervalMs: 5_000,
  privacyContact: null,
  minResultGroup: 3,
  trustProxyHops: 0,
  limits: defaultLimits,
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (SQLite needs no URL: leave it unset)')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  PUBLIC_URL: z.url().optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  TLDRAW_LICENSE_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['silent', 'info', 'debug']).optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  PRIVACY_CONTACT: z.string().trim().min(1).max(500).optional(),
  MIN_RESULT_GROUP: z.coerce.number().int().min(2).max(50).optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).optional(),
})

/** Reads the environment once; throws listing every problem so a bad deploy fails fast. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  return {
    ...defaultConfig,
    port: e.PORT ?? defaultConfig.port,
    host: e.HOST ?? defaultConfig.host,
    dataDir: e.DATA_DIR ?? defaultConfig.dataDir,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    publicUrl: e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : null,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    tldrawLicenseKey: e.TLDRAW_LICENSE_KEY ?? null,
    logLevel: e.LOG_LEVEL ?? defaultConfig.logLevel,
    retentionDays: e.RETENTION_DAYS ?? defaultConfig.retentionDays,
    privacyContact: e.PRIVACY_CONTACT ?? null,
    minResultGroup: e.MIN_RESULT_GROUP ?? defaultConfig.minResultGroup,
    trustProxyHops: e.TRUST_PROXY ?? defaultConfig.trustProxyHops,
  }
}
