/**
 * The app's only two live regions (L6): one polite, one assertive for errors and connection loss.
 * They are in index.html, so they exist before anything is announced: a region added at the same
 * moment as its first message is often not read at all.
 */
export type Politeness = 'polite' | 'assertive'

export const ANNOUNCER_ID: Record<Politeness, string> = { polite: 'announcer-polite', assertive: 'announcer-assertive' }

let muted = false

/**
 * How long a message stays in its region. Screen readers read it as it changes; left there, old
 * words ("Give the workshop a name.") were still found on the next page (WCAG 2.2 audit).
 */
export const CLEAR_AFTER_MS = 5_000
/** Said this recently, a message was meant for the page being opened ("You have joined…"). */
const FRESH_MS = 1_000
const clearing: Partial<Record<Politeness, ReturnType<typeof setTimeout>>> = {}
const saidAt: Record<Politeness, number> = { polite: -Infinity, assertive: -Infinity }

function clearRegion(politeness: Politeness): void {
  clearTimeout(clearing[politeness])
  delete clearing[politeness]
  const region = document.getElementById(ANNOUNCER_ID[politeness])
  if (region) region.textContent = ''
}

/** Empties both regions on every change of page (router.tsx), but for words said just before it. */
export function clearAnnouncements(): void {
  for (const politeness of ['polite', 'assertive'] as const) if (performance.now() - saidAt[politeness] >= FRESH_MS) clearRegion(politeness)
}

/** Says `message` through the matching region. Dropped while muted (someone on a break). */
export function announce(message: string, politeness: Politeness = 'polite', options: { evenWhenMuted?: boolean } = {}): void {
  if (!message || (muted && !options.evenWhenMuted)) return
  const region = document.getElementById(ANNOUNCER_ID[politeness])
  if (!region) return
  // Screen readers skip an unchanged region: repeat the same words with an invisible difference.
  region.textContent = region.textContent === message ? `${message}\u00a0` : message
  saidAt[politeness] = performance.now()
  clearTimeout(clearing[politeness])
  clearing[politeness] = setTimeout(() => clearRegion(politeness), CLEAR_AFTER_MS)
}

/** Taking a break mutes everything: the screen goes still and quiet (W6). */
export function setAnnouncementsMuted(value: boolean): void {
  muted = value
}

export const announcementsMuted = (): boolean => muted
