import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { initialVoteState } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { describeChanges, summarise } from './activity.ts'
import { SETTLE_MS, SUMMARY_INTERVAL_MS, SummaryQueue } from './summaryQueue.ts'

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
const view = (sections: Section[], ideas: PublicIdea[] = [], themes: PublicTheme[] = []) => ({ sections, ideas, results: {}, proposals: [], themes })
const theme = (themeId: string, ideaIds: string[], name = 'Theme 1'): PublicTheme => ({ themeId, sectionId: 'values', name, ideaIds })

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

describe('themes, hiding and combining', () => {
  const values = [section('values', 'Our values', 'discuss')]
  const shown = ['a', 'b', 'c', 'd'].map((id) => idea(id, 'values'))

  it('sums up ideas put into themes as one sentence per section, never saying who', () => {
    const before = view(values, shown)
    const made = view(values, shown, [theme('t1', ['a', 'b'])])
    const grown = view(values, shown, [theme('t1', ['a', 'b', 'c']), theme('t2', ['d', 'e'], 'Theme 2')])
    const events = [...describeChanges(before, made), ...describeChanges(made, grown)]
    expect(summarise(events)).toBe('Ideas were put into themes in Our values.')
    // Taking apart or renaming is said too, more plainly.
    expect(summarise(describeChanges(made, before))).toBe('Themes were changed in Our values.')
    expect(summarise(describeChanges(made, view(values, shown, [theme('t1', ['a', 'b'], 'Safety')])))).toBe('Themes were changed in Our values.')
    expect(describeChanges(made, view(values, shown, [theme('t1', ['a', 'b'])]))).toEqual([])
  })

  it('says an idea was hidden, with its public reason, and how many ideas were combined', () => {
    const before = view(values, shown)
    const hidden = view(values, shown.map((i) => (i.ideaId === 'a' ? { ...i, text: '', status: 'hidden' as const, hiddenReason: 'Names a member of staff' } : i)))
    expect(summarise(describeChanges(before, hidden))).toBe('An idea was hidden in Our values: Names a member of staff.')
    const combined = view(values, shown.map((i) => (i.ideaId === 'b' ? { ...i, status: 'merged' as const, mergedInto: 'c' } : i.ideaId === 'c' ? { ...i, mergedFrom: ['b'] } : i)))
    expect(summarise(describeChanges(before, combined))).toBe('Two ideas were combined in Our values.')
    const three = view(values, shown.map((i) => (i.ideaId === 'a' || i.ideaId === 'b' ? { ...i, status: 'merged' as const, mergedInto: 'c' } : i)))
    expect(summarise(describeChanges(before, three))).toBe('Three ideas were combined in Our values.')
    // Already hidden before: nothing new to say.
    expect(describeChanges(hidden, hidden)).toEqual([])
  })
})

describe('when summaries are said', () => {
  const vision = (phase: Section['phase']) => view([section('vision', 'Our shared vision', phase)])
  let said: { text: string; at: number }[]
  let queue: SummaryQueue
  beforeEach(() => {
    vi.useFakeTimers()
    said = []
    queue = new SummaryQueue((text) => said.push({ text, at: Date.now() }))
  })
  afterEach(() => {
    queue.clear()
    vi.useRealTimers()
  })

  it('spaces routine news out by the summary interval', () => {
    queue.add(describeChanges(vision('gather'), vision('discuss')))
    vi.advanceTimersByTime(SETTLE_MS)
    expect(said.map((s) => s.text)).toEqual(['Our shared vision has moved on to “Talking it through”.'])
    queue.add(describeChanges(vision('discuss'), vision('done')))
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS - 1)
    expect(said).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(said).toHaveLength(2)
    expect(said[1]!.at - said[0]!.at).toBe(SUMMARY_INTERVAL_MS)
  })

  it('says a call to action at once, even just after a routine summary, with the news that was waiting', () => {
    queue.add(describeChanges(vision('gather'), vision('discuss')))
    vi.advanceTimersByTime(SETTLE_MS)
    vi.advanceTimersByTime(3_000)
    // News arrives, then the step to agree and a draft to answer.
    queue.add([{ kind: 'new-ideas', sectionId: 'values', sectionTitle: 'Our values', count: 2 }])
    vi.advanceTimersByTime(500)
    queue.add(describeChanges(vision('discuss'), vision('agree')))
    queue.add([{ kind: 'draft', sectionId: 'vision', sectionTitle: 'Our shared vision' }])
    vi.advanceTimersByTime(SETTLE_MS)
    expect(said).toHaveLength(2)
    expect(said[1]!.at - said[0]!.at).toBeLessThan(6_000)
    expect(said[1]!.text).toContain('Our shared vision has moved on to “Agreeing”.')
    expect(said[1]!.text).toContain('There is a draft to answer in Our shared vision.')
    expect(said[1]!.text).toContain('2 new ideas in Our values.')
    // Routine news after it waits the whole interval again.
    queue.add([{ kind: 'new-ideas', sectionId: 'values', sectionTitle: 'Our values', count: 1 }])
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS - 1)
    expect(said).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(said.at(-1)!.text).toBe('1 new idea in Our values.')
  })

  it('does not count results, themes or hidden ideas as calls to action', () => {
    queue.add(describeChanges(vision('gather'), vision('discuss')))
    vi.advanceTimersByTime(SETTLE_MS)
    queue.add([
      { kind: 'results', sectionId: 'vision', sectionTitle: 'Our shared vision' },
      { kind: 'themes', sectionId: 'vision', sectionTitle: 'Our shared vision', put: true },
      { kind: 'hidden', sectionId: 'vision', sectionTitle: 'Our shared vision', reason: null },
    ])
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS - 1)
    expect(said).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(said).toHaveLength(2)
  })
})
