import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { RateLimiter } from './RateLimiter.ts'

/**
 * Who is asking, for limits: the browser (a signed device cookie) where there is one, else the
 * network address. Many people share an address (a hospital proxy, a ward's wifi), so limits
 * that punish must fall on the device, never on everyone behind the address.
 *
 * The cookie is a random id the server signs. It is never logged and never stored as is: joins
 * keep a per-workshop hash of it (WorkshopService.join). A signature means a client cannot invent
 * fresh ids to dodge its limits; it must ask us, and new ids per address are rationed.
 */

export const DEVICE_COOKIE = 'parity_device'
const DEVICE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60

type Variables = { deviceId: string | null; clientAddress: string }
export type IdentityEnv = { Variables: Variables }

/**
 * The client's address. Without trusted proxies the socket's peer; with `trustProxyHops` = n,
 * the n-th address from the right of X-Forwarded-For (each trusted proxy appends one; anything
 * further left was written by the client and proves nothing).
 */
export function clientAddress(c: Context, trustProxyHops: number): string {
  const peer = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress ?? 'unknown'
  if (trustProxyHops === 0) return peer
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  return forwarded[forwarded.length - trustProxyHops] ?? peer
}

export interface DeviceCookieOptions {
  secret: Buffer
  trustProxyHops: number
  newDevicesPerAddressPerMinute: number
  /** Whether `address` may be given new device ids now (false while it is guessing codes). */
  mayIssue?: (address: string) => boolean
  /** Served over HTTPS (PUBLIC_URL), perhaps behind a proxy that speaks HTTP to us. */
  secure?: boolean
}

/** Websocket upgrades (server/ws/routes.ts) come from a page that already has its cookie. */
const isSocketPath = (c: Context) => c.req.path.startsWith('/ws/')

/**
 * Reads the device cookie into `deviceId` (null when absent or not ours) and the address into
 * `clientAddress`, for every request but websocket upgrades (which use neither). A request
 * without a valid cookie gets a new one in its response, but is still counted as its address: an
 * id minted for this request would let a client that drops cookies be someone new every time.
 */
export function deviceIdentity(options: DeviceCookieOptions): MiddlewareHandler<IdentityEnv> {
  const issued = new RateLimiter(options.newDevicesPerAddressPerMinute, 60_000)
  const sign = (id: string) => createHmac('sha256', options.secret).update(id).digest('base64url').slice(0, 32)
  const verify = (value: string | undefined): string | null => {
    const [id, signature] = (value ?? '').split('.')
    if (!id || !signature || id.length !== 22) return null
    const expected = Buffer.from(sign(id))
    const given = Buffer.from(signature)
    return expected.length === given.length && timingSafeEqual(expected, given) ? id : null
  }
  return async (c, next) => {
    // Websocket upgrades never get a cookie, and their routes read neither value (the gateway
    // asks for the address itself, only to count a refusal). Reading the address makes Node keep
    // the peer's address on the socket for as long as it stays open: 88 bytes per connection.
    if (isSocketPath(c)) return next()
    const address = clientAddress(c, options.trustProxyHops)
    const deviceId = verify(getCookie(c, DEVICE_COOKIE))
    c.set('clientAddress', address)
    c.set('deviceId', deviceId)
    await next()
    if (deviceId || !(options.mayIssue?.(address) ?? true) || !issued.take(address)) return
    const id = randomBytes(16).toString('base64url')
    setCookie(c, DEVICE_COOKIE, `${id}.${sign(id)}`, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: options.secure === true || new URL(c.req.url).protocol === 'https:',
      maxAge: DEVICE_COOKIE_MAX_AGE_S,
    })
  }
}

/** The key limits count a request under: its device if it has one, else its address. */
export const clientKey = (c: Context<IdentityEnv>): string => {
  const deviceId = c.get('deviceId')
  return deviceId ? `device:${deviceId}` : `address:${c.get('clientAddress')}`
}
