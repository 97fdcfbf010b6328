import { describe, expect, it } from 'vitest'
import { draftRows, firstDraft, insertIntoDraft } from './draftHelp.ts'

describe('drafting help', () => {
  it('pre-fills a statement from the top three ideas as sentences, and a list one per line', () => {
    expect(firstDraft(['Care that listens', 'Hope!', 'No wrong door', 'Fourth'], true)).toBe('Care that listens. Hope! No wrong door.')
    expect(firstDraft(['Respect', 'Hope'], false)).toBe('Respect\nHope')
    expect(firstDraft([], true)).toBe('')
  })

  it('inserts an idea as a new sentence or a new line', () => {
    expect(insertIntoDraft('We listen', 'We act', true)).toBe('We listen. We act.')
    expect(insertIntoDraft('', ' We act ', true)).toBe('We act.')
    expect(insertIntoDraft('Respect\n', 'Hope', false)).toBe('Respect\nHope')
    expect(insertIntoDraft('', 'Hope', false)).toBe('Hope')
  })

  it('turns ranked rows into draft rows: a theme by name with its ideas, hidden words left out', () => {
    expect(
      draftRows([
        { key: 't', rank: 1, dots: 3, idea: null, theme: { name: 'Respect', ideas: [{ text: 'Be kind' }, { text: '' }] } },
        { key: 'i', rank: 2, dots: 2, idea: { text: 'Hope' }, theme: null },
        { key: 'h', rank: 3, dots: 0, idea: { text: '' }, theme: null },
      ]),
    ).toEqual([
      { key: 't', rank: 1, dots: 3, text: 'Respect', themeIdeas: ['Be kind'] },
      { key: 'i', rank: 2, dots: 2, text: 'Hope', themeIdeas: null },
    ])
  })
})
