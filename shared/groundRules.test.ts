import { describe, expect, it } from 'vitest'
import { initialVoteState } from './ballots.ts'
import type { PublicProposal } from './consent.ts'
import { groundRulesOf } from './groundRules.ts'
import type { Section } from './sections.ts'

const section: Section = {
  sectionId: 'ground-rules',
  kind: 'ground-rules',
  title: 'Our ground rules',
  prompt: '',
  phase: 'agree',
  order: 2,
  hiddenUntilReveal: true,
  revealed: true,
  pendingCount: 0,
  vote: initialVoteState(),
}
const round = (roundNumber: number, status: 'open' | 'closed', outcome: PublicProposal['outcome'], items: string[]): PublicProposal => ({
  proposalId: `p${roundNumber}`,
  sectionId: 'ground-rules',
  roundNumber,
  text: null,
  items,
  adoptedSuggestionId: null,
  revisionNote: null,
  threshold: null,
  status,
  respondedCount: 0,
  counts: null,
  reasons: [],
  outcome,
  perspectives: null,
})

describe('pinned ground rules', () => {
  it('prefers the latest agreed list, even while a new round is open', () => {
    const rules = groundRulesOf({ sections: [section], ideas: [], proposals: [round(1, 'closed', 'agreed', ['Listen']), round(2, 'open', null, ['Listen', 'Breaks are fine'])] })
    expect(rules).toMatchObject({ status: 'agreed', rules: [{ text: 'Listen' }] })
  })

  it('falls back to the open draft, then to nothing yet', () => {
    expect(groundRulesOf({ sections: [section], ideas: [], proposals: [round(1, 'closed', 'not-agreed', ['A']), round(2, 'open', null, ['B'])] }).status).toBe('draft')
    expect(groundRulesOf({ sections: [section], ideas: [], proposals: [] }).status).toBe('none')
    expect(groundRulesOf({ sections: [], ideas: [], proposals: [] }).sectionTitle).toBeNull()
  })
})
