import type { PublicIdea } from '../../shared/ideas.ts'
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
