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

/**
 * What a round's dots go on: single ideas, or themes (ideas people put together under a name).
 * In a theme vote an idea in no theme is a theme of one: it stays votable as itself.
 */
export type VoteSubject = 'ideas' | 'themes'
export const VOTE_SUBJECTS = ['ideas', 'themes'] as const satisfies readonly VoteSubject[]

export interface VoteState {
  settings: VoteSettings
  /** The subject of the open or last round; absent in docs from before theme votes (ideas). */
  subject?: VoteSubject
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

/**
 * One thing to vote on in a theme vote. `itemId` is the theme's id, or the idea's own id for an
 * idea in no theme. `name` and `ideaIds` are kept with the results as provenance: the theme as it
 * was voted on, even if it changes later.
 */
export interface VoteItem {
  itemId: string
  themeId: string | null
  /** The theme's name; null for an idea voted on as itself. */
  name: string | null
  ideaIds: string[]
  /** For ties: the shuffled position of its first idea, never anything about people or time. */
  position: number
}

export interface RankedTheme extends Omit<VoteItem, 'position'> {
  dots: number
  rank: number
  tied: boolean
}

export interface PublicResults {
  /** `themes` for a theme vote (then `ranked` is empty and `rankedThemes` holds the order). */
  subject?: VoteSubject
  round: number
  /** False while live tallies are showing during an open vote. */
  final: boolean
  voterCount: number
  budget: number
  maxPerIdea: number
  ranked: RankedIdea[]
  rankedThemes?: RankedTheme[]
}

export const subjectOf = (vote: Pick<VoteState, 'subject'>): VoteSubject => vote.subject ?? 'ideas'

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
    if (!allowedIdeaIds.has(ideaId)) return fail(ErrorCode.unprocessable, 'One of those ideas or themes is not open for voting in this section.')
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

/** Ranks by dots; ties share a rank ("1, 2, 2, 4") and are listed in shuffled order. */
function rankBy<T extends { position: number }>(items: readonly T[], idOf: (item: T) => string, sums: ReadonlyMap<string, number>): { item: T; dots: number; rank: number; tied: boolean }[] {
  const dotsOf = (item: T) => sums.get(idOf(item)) ?? 0
  const sorted = [...items].sort((a, b) => dotsOf(b) - dotsOf(a) || a.position - b.position)
  const counts = new Map<number, number>()
  for (const item of sorted) counts.set(dotsOf(item), (counts.get(dotsOf(item)) ?? 0) + 1)
  let rank = 0
  let previous: number | null = null
  return sorted.map((item, index) => {
    const dots = dotsOf(item)
    if (dots !== previous) rank = index + 1
    previous = dots
    return { item, dots, rank, tied: (counts.get(dots) ?? 0) > 1 }
  })
}

/** Ranks ideas by dots; ties share a rank and are listed in the ideas' shuffled order. */
export function rankIdeas(ideas: readonly { ideaId: string; position: number }[], sums: ReadonlyMap<string, number>): RankedIdea[] {
  return rankBy(ideas, (idea) => idea.ideaId, sums).map(({ item, dots, rank, tied }) => ({ ideaId: item.ideaId, dots, rank, tied }))
}

/** Ranks the things of a theme vote, keeping each theme's name and ideas with its row. */
export function rankThemes(items: readonly VoteItem[], sums: ReadonlyMap<string, number>): RankedTheme[] {
  return rankBy(items, (item) => item.itemId, sums).map(({ item, dots, rank, tied }) => ({
    itemId: item.itemId,
    themeId: item.themeId,
    name: item.name,
    ideaIds: [...item.ideaIds],
    dots,
    rank,
    tied,
  }))
}

/**
 * The things of a theme vote: every theme with at least one shown idea, and every shown idea in
 * no theme as itself. `shown` are the section's published ideas, in their shuffled order.
 */
export function voteItems(shown: readonly { ideaId: string; position: number }[], themes: readonly { themeId: string; name: string; ideaIds: readonly string[] }[]): VoteItem[] {
  const positionOf = new Map(shown.map((idea) => [idea.ideaId, idea.position]))
  const inTheme = new Set<string>()
  const items: VoteItem[] = []
  for (const theme of themes) {
    const ideaIds = theme.ideaIds.filter((id) => positionOf.has(id))
    if (ideaIds.length === 0) continue
    for (const id of ideaIds) inTheme.add(id)
    items.push({ itemId: theme.themeId, themeId: theme.themeId, name: theme.name, ideaIds, position: Math.min(...ideaIds.map((id) => positionOf.get(id)!)) })
  }
  for (const idea of shown) if (!inTheme.has(idea.ideaId)) items.push({ itemId: idea.ideaId, themeId: null, name: null, ideaIds: [idea.ideaId], position: idea.position })
  return items.sort((a, b) => a.position - b.position)
}
