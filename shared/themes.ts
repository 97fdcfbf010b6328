/**
 * A theme: ideas of one section that people put together, under a name. Everyone can make and
 * change themes before the vote; the ideas stay whole inside it, so a theme always shows where
 * it came from. Like ideas, a theme says nothing about who made it or when.
 */
export interface PublicTheme {
  themeId: string
  sectionId: string
  name: string
  /** In the order they were put together; never empty (a theme left with one idea is undone). */
  ideaIds: string[]
}

export const THEME_NAME_MAX_CHARS = 80

/** A first name for a new theme: the start of the idea the others were put with. */
export function themeNameFrom(text: string): string {
  const words = text.trim().split(/\s+/).slice(0, 6).join(' ')
  const name = words.length > 40 ? `${words.slice(0, 40).trimEnd()}…` : words
  return name || 'New theme'
}

/** Which theme each idea is in. */
export function themeOfIdea(themes: readonly PublicTheme[]): Map<string, PublicTheme> {
  const map = new Map<string, PublicTheme>()
  for (const theme of themes) for (const ideaId of theme.ideaIds) map.set(ideaId, theme)
  return map
}

/** Why a participant cannot name a theme: shown where the facilitator has a name box. */
export const THEME_NAMES_BY_FACILITATOR = 'Only the facilitator names themes, so nobody can tell whose words a name is. Say the name you would give it.'
