/**
 * Our board colours, checked for contrast by theme.test.ts (L15): text 4.5:1 on its fill;
 * borders, selection and focus 3:1 on the canvas and on cards. tldraw's default light palette
 * misses 3:1 for some outlines, so these replace its values (see boardTheme.ts) and the CSS
 * variables in styles.css, which the test also checks against these tokens.
 */
export const BOARD_TOKENS = {
  canvas: '#f9fafb',
  text: '#1b1f24',
  /** Idea cards: the server's anonymous ideas. */
  cardFill: '#fff8c5',
  cardBorder: '#6b5d00',
  cardText: '#1b1f24',
  /** Section frames. */
  frameStroke: '#4a5260',
  frameText: '#1b1f24',
  /** Selected shapes' outline and handles. */
  selection: '#1f4e79',
  /** Keyboard focus ring, the same orange as the rest of the app. */
  focus: '#b3400a',
  /** Sticky notes' outline. */
  noteBorder: '#6b7280',
} as const

/** Note fill and text per tldraw palette colour: light fills, dark text, all at least 4.5:1. */
export const NOTE_TOKENS = {
  black: { fill: '#fce19c', text: '#1b1f24' },
  grey: { fill: '#c0cad3', text: '#1b1f24' },
  'light-violet': { fill: '#dfb0f9', text: '#1b1f24' },
  violet: { fill: '#db91fd', text: '#1b1f24' },
  blue: { fill: '#8aa3ff', text: '#1b1f24' },
  'light-blue': { fill: '#9bc4fd', text: '#1b1f24' },
  yellow: { fill: '#fed49a', text: '#1b1f24' },
  orange: { fill: '#faa475', text: '#1b1f24' },
  green: { fill: '#6fc896', text: '#1b1f24' },
  'light-green': { fill: '#98d08a', text: '#1b1f24' },
  'light-red': { fill: '#f7a5a1', text: '#1b1f24' },
  red: { fill: '#fc8282', text: '#1b1f24' },
  white: { fill: '#ffffff', text: '#1b1f24' },
} as const

export type NoteColour = keyof typeof NOTE_TOKENS
