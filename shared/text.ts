/**
 * Characters nobody types on purpose in workshop text: control characters (tab and newline
 * aside) and bidirectional overrides, which can make words read differently from what is stored
 * ("‮" turned a title round on every screen and export). The one rule for every text field.
 */
export const HIDDEN_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

/** The same, for text that is cleaned rather than refused (presence names: tab and newline go too). */
export const HIDDEN_CHARS_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
