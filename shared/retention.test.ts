import { describe, expect, it } from 'vitest'
import { addDays, daysUntil, formatDay, retentionInfo } from './retention.ts'

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

  it('keeps a workshop in a programme as long as the programme, whatever its own days say', () => {
    // Month 1, last used 96 days ago; the programme was used (by Month 3) 10 days ago.
    const month1 = { retentionDays: null, lastActiveDay: '2026-01-01', createdDay: '2026-01-01' }
    const programme = { retentionDays: null, lastActiveDay: addDays('2026-01-01', 86), createdDay: '2025-12-01' }
    expect(retentionInfo(month1, 90)).toEqual({ retentionDays: 90, deleteAfter: '2026-04-01' })
    expect(retentionInfo(month1, 90, programme)).toEqual({ retentionDays: 90, deleteAfter: addDays('2026-01-01', 176), inProgramme: true })
    // A longer choice for the workshop would be cut short when the programme goes: its day is the programme's.
    expect(retentionInfo({ ...month1, retentionDays: 3650 }, 90, { ...programme, retentionDays: 30 })).toEqual({ retentionDays: 30, deleteAfter: addDays('2026-01-01', 116), inProgramme: true })
  })
})
