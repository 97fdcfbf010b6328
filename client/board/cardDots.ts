import type { PublicResults } from '../../shared/ballots.ts'

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
