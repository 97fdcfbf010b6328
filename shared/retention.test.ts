import { describe, expect, it } from 'vitest'
import { addDays, daysUntil, formatDay } from './retention.ts'

describe('retention days', () => {
  it('reads a deletion day in UK English, the day as the calendar has it', () => {
    expect(formatDay('2027-03-05')).toBe('5 March 2027')
    expect(formatDay('2026-12-31')).toBe('31 December 2026')
    expect(formatDay(addDays('2026-12-31', 1))).toBe('1 January 2027')
  })

  it('counts whole days to the deletion day', () => {
    expect(daysUntil('2026-12-13', '2026-12-06')).toBe(7)
    expect(daysUntil('2026-12-06', '2026-12-06')).toBe(0)
  })
})
