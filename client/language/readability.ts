/** Rough syllable count for English words: enough to rank sentences, not to grade a book. */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '')
  if (w.length === 0) return 0
  if (w.length <= 3) return 1
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '')
  return Math.max(1, trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 1)
}

export const words = (sentence: string): string[] => sentence.split(/[\s—–/]+/).filter((w) => /[a-z]/i.test(w))

/** Sentences of a UI string; placeholder gaps ("…") count as one word. */
export const sentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+|\s*:\s+/)
    .map((s) => s.trim())
    .filter((s) => words(s).length > 0)

/** Flesch reading ease over many sentences: 100 is very easy; 70 and up is plain English. */
export function readingEase(all: string[]): number {
  const wordList = all.flatMap(words)
  const syllableCount = wordList.reduce((sum, w) => sum + syllables(w), 0)
  return 206.835 - 1.015 * (wordList.length / all.length) - 84.6 * (syllableCount / wordList.length)
}

/** Flesch–Kincaid grade (US school year) over many sentences; reading age ≈ grade + 5. */
export function gradeLevel(all: string[]): number {
  const wordList = all.flatMap(words)
  const syllableCount = wordList.reduce((sum, w) => sum + syllables(w), 0)
  return 0.39 * (wordList.length / all.length) + 11.8 * (syllableCount / wordList.length) - 15.59
}
