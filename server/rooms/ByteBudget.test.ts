import { describe, expect, it } from 'vitest'
import { ByteBudget, MESSAGES_PER_ACTOR_PER_SECOND } from './ByteBudget.ts'

describe('ByteBudget', () => {
  it('lets a full burst through, then refills at the rate, per actor', () => {
    const budget = new ByteBudget(1000, 4000)
    expect(budget.take('a', 4000, 0)).toBe(true)
    expect(budget.take('a', 1, 0)).toBe(false)
    // Another actor has its own budget.
    expect(budget.take('b', 4000, 0)).toBe(true)
    expect(budget.take('a', 500, 500)).toBe(true)
    expect(budget.take('a', 600, 500)).toBe(false)
    // Never more than the burst, however long the pause.
    expect(budget.take('a', 4001, 1_000_000)).toBe(false)
    expect(budget.take('a', 4000, 1_000_000)).toBe(true)
  })

  it('counts messages too, so many tiny ones cannot outrun it, while a big frame followed by a small one is fine', () => {
    const budget = new ByteBudget(512 * 1024, 2 * 1024 * 1024)
    let taken = 0
    while (taken < 10_000 && budget.take('a', 12, 0)) taken += 1
    expect(taken).toBe(2 * MESSAGES_PER_ACTOR_PER_SECOND)
    expect(budget.take('a', 12, 1000 / MESSAGES_PER_ACTOR_PER_SECOND)).toBe(true)
    // A whole frame's worth of bytes, then a cursor move at once: both go.
    expect(budget.take('b', 2 * 1024 * 1024 - 100, 0)).toBe(true)
    expect(budget.take('b', 40, 0)).toBe(true)
  })
})
