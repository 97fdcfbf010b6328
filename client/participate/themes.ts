import type { PublicIdea } from '../../shared/ideas.ts'
import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { callApi, type ApiResult } from '../api.ts'

/** What to put an idea with: another idea (a new theme, or the theme it is in) or a theme. */
export type PutWithTarget = { withIdeaId: string } | { themeId: string }

/** "Put with…", the same call from the list, the board's card panel and a drop on the canvas. */
export function putWith(workshopId: string, token: string, sectionId: string, ideaId: string, target: PutWithTarget): Promise<ApiResult<PublicTheme>> {
  return callApi<PublicTheme>(`/api/workshops/${workshopId}/sections/${sectionId}/themes`, { method: 'POST', body: { ideaId, ...target }, token })
}

export function takeOutOfTheme(workshopId: string, token: string, themeId: string, ideaId: string): Promise<ApiResult<unknown>> {
  return callApi(`/api/workshops/${workshopId}/themes/${themeId}/ideas/${ideaId}`, { method: 'DELETE', token })
}

export function renameTheme(workshopId: string, token: string, themeId: string, name: string): Promise<ApiResult<PublicTheme>> {
  return callApi<PublicTheme>(`/api/workshops/${workshopId}/themes/${themeId}`, { method: 'PATCH', body: { name }, token })
}

/** A theme's ideas that are still shown (hidden or combined ones drop out of every view). */
export function shownIdeasOf(theme: PublicTheme, shown: readonly PublicIdea[]): PublicIdea[] {
  const byId = new Map(shown.map((idea) => [idea.ideaId, idea]))
  return theme.ideaIds.flatMap((id) => byId.get(id) ?? [])
}

/** Themes with their shown ideas, then the ideas in no theme: the same grouping on every screen. */
export function groupByTheme(ideas: readonly PublicIdea[], themes: readonly PublicTheme[]): { grouped: { theme: PublicTheme; ideas: PublicIdea[] }[]; loose: PublicIdea[] } {
  const grouped = themes.map((theme) => ({ theme, ideas: shownIdeasOf(theme, ideas) })).filter((group) => group.ideas.length > 0)
  const inTheme = new Set(grouped.flatMap((group) => group.ideas.map((idea) => idea.ideaId)))
  return { grouped, loose: ideas.filter((idea) => !inTheme.has(idea.ideaId)) }
}

/**
 * One row of ranked results, for any screen: an idea, or (in a theme vote) a theme with the ideas
 * it was voted on with. A theme's ideas are the shown ones only, as everywhere else.
 */
export interface RankedRow {
  key: string
  rank: number
  dots: number
  tied: boolean
  idea: PublicIdea | null
  theme: { name: string; ideas: PublicIdea[] } | null
}

export function rankedRows(results: PublicResults, ideas: readonly PublicIdea[]): RankedRow[] {
  const byId = new Map(ideas.map((idea) => [idea.ideaId, idea]))
  if (results.subject !== 'themes') return results.ranked.map((row) => ({ key: row.ideaId, rank: row.rank, dots: row.dots, tied: row.tied, idea: byId.get(row.ideaId) ?? null, theme: null }))
  return (results.rankedThemes ?? []).map((row) => ({
    key: row.itemId,
    rank: row.rank,
    dots: row.dots,
    tied: row.tied,
    idea: row.themeId === null ? (byId.get(row.itemId) ?? null) : null,
    theme: row.themeId === null ? null : { name: row.name ?? 'A theme', ideas: row.ideaIds.flatMap((id) => byId.get(id) ?? []) },
  }))
}
