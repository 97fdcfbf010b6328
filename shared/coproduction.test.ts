import { describe, expect, it } from 'vitest'
import { LADDER, summariseCheckouts, type CheckoutTally, type PerspectiveGroup } from './coproduction.ts'
import { CommitmentUpdateBody } from './coproductionBodies.ts'

const answers = (group: PerspectiveGroup, rung: number, score: number, n = 1): CheckoutTally[] => [
  { group, question: 'rung', answer: rung, n },
  { group, question: 'heard', answer: score, n },
  { group, question: 'safe', answer: score, n },
  { group, question: 'equal', answer: score, n },
]

describe('the ladder', () => {
  it('has 7 rungs from coercion to co-production, each with a one-line description', () => {
    expect(LADDER.map((r) => r.rung)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(LADDER[0]!.name).toBe('Coercion')
    expect(LADDER[6]!.name).toBe('Co-production')
    for (const rung of LADDER) expect(rung.description.length).toBeGreaterThan(10)
  })
})

describe('check-out summary (k ≥ 3 per group)', () => {
  it('shows a group of 3 and withholds a group of 1, with no overall total', () => {
    const summary = summariseCheckouts([...answers('lived-experience', 4, 3, 2), ...answers('lived-experience', 5, 4), ...answers('staff', 7, 5)])
    const lived = summary.groups.find((g) => g.group === 'lived-experience')
    const staff = summary.groups.find((g) => g.group === 'staff')
    expect(lived).toMatchObject({ shown: true, count: 3 })
    expect(lived?.shown && lived.answers.rung.mean).toBe(4.3)
    expect(staff).toEqual({ group: 'staff', label: 'Staff', shown: false, note: 'fewer than 3' })
    expect(summary.overall).toBeNull()
    expect(summary.perceptionGap).toBeNull()
  })

  it('shows the perception gap side by side when both groups have 3 or more', () => {
    const summary = summariseCheckouts([...answers('lived-experience', 3, 2, 3), ...answers('staff', 6, 5, 3)])
    expect(summary.overall?.count).toBe(6)
    expect(summary.perceptionGap?.find((row) => row.question === 'rung')).toEqual({ question: 'rung', livedExperience: 3, staff: 6, gap: 3 })
  })
})

describe('commitment updates', () => {
  it('needs a reason for "not possible"', () => {
    expect(CommitmentUpdateBody.safeParse({ status: 'not-possible', note: '' }).success).toBe(false)
    expect(CommitmentUpdateBody.safeParse({ status: 'not-possible', note: 'No budget this year' }).success).toBe(true)
    expect(CommitmentUpdateBody.safeParse({ status: 'done' }).success).toBe(true)
    expect(CommitmentUpdateBody.safeParse({ status: 'finished', note: 'x' }).success).toBe(false)
  })
})
