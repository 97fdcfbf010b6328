import type { PublicProposal } from './consent.ts'
import type { PublicIdea } from './ideas.ts'
import { SectionKind, type Section } from './sections.ts'

/** One rule as a screen shows it: the text, or only its content note while folded. */
export interface GroundRule {
  text: string
  contentNote: string | null
}

/**
 * The ground rules as they stand, for the pinned panel on every screen (W11): the agreed list if
 * there is one, else the draft being answered, else the ideas so far.
 */
export type GroundRules =
  | { status: 'agreed'; sectionTitle: string; rules: GroundRule[] }
  | { status: 'draft'; sectionTitle: string; rules: GroundRule[] }
  | { status: 'ideas'; sectionTitle: string; rules: GroundRule[] }
  | { status: 'none'; sectionTitle: string | null; rules: [] }

const fromProposal = (proposal: PublicProposal): GroundRule[] =>
  (proposal.items ?? (proposal.text ? [proposal.text] : [])).map((text) => ({ text, contentNote: null }))

export function groundRulesOf(view: { sections: Section[]; proposals: PublicProposal[]; ideas: PublicIdea[] }): GroundRules {
  const section = view.sections.find((s) => s.kind === SectionKind.groundRules)
  if (!section) return { status: 'none', sectionTitle: null, rules: [] }
  const rounds = view.proposals.filter((proposal) => proposal.sectionId === section.sectionId)
  const agreed = rounds.filter((proposal) => proposal.outcome === 'agreed').at(-1)
  if (agreed) return { status: 'agreed', sectionTitle: section.title, rules: fromProposal(agreed) }
  const open = rounds.find((proposal) => proposal.status === 'open')
  if (open) return { status: 'draft', sectionTitle: section.title, rules: fromProposal(open) }
  const ideas = view.ideas
    .filter((idea) => idea.sectionId === section.sectionId && idea.kind === 'idea' && idea.status === 'published')
    .map((idea) => ({ text: idea.text, contentNote: idea.contentNote ?? null }))
  if (ideas.length > 0) return { status: 'ideas', sectionTitle: section.title, rules: ideas }
  return { status: 'none', sectionTitle: section.title, rules: [] }
}

export const GROUND_RULES_INTRO: Record<GroundRules['status'], string> = {
  agreed: 'We agreed these ground rules together.',
  draft: 'This is the draft we are answering now. It is not agreed yet.',
  ideas: 'These are the ideas so far. We have not agreed them yet.',
  none: 'We have not written our ground rules yet. Until we do: be kind, listen, and take a break whenever you need one.',
}
