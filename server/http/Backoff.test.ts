import { describe, expect, it } from 'vitest'
import { Backoff } from './Backoff.ts'

describe('Backoff', () => {
  it('lets the first failures pass, then doubles the wait, per key', () => {
    const backoff = new Backoff(3, 60_000)
    for (let i = 0; i < 2; i++) backoff.fail('a', 0)
    expect(backoff.waitMs('a', 0)).toBe(0)
    backoff.fail('a', 0)
    expect(backoff.waitMs('a', 0)).toBe(1000)
    expect(backoff.waitMs('a', 1000)).toBe(0)
    backoff.fail('a', 1000)
    expect(backoff.waitMs('a', 1000)).toBe(2000)
    expect(backoff.waitMs('b', 1000)).toBe(0)
  })

  it('never waits longer than the cap, and forgets a key quiet for that long', () => {
    const backoff = new Backoff(0, 10_000)
    for (let i = 0; i < 40; i++) backoff.fail('a', 0)
    expect(backoff.waitMs('a', 0)).toBe(10_000)
    expect(backoff.waitMs('a', 10_000)).toBe(0)
    backoff.fail('a', 10_000)
    expect(backoff.waitMs('a', 10_000)).toBe(2000)
  })

  it('keeps the worst offenders when full, rather than forgetting every lockout', () => {
    const backoff = new Backoff(1, 60_000, 10)
    for (let i = 0; i < 5; i++) backoff.fail('guesser', 0)
    for (let i = 0; i < 30; i++) backoff.fail(`fresh-${i}`, 0)
    expect(backoff.waitMs('guesser', 0)).toBeGreaterThan(0)
  })
})
