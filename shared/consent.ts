import type { Perspective } from './intents.ts'

export const CONSENT_REASON_MAX_CHARS = 300
/** Groups smaller than this are never reported on their own: they could single people out. */
export const MIN_PERSPECTIVE_GROUP = 3

export type ConsentResponse = 'agree' | 'can-live-with' | 'object'

export const CONSENT_LABEL: Record<ConsentResponse, string> = {
  agree: 'I agree',
  'can-live-with': 'I can live with it',
  object: 'I object',
}

export interface ConsentCounts {
  agree: number
  canLiveWith: number
  object: number
}

export type PerspectiveSupport = { supportedAcross: number; of: number } | { withheld: string }

export interface PublicProposal {
  proposalId: string
  sectionId: string
  roundNumber: number
  /** A statement (vision) or an ordered list (values, ground rules). */
  text: string | null
  items: string[] | null
  adoptedSuggestionId: string | null
  revisionNote: string | null
  /** Share of responses that must be agree or can-live-with; null: no objection may stand. */
  threshold: number | null
  status: 'open' | 'closed'
  respondedCount: number
  /** Published when the round closes. */
  counts: ConsentCounts | null
  /** Reasons in shuffled order, without who gave them. */
  reasons: { response: ConsentResponse; text: string }[]
  outcome: 'agreed' | 'not-agreed' | null
  perspectives: PerspectiveSupport | null
}

/** The thresholds a facilitator can choose, with the words everyone sees for them (one place for both). */
export const AGREEMENT_RULES: readonly { threshold: number | null; words: string }[] = [
  { threshold: null, words: 'when nobody objects' },
  { threshold: 0.9, words: 'when 9 in 10 agree or can live with it' },
  { threshold: 0.75, words: 'when 3 in 4 agree or can live with it' },
]

/** "when nobody objects": how a round with this threshold is decided, for people answering and for the record. */
export function agreementRule(threshold: number | null): string {
  return AGREEMENT_RULES.find((rule) => rule.threshold === threshold)?.words ?? `when ${Math.round((threshold ?? 1) * 100)} in 100 agree or can live with it`
}

export function consentOutcome(counts: ConsentCounts, threshold: number | null): 'agreed' | 'not-agreed' {
  const total = counts.agree + counts.canLiveWith + counts.object
  if (total === 0) return 'not-agreed'
  if (threshold === null) return counts.object === 0 ? 'agreed' : 'not-agreed'
  return (counts.agree + counts.canLiveWith) / total >= threshold ? 'agreed' : 'not-agreed'
}

/**
 * "Supported across 3 of 4 perspectives": a perspective supports the proposal when most of its
 * people agree or can live with it. Reported only if every perspective group that responded has
 * at least 3 people; otherwise withheld, with the reason, so nobody can be picked out.
 */
export function perspectiveSupport(responses: readonly { perspective: Perspective | null; response: ConsentResponse }[]): PerspectiveSupport {
  const groups = new Map<Perspective, ConsentResponse[]>()
  for (const { perspective, response } of responses) {
    if (!perspective || perspective === 'prefer-not-to-say') continue
    groups.set(perspective, [...(groups.get(perspective) ?? []), response])
  }
  if (groups.size === 0) return { withheld: 'Nobody shared how they come to the workshop, so there is no breakdown.' }
  if ([...groups.values()].some((group) => group.length < MIN_PERSPECTIVE_GROUP))
    return { withheld: `Some groups had fewer than ${MIN_PERSPECTIVE_GROUP} people, so the breakdown is not shown. This protects people’s privacy.` }
  const supporting = [...groups.values()].filter((group) => group.filter((r) => r !== 'object').length > group.length / 2).length
  return { supportedAcross: supporting, of: groups.size }
}
