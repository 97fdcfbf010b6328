import { describe, expect, it } from 'vitest'
import { ByteBudget } from './ByteBudget.ts'

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
})
