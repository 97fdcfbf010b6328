import { describe, expect, it } from 'vitest'
import { initialVoteState, type PublicResults } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { cardDots, cardVoteItem, ownDotsWords } from './cardDots.ts'

const common = { round: 1, final: true, voterCount: 3, budget: 3, maxPerIdea: 1 }

describe('a card’s dots', () => {
  it('shows an idea’s own dots after a vote on ideas', () => {
    const results: PublicResults = { ...common, ranked: [{ ideaId: 'a', dots: 2, rank: 1, tied: false }, { ideaId: 'b', dots: 0, rank: 2, tied: false }] }
    expect(cardDots('a', results)).toEqual({ dots: 2, rank: 1, of: 2, tied: false, theme: null })
    expect(cardDots('z', results)).toBeNull()
    expect(cardDots('a', undefined)).toBeNull()
  })

  it('shows a theme’s dots on each of its cards after a vote on themes, and a lone idea’s own', () => {
    const results: PublicResults = {
      ...common,
      subject: 'themes',
      ranked: [],
      rankedThemes: [
        { itemId: 't', themeId: 't', name: 'Respect', ideaIds: ['a', 'b'], dots: 3, rank: 1, tied: false },
        { itemId: 'c', themeId: null, name: null, ideaIds: ['c'], dots: 1, rank: 2, tied: false },
      ],
    }
    expect(cardDots('b', results)).toEqual({ dots: 3, rank: 1, of: 2, tied: false, theme: 'Respect' })
    expect(cardDots('c', results)).toEqual({ dots: 1, rank: 2, of: 2, tied: false, theme: null })
  })
})

describe('what a card’s own dots go on during a vote', () => {
  const idea = (ideaId: string, position: number, status: PublicIdea['status'] = 'published'): PublicIdea => ({
    ideaId, sectionId: 'values', kind: 'idea', text: ideaId, status, position, hiddenReason: null, mergedInto: null, mergedFrom: [],
  })
  const ideas = new Map([idea('a', 1), idea('b', 2), idea('c', 3), idea('gone', 4, 'hidden')].map((i) => [i.ideaId, i]))
  const themes: PublicTheme[] = [{ themeId: 't', sectionId: 'values', name: 'Respect', ideaIds: ['a', 'b'] }]
  const section = (subject: 'ideas' | 'themes', status: 'open' | 'closed' = 'open'): Section => ({
    sectionId: 'values', kind: 'values', title: 'Our values', prompt: '', phase: 'vote', order: 1, hiddenUntilReveal: false, revealed: true, pendingCount: 0,
    vote: { ...initialVoteState(), subject, status, round: 1 },
  })

  it('is the idea itself in a vote on ideas, and nothing once the vote is closed or the idea hidden', () => {
    expect(cardVoteItem('a', section('ideas'), ideas, themes)).toEqual({ itemId: 'a', theme: null })
    expect(cardVoteItem('a', section('ideas', 'closed'), ideas, themes)).toBeNull()
    expect(cardVoteItem('gone', section('ideas'), ideas, themes)).toBeNull()
    expect(cardVoteItem('a', undefined, ideas, themes)).toBeNull()
  })

  it('is the card’s theme in a vote on themes, and the idea itself when it is in no theme', () => {
    expect(cardVoteItem('b', section('themes'), ideas, themes)).toEqual({ itemId: 't', theme: 'Respect' })
    expect(cardVoteItem('c', section('themes'), ideas, themes)).toEqual({ itemId: 'c', theme: null })
  })

  it('says the dots in words', () => {
    expect(ownDotsWords(2, null)).toBe('Your dots: 2')
    expect(ownDotsWords(1, 'Respect')).toBe('Your dots on the theme “Respect”: 1')
  })
})
