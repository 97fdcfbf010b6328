/**
 * Names of the two Yjs documents each workshop has. `board` is edited by everyone (tldraw records);
 * `state` is written only by the server and read by everyone.
 */
export const DocName = {
  board: 'board',
  state: 'state',
} as const
export type DocName = (typeof DocName)[keyof typeof DocName]

export const isDocName = (value: string): value is DocName => value === DocName.board || value === DocName.state

/** Root type names inside the board doc. The records array holds tldraw records keyed by id. */
export const BoardRoot = {
  records: 'records',
} as const

/** Root type names inside the state doc. */
export const StateRoot = {
  workshop: 'workshop',
  sections: 'sections',
  ideas: 'ideas',
  moderation: 'moderation',
  results: 'results',
  proposals: 'proposals',
  /** Room pause, pause-request counts, the soft timer, support contacts (written by WellbeingService). */
  wellbeing: 'wellbeing',
  /** Ideas people put together under a name (written by ThemeService). */
  themes: 'themes',
} as const
