import { describe, expect, it } from 'vitest'
import { describeTimeLeft, normaliseIdeaContentNote, timeLeftMs, timerMoment, type SoftTimer } from './wellbeing.ts'

const timer = (patch: Partial<SoftTimer>): SoftTimer => ({ timerId: 't', sectionId: 's', phase: 'gather', durationMs: 600_000, endsAt: null, remainingMs: null, ...patch })

describe('soft timers', () => {
  it('counts down while running and stands still while paused', () => {
    expect(timeLeftMs(timer({ endsAt: 1_000_000 }), 700_000)).toBe(300_000)
    expect(timeLeftMs(timer({ endsAt: 1_000_000 }), 2_000_000)).toBe(0)
    expect(timeLeftMs(timer({ remainingMs: 90_000 }), 5_000_000)).toBe(90_000)
  })

  it('has only three moments worth saying', () => {
    expect(timerMoment(300_000)).toBe('running')
    expect(timerMoment(120_000)).toBe('two-minutes')
    expect(timerMoment(0)).toBe('time-up')
  })

  it('speaks in whole minutes, never seconds', () => {
    expect(describeTimeLeft(180_000)).toBe('About 3 minutes left.')
    expect(describeTimeLeft(179_990)).toBe('About 3 minutes left.')
    expect(describeTimeLeft(61_000)).toBe('About 1 minute left.')
    expect(describeTimeLeft(20_000)).toBe('Less than a minute left.')
    expect(describeTimeLeft(0)).toBe('Time is up. There is no rush: finish what you are doing.')
  })
})

describe('content notes on ideas', () => {
  it('trims, empties to none, and refuses long or hidden-character notes gently', () => {
    expect(normaliseIdeaContentNote('  mentions   self-harm ')).toEqual({ ok: true, value: 'mentions self-harm' })
    expect(normaliseIdeaContentNote('   ')).toEqual({ ok: true, value: null })
    const long = normaliseIdeaContentNote('x'.repeat(81))
    expect(long.ok).toBe(false)
    expect(normaliseIdeaContentNote('mentions\u202eevil').ok).toBe(false)
  })
})
