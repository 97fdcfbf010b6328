import { subjectOf, voteItems, type PublicResults } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicTheme } from '../../shared/themes.ts'

/**
 * A card's dots once results are out. In a theme vote a card in a voted theme shows its theme's
 * dots (`theme` names it), since the dots went to the theme; an idea on its own shows its own.
 */
export function cardDots(ideaId: string, results: PublicResults | undefined): { dots: number; rank: number; of: number; tied: boolean; theme: string | null } | null {
  if (!results) return null
  if (results.subject === 'themes') {
    const rows = results.rankedThemes ?? []
    const row = rows.find((r) => r.ideaIds.includes(ideaId))
    return row ? { dots: row.dots, rank: row.rank, of: rows.length, tied: row.tied, theme: row.themeId === null ? null : (row.name ?? 'its theme') } : null
  }
  const row = results.ranked.find((r) => r.ideaId === ideaId)
  return row ? { dots: row.dots, rank: row.rank, of: results.ranked.length, tied: row.tied, theme: null } : null
}

/**
 * What a card's dots go on in its section's open vote: the idea itself, or in a theme vote the
 * theme it is in (as the list's "Your votes" counts it, through voteItems). Null if the idea is
 * not in the vote (not shown, or the vote is not open).
 */
export function cardVoteItem(
  ideaId: string,
  section: Section | undefined,
  ideas: ReadonlyMap<string, PublicIdea>,
  themes: readonly PublicTheme[],
): { itemId: string; theme: string | null } | null {
  if (!section || section.phase !== 'vote' || section.vote.status !== 'open') return null
  const inVote = (idea: PublicIdea | undefined) => idea !== undefined && idea.sectionId === section.sectionId && idea.status === 'published' && idea.kind === 'idea'
  if (!inVote(ideas.get(ideaId))) return null
  if (subjectOf(section.vote) !== 'themes') return { itemId: ideaId, theme: null }
  const shown = [...ideas.values()].filter(inVote)
  const item = voteItems(
    shown,
    themes.filter((theme) => theme.sectionId === section.sectionId),
  ).find((candidate) => candidate.ideaIds.includes(ideaId))
  return item ? { itemId: item.itemId, theme: item.name } : null
}

/** A card's own dots in words (the drawn dots beside them are hidden from screen readers). */
export function ownDotsWords(dots: number, theme: string | null): string {
  return `Your dots${theme === null ? '' : ` on the theme “${theme}”`}: ${dots}`
}
