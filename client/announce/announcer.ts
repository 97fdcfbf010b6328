/**
 * The app's only two live regions (L6): one polite, one assertive for errors and connection loss.
 * They are in index.html, so they exist before anything is announced: a region added at the same
 * moment as its first message is often not read at all.
 */
export type Politeness = 'polite' | 'assertive'

export const ANNOUNCER_ID: Record<Politeness, string> = { polite: 'announcer-polite', assertive: 'announcer-assertive' }

let muted = false

/** Says `message` through the matching region. Dropped while muted (someone on a break). */
export function announce(message: string, politeness: Politeness = 'polite', options: { evenWhenMuted?: boolean } = {}): void {
  if (!message || (muted && !options.evenWhenMuted)) return
  const region = document.getElementById(ANNOUNCER_ID[politeness])
  if (!region) return
  // Screen readers skip an unchanged region: repeat the same words with an invisible difference.
  region.textContent = region.textContent === message ? `${message}\u00a0` : message
}

/** Taking a break mutes everything: the screen goes still and quiet (W6). */
export function setAnnouncementsMuted(value: boolean): void {
  muted = value
}

export const announcementsMuted = (): boolean => muted
