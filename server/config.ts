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
  /** Participants per workshop. */
  participantsPerWorkshop: number
  /** Sections per workshop. */
  sectionsPerWorkshop: number
  /** Join-code lookups per minute per client address before 429. */
  codeLookupsPerMinute: number
  /**
   * Wrong join codes one client address may try per lockout window; past it every lookup from
   * that address gets 429 until the window ends. Only failures count, so a ward sharing one
   * address is not locked out by people typing the right code.
   */
  codeFailuresPerLockout: number
  codeLockoutMs: number
  /**
   * Refused websocket upgrades (unknown workshop, bad token) per minute per client address;
   * past it the answer is 429. There is no token yet, so the address is all we have; valid
   * tokens are never counted or refused by this limit.
   */
  refusedUpgradesPerMinute: number
  /** A TCP connection must send a complete request head within this time or it is dropped. */
  preAuthTimeoutMs: number
  /** Encoded size of one workshop's board; updates that would grow it past this close with 4413. */
  maxBoardBytes: number
  /** JSON size of one tldraw record on the board (a pasted image inlined as data: counts). */
  maxBoardRecordBytes: number
  /** Nesting depth of one board record; tldraw's deepest (rich text) is under 10. */
  maxBoardRecordDepth: number
  /**
   * Shapes a participant may delete per minute that were last written by someone else; their
   * own shapes are not counted, and the facilitator is not limited. Stops one person wiping
   * everyone's work; refusals close with 4405.
   */
  foreignDeletesPerMinute: number
  /** JSON size of one awareness (presence) state; ours is ~100 bytes. Larger closes with 4413. */
  maxPresenceBytes: number
}

export interface Config {
  port: number
  host: string
  dataDir: string
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
  /**
   * Vote tallies, consent outcomes and reasons are published only when at least this many people
   * answered; below it the facilitator keeps the round open or publishes anyway, in public.
   */
  minResultGroup: number
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
  participantsPerWorkshop: 500,
  sectionsPerWorkshop: 12,
  codeLookupsPerMinute: 30,
  codeFailuresPerLockout: 60,
  codeLockoutMs: 15 * 60_000,
  refusedUpgradesPerMinute: 600,
  preAuthTimeoutMs: 10_000,
  maxBoardBytes: 16 * 1024 * 1024,
  maxBoardRecordBytes: 512 * 1024,
  maxBoardRecordDepth: 32,
  foreignDeletesPerMinute: 60,
  maxPresenceBytes: 4 * 1024,
}

export const defaultConfig: Config = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: './data',
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
  minResultGroup: 3,
  limits: defaultLimits,
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).optional(),
  PUBLIC_URL: z.url().optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  TLDRAW_LICENSE_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['silent', 'info', 'debug']).optional(),
  MIN_RESULT_GROUP: z.coerce.number().int().min(2).max(50).optional(),
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
    publicUrl: e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : null,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    tldrawLicenseKey: e.TLDRAW_LICENSE_KEY ?? null,
    logLevel: e.LOG_LEVEL ?? defaultConfig.logLevel,
    minResultGroup: e.MIN_RESULT_GROUP ?? defaultConfig.minResultGroup,
  }
}
