/** Pure helpers for drafting a statement or list from what the room said. */

/** "Respect" → "Respect.": a sentence ends with a stop so ideas read as a statement. */
const asSentence = (text: string): string => {
  const trimmed = text.trim()
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

/** A first draft from the top ideas: one line each for a list, sentences for a statement. */
export function firstDraft(topIdeas: readonly string[], isStatement: boolean): string {
  return isStatement ? topIdeas.slice(0, FIRST_DRAFT_SENTENCES).map(asSentence).join(' ') : topIdeas.join('\n')
}

/** A first statement is made of this many top ideas (a list takes every top idea it is given). */
export const FIRST_DRAFT_SENTENCES = 3

/** Adds one idea to the draft: a new line in a list, a new sentence in a statement. */
export function insertIntoDraft(draft: string, text: string, isStatement: boolean): string {
  const current = draft.trimEnd()
  if (!current) return isStatement ? asSentence(text) : text.trim()
  return isStatement ? `${asSentence(current)} ${asSentence(text)}` : `${current}\n${text.trim()}`
}

/** A ranked row beside the draft box: an idea, or a theme with its ideas (each insertable). */
export interface DraftRow {
  key: string
  rank: number
  dots: number
  /** The idea's words, or the theme's name. */
  text: string
  /** Set for a theme: its shown ideas' words. */
  themeIdeas: string[] | null
}

/** Ranked results as draft rows, most dots first; rows with no words left (all hidden) drop out. */
export function draftRows(rows: readonly { key: string; rank: number; dots: number; idea: { text: string } | null; theme: { name: string; ideas: { text: string }[] } | null }[]): DraftRow[] {
  return rows
    .map((row) => ({
      key: row.key,
      rank: row.rank,
      dots: row.dots,
      text: row.theme ? row.theme.name : (row.idea?.text ?? ''),
      themeIdeas: row.theme ? row.theme.ideas.map((idea) => idea.text).filter(Boolean) : null,
    }))
    .filter((row) => row.text !== '')
}
