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

/**
 * A first name for a new theme: "Theme 1", "Theme 2"… until the facilitator names it. Never the
 * start of an idea: a copy of someone's words outlived hiding, withdrawing, editing and leaving
 * the idea out of exports, in the board, the results and every export.
 */
export function nextThemeName(themes: readonly PublicTheme[]): string {
  const taken = new Set(themes.map((theme) => theme.name))
  let n = themes.length + 1
  for (let i = 1; i <= themes.length; i++)
    if (!taken.has(`Theme ${i}`)) {
      n = i
      break
    }
  return `Theme ${n}`
}

/** Which theme each idea is in. */
export function themeOfIdea(themes: readonly PublicTheme[]): Map<string, PublicTheme> {
  const map = new Map<string, PublicTheme>()
  for (const theme of themes) for (const ideaId of theme.ideaIds) map.set(ideaId, theme)
  return map
}

/** Why a participant cannot name a theme: shown where the facilitator has a name box. */
export const THEME_NAMES_BY_FACILITATOR = 'Only the facilitator names themes, so nobody can tell whose words a name is. Say the name you would give it.'
