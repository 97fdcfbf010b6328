import { describe, expect, it } from 'vitest'
import { initialVoteState } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import { describeChanges, summarise } from './activity.ts'

const section = (sectionId: string, title: string, phase: Section['phase'] = 'gather'): Section => ({
  sectionId,
  kind: 'custom',
  title,
  prompt: '',
  phase,
  order: 0,
  hiddenUntilReveal: true,
  revealed: false,
  pendingCount: 0,
  vote: initialVoteState(),
})
const idea = (ideaId: string, sectionId: string): PublicIdea => ({
  ideaId,
  sectionId,
  kind: 'idea',
  text: `Idea ${ideaId}`,
  status: 'published',
  position: 0,
  hiddenReason: null,
  mergedInto: null,
  mergedFrom: [],
})
const view = (sections: Section[], ideas: PublicIdea[] = []) => ({ sections, ideas, results: {}, proposals: [] })

describe('activity summaries', () => {
  it('adds up a reveal into one sentence per section', () => {
    const before = view([section('values', 'Values')])
    const after = view([section('values', 'Values')], ['a', 'b', 'c', 'd', 'e'].map((id) => idea(id, 'values')))
    expect(summarise(describeChanges(before, after))).toBe('5 new ideas in Values.')
  })

  it('ignores waiting-idea counts, which move with every submission', () => {
    const before = view([section('values', 'Values')])
    const after = view([{ ...section('values', 'Values'), pendingCount: 4 }])
    expect(describeChanges(before, after)).toEqual([])
  })

  it('keeps only the latest step of a section and caps the summary at three sentences', () => {
    const events = [
      ...describeChanges(view([section('a', 'A')]), view([section('a', 'A', 'discuss')])),
      ...describeChanges(view([section('a', 'A', 'discuss')]), view([section('a', 'A', 'vote')])),
    ]
    expect(summarise(events)).toBe('A has moved on to “Voting”.')
    const many = describeChanges(view([]), view(['w', 'x', 'y', 'z'].map((id) => section(id, id.toUpperCase()))))
    expect(summarise(many)).toMatch(/And 1 more change\.$/)
  })

  it('never drops a call to action to keep within three sentences', () => {
    const before = view([section('a', 'A'), section('b', 'B'), section('c', 'C'), section('d', 'D', 'agree')])
    const after = {
      ...view(
        [section('a', 'A'), section('b', 'B'), section('c', 'C'), section('d', 'D', 'agree'), section('e', 'E')],
        ['a1', 'b1', 'c1'].map((id) => idea(id, id[0]!)),
      ),
      proposals: [{ proposalId: 'p1', sectionId: 'd', status: 'open' } as unknown as ReturnType<typeof view>['proposals'][number]],
    }
    const said = summarise(describeChanges(before, after))
    expect(said).toContain('There is a draft to answer in D.')
    expect(said.split('. ').length).toBeLessThanOrEqual(4)
    expect(said).toMatch(/And 2 more changes\.$/)
  })
})
