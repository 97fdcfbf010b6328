import { describe, expect, it } from 'vitest'
import type { PublicResults } from '../../shared/ballots.ts'
import { cardDots } from './cardDots.ts'

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
