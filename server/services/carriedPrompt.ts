import type { AgreedText } from '../../shared/programme.ts'

/** Wording that already ends a sentence, perhaps inside quotes or brackets. */
const ENDS_SENTENCE = /[.!?…]["'”’)\]]*$/
/** Stops at the end of a list item, dropped so "Respect.; Hope." reads "Respect; Hope". */
const TRAILING_STOPS = /[\s.,;:]+$/

/**
 * The agreed wording on one line: a section's prompt has no line breaks anywhere it is shown
 * (list view, board, projector), so "1. Respect 2. Honesty" ran together; items are kept apart
 * by semicolons instead.
 */
export function agreedWords(agreed: AgreedText): string | null {
  const text = agreed.text?.replace(/\s+/g, ' ').trim()
  if (text) return text
  const items = (agreed.items ?? []).map((item) => item.replace(/\s+/g, ' ').replace(TRAILING_STOPS, '').trim()).filter(Boolean)
  return items.length > 0 ? items.join('; ') : null
}

/** A programme's section starts from what was agreed last time, and asks whether it still fits. */
export function carriedPrompt(agreed: AgreedText | undefined): string | null {
  const words = agreed ? agreedWords(agreed) : null
  if (!words) return null
  // “…listens.”. read as two full stops: a sentence that already ends needs none after the quote.
  const stop = ENDS_SENTENCE.test(words) ? '' : '.'
  return `Last time we agreed: “${words}”${stop} Is this still right? What would you keep, change or add?`
}
