import { describe, expect, it } from 'vitest'
import { ByteBudget, MESSAGE_COST_FLOOR_BYTES } from './ByteBudget.ts'

describe('ByteBudget', () => {
  it('lets a full burst through, then refills at the rate, per actor', () => {
    const K = MESSAGE_COST_FLOOR_BYTES
    const budget = new ByteBudget(1000 * K, 4000 * K)
    expect(budget.take('a', 4000 * K, 0)).toBe(true)
    expect(budget.take('a', K, 0)).toBe(false)
    // Another actor has its own budget.
    expect(budget.take('b', 4000 * K, 0)).toBe(true)
    expect(budget.take('a', 500 * K, 500)).toBe(true)
    expect(budget.take('a', 600 * K, 500)).toBe(false)
    // Never more than the burst, however long the pause.
    expect(budget.take('a', 4001 * K, 1_000_000)).toBe(false)
    expect(budget.take('a', 4000 * K, 1_000_000)).toBe(true)
  })

  it('charges every message at least the floor, so many tiny messages cannot outrun the budget', () => {
    const budget = new ByteBudget(512 * 1024, 2 * 1024 * 1024)
    const burst = (2 * 1024 * 1024) / MESSAGE_COST_FLOOR_BYTES
    let taken = 0
    while (taken < 10_000 && budget.take('a', 12, 0)) taken += 1
    expect(taken).toBe(burst)
    // Refilled at bytesPerSecond / floor messages a second.
    expect(budget.take('a', 12, 1000 / ((512 * 1024) / MESSAGE_COST_FLOOR_BYTES))).toBe(true)
  })
})
