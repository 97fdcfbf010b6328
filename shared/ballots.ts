import { ErrorCode, fail, ok, type Result } from './errors.ts'

/** The same for everyone in a round: facilitator, staff and service users alike. */
export interface VoteSettings {
  /** Dots each person has. */
  budget: number
  /** Most dots one person may put on one idea. */
  maxPerIdea: number
  /** Show tallies while the vote is open (otherwise only when it closes). */
  liveTallies: boolean
}

export interface VoteState {
  settings: VoteSettings
  status: 'not-started' | 'open' | 'closed'
  round: number
  /** People who have placed at least one dot this round. A count only. */
  votedCount: number
}

export const DEFAULT_VOTE_SETTINGS: VoteSettings = { budget: 3, maxPerIdea: 1, liveTallies: false }
export const MAX_BUDGET = 20

export const initialVoteState = (): VoteState => ({ settings: { ...DEFAULT_VOTE_SETTINGS }, status: 'not-started', round: 0, votedCount: 0 })

export interface RankedIdea {
  ideaId: string
  dots: number
  /** Competition ranking: ties share a rank ("1, 2, 2, 4"). */
  rank: number
  tied: boolean
}

export interface PublicResults {
  round: number
  /** False while live tallies are showing during an open vote. */
  final: boolean
  voterCount: number
  budget: number
  maxPerIdea: number
  ranked: RankedIdea[]
}

export function checkSettings(settings: VoteSettings): Result<VoteSettings> {
  const { budget, maxPerIdea } = settings
  if (!Number.isInteger(budget) || budget < 1 || budget > MAX_BUDGET) return fail(ErrorCode.unprocessable, `Each person can have between 1 and ${MAX_BUDGET} dots.`)
  if (!Number.isInteger(maxPerIdea) || maxPerIdea < 1 || maxPerIdea > budget)
    return fail(ErrorCode.unprocessable, 'The most dots on one idea must be at least 1 and no more than the dots each person has.')
  return ok(settings)
}

/**
 * Checks one person's whole allocation. The one place the budget and cap rules live; the
 * server runs it inside the transaction that writes the ballot.
 */
export function checkAllocation(dots: Record<string, unknown>, settings: VoteSettings, allowedIdeaIds: ReadonlySet<string>): Result<Map<string, number>> {
  const allocation = new Map<string, number>()
  let total = 0
  for (const [ideaId, value] of Object.entries(dots)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      return fail(ErrorCode.unprocessable, 'Dots must be whole numbers, 0 or more.')
    if (!allowedIdeaIds.has(ideaId)) return fail(ErrorCode.unprocessable, 'One of those ideas is not open for voting in this section.')
    if (value > settings.maxPerIdea)
      return fail(ErrorCode.overCap, `You can put at most ${settings.maxPerIdea} ${settings.maxPerIdea === 1 ? 'dot' : 'dots'} on one idea.`)
    total += value
    if (value > 0) allocation.set(ideaId, value)
  }
  if (total > settings.budget) return fail(ErrorCode.overBudget, `You have ${settings.budget} dots to use, and this uses ${total}.`)
  return ok(allocation)
}

export const dotsUsed = (allocation: ReadonlyMap<string, number> | Record<string, number>): number =>
  [...(allocation instanceof Map ? allocation.values() : Object.values(allocation))].reduce((sum, n) => sum + n, 0)

/** Ranks ideas by dots; ties share a rank and are listed in the ideas' shuffled order. */
export function rankIdeas(ideas: readonly { ideaId: string; position: number }[], sums: ReadonlyMap<string, number>): RankedIdea[] {
  const sorted = [...ideas].sort((a, b) => (sums.get(b.ideaId) ?? 0) - (sums.get(a.ideaId) ?? 0) || a.position - b.position)
  const counts = new Map<number, number>()
  for (const idea of sorted) counts.set(sums.get(idea.ideaId) ?? 0, (counts.get(sums.get(idea.ideaId) ?? 0) ?? 0) + 1)
  let rank = 0
  let previous: number | null = null
  return sorted.map((idea, index) => {
    const dots = sums.get(idea.ideaId) ?? 0
    if (dots !== previous) rank = index + 1
    previous = dots
    return { ideaId: idea.ideaId, dots, rank, tied: (counts.get(dots) ?? 0) > 1 }
  })
}
