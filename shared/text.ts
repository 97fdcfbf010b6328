/** Control characters (tab and newline aside) and bidirectional overrides and isolates. */
const HIDDEN_RANGES = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069'

/**
 * Characters nobody types on purpose in workshop text: they can make words read differently from
 * what is stored ("\u202e" turned a title round on every screen and export). The one rule for
 * every text field, which refuses them.
 */
export const HIDDEN_CHARS = new RegExp(`[${HIDDEN_RANGES}]`)

/** Removes them, and tab and newline too: for names, which are cleaned rather than refused. */
export const withoutHiddenChars = (name: string): string => name.replace(new RegExp(`[${HIDDEN_RANGES}\\t\\n]`, 'g'), '')
