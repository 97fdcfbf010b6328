import { describe, expect, it } from 'vitest'
import { PHASE_GUIDE, stepGuide, WORKSHOP_FINISHED, type StepState } from './phases.ts'

const section = (title: string, phase: StepState['phase'], vote: StepState['vote']['status'] = 'not-started'): StepState => ({ title, phase, vote: { status: vote } })

describe('the now/next words follow where a section really is', () => {
  it('says the vote closed once it has, not "put your dots"', () => {
    const values = section('Our values', 'vote', 'closed')
    expect(stepGuide(values, [values])).toEqual({ label: 'Voting', now: 'Vote closed — here are the results.', next: 'Next, we agree on the wording together.' })
    const open = section('Our values', 'vote', 'open')
    expect(stepGuide(open, [open]).now).toBe(PHASE_GUIDE.vote.now)
    const themes: StepState = { ...open, vote: { status: 'open', subject: 'themes' } }
    expect(stepGuide(themes, [themes]).now).toContain('dots on the themes')
  })

  it('says the workshop is finished when every section is done, else where we carry on', () => {
    const done = [section('Vision', 'done'), section('Values', 'done')]
    expect(stepGuide(done[0]!, done)).toBe(WORKSHOP_FINISHED)
    const mixed = [section('Vision', 'done'), section('Values', 'agree')]
    expect(stepGuide(mixed[0]!, mixed).next).toBe('Next, we carry on with “Values”.')
  })
})
