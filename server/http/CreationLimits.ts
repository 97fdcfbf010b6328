import type { Context } from 'hono'
import type { Limits } from '../config.ts'
import { clientKey, type IdentityEnv } from './clientIdentity.ts'
import { RateLimiter } from './RateLimiter.ts'

const HOUR_MS = 60 * 60 * 1000
const DAY_MS = 24 * HOUR_MS
/**
 * What one address may make, as a multiple of one device's limits: a ward or an office shares
 * an address, and a script can get a fresh device cookie for every few requests, so the device
 * limits alone let one address make tens of thousands of workshops an hour.
 */
const PER_ADDRESS_FACTOR = 5

/**
 * Limits on making workshops and programmes (anyone may, without an account), shared by both:
 * each one made is rows and documents on disk for months.
 */
export class CreationLimits {
  private readonly perHour: RateLimiter
  private readonly perDay: RateLimiter
  private readonly perAddressHour: RateLimiter
  private readonly perAddressDay: RateLimiter

  constructor(limits: Pick<Limits, 'workshopsPerClientPerHour' | 'workshopsPerClientPerDay'>) {
    this.perHour = new RateLimiter(limits.workshopsPerClientPerHour, HOUR_MS)
    this.perDay = new RateLimiter(limits.workshopsPerClientPerDay, DAY_MS)
    this.perAddressHour = new RateLimiter(limits.workshopsPerClientPerHour * PER_ADDRESS_FACTOR, HOUR_MS)
    this.perAddressDay = new RateLimiter(limits.workshopsPerClientPerDay * PER_ADDRESS_FACTOR, DAY_MS)
  }

  /** Counts one thing made; the reason to refuse (nothing counted) when over a limit. */
  take(c: Context<IdentityEnv>, what: 'workshops' | 'programmes'): string | null {
    const key = clientKey(c)
    const address = c.get('clientAddress')
    if (this.perDay.blocked(key) || this.perAddressDay.blocked(address))
      return `You have made as many ${what} as one person can today. Use one you already made, or try again tomorrow.`
    if (this.perHour.blocked(key) || this.perAddressHour.blocked(address)) return `You have made several ${what} in the last hour. Wait a while, then try again.`
    this.perHour.take(key)
    this.perDay.take(key)
    this.perAddressHour.take(address)
    this.perAddressDay.take(address)
    return null
  }
}
