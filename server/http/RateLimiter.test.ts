import { describe, expect, it } from 'vitest'
import { RateLimiter } from './RateLimiter.ts'

describe('RateLimiter', () => {
  it('counts per key in fixed windows', () => {
    const limiter = new RateLimiter(2, 1000)
    expect([limiter.take('a', 0), limiter.take('a', 0), limiter.take('a', 0)]).toEqual([true, true, false])
    expect(limiter.blocked('a', 999)).toBe(true)
    expect(limiter.take('b', 0)).toBe(true)
    expect(limiter.take('a', 1000)).toBe(true)
  })

  it('keeps keys over their limit when full, rather than wiping every limit for a flood of new keys', () => {
    const limiter = new RateLimiter(2, 60_000, 10)
    for (let i = 0; i < 3; i++) limiter.take('guesser', 0)
    for (let i = 0; i < 30; i++) limiter.take(`fresh-${i}`, 0)
    expect(limiter.blocked('guesser', 0)).toBe(true)
  })
})
