/** Pure helpers for drafting a statement or list from what the room said. */

/** "Respect" → "Respect.": a sentence ends with a stop so ideas read as a statement. */
const asSentence = (text: string): string => {
  const trimmed = text.trim()
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`
}

/** A first draft from the top ideas: one line each for a list, sentences for a statement. */
export function firstDraft(topIdeas: readonly string[], isStatement: boolean): string {
  return isStatement ? topIdeas.slice(0, 3).map(asSentence).join(' ') : topIdeas.join('\n')
}

/** Adds one idea to the draft: a new line in a list, a new sentence in a statement. */
export function insertIntoDraft(draft: string, text: string, isStatement: boolean): string {
  const current = draft.trimEnd()
  if (!current) return isStatement ? asSentence(text) : text.trim()
  return isStatement ? `${asSentence(current)} ${asSentence(text)}` : `${current}\n${text.trim()}`
}
