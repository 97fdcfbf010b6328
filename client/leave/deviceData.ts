import { session } from '../session.ts'

/** Every key this app keeps for one workshop starts with this, in localStorage and sessionStorage. */
export const workshopKeyPrefix = (workshopId: string) => `parity:${workshopId}:`

/**
 * Keys not tied to one workshop that could still say someone was here (the pseudonym and colour
 * were kept once per device before they were kept per workshop).
 */
const PERSONAL_KEYS = ['parity:pseudonym', 'parity:colour', 'parity:view', 'parity:hide-cursor']

function removeMatching(storage: Storage, prefix: string): void {
  const doomed: string[] = []
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index)
    if (key?.startsWith(prefix)) doomed.push(key)
  }
  for (const key of doomed) storage.removeItem(key)
}

/**
 * Forgets this workshop on this device (W8, for shared computers): the key that makes this
 * browser "you", the keys to your ideas, drafts, and your made-up name. Other workshops stay,
 * and so does a facilitator's key: without it nobody could run the workshop from here again.
 */
export function forgetWorkshopOnThisDevice(workshopId: string): void {
  const facilitatorKey = session.facilitatorKey(workshopId)
  try {
    removeMatching(localStorage, workshopKeyPrefix(workshopId))
    removeMatching(sessionStorage, workshopKeyPrefix(workshopId))
    for (const key of PERSONAL_KEYS) localStorage.removeItem(key)
  } catch {
    // Storage blocked: there was nothing kept to forget.
  }
  if (facilitatorKey) session.setFacilitatorKey(workshopId, facilitatorKey)
}

/** Workshops left by quick exit in this tab (sessionStorage: per tab, like its history). */
const LEFT_KEY = 'parity:left-by-quick-exit'
const leftPath = (workshopId: string) => `/w/${workshopId}/left`

function leftWorkshops(): string[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(LEFT_KEY) ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}

function setLeftWorkshops(ids: string[]): void {
  try {
    if (ids.length === 0) sessionStorage.removeItem(LEFT_KEY)
    else sessionStorage.setItem(LEFT_KEY, JSON.stringify(ids))
  } catch {
    // Storage blocked: Back may show the workshop again, but leaving still works.
  }
}

/**
 * Quick, quiet exit (W8): one tap, no question, no message to anyone. A full page load drops
 * the live connections at once, and `replace` swaps the current entry for the neutral page.
 * Earlier entries of this workshop can't be removed from history, so they are marked: arriving
 * at one with Back or Forward sends the tab straight on (`guardAfterQuickExit`).
 * The device forgets the person at once: kept for a "come back", their key showed the next
 * person on a clinic tablet their waiting ideas, drafts and ballot, and let them act as them
 * (December insider review).
 */
export function leaveNow(workshopId: string): void {
  forgetWorkshopOnThisDevice(workshopId)
  setLeftWorkshops([...new Set([...leftWorkshops(), workshopId])])
  window.location.replace(leftPath(workshopId))
}

const workshopIn = (pathname: string): string | null => pathname.match(/^\/w\/([A-Za-z0-9_-]{1,64})(?:\/|$)/)?.[1] ?? null

/**
 * Runs before the app draws anything. A workshop page reached by Back or Forward (or from the
 * back-forward cache) after a quick exit is replaced by the neutral page, so nothing from the
 * workshop shows. Opening the workshop on purpose (a link, typing the address) clears the mark.
 * Returns true when it sent the tab away.
 */
export function guardAfterQuickExit(): boolean {
  const check = (fromHistory: boolean): boolean => {
    const workshopId = workshopIn(window.location.pathname)
    if (!workshopId || window.location.pathname === leftPath(workshopId) || !leftWorkshops().includes(workshopId)) return false
    if (fromHistory) {
      window.location.replace(leftPath(workshopId))
      return true
    }
    setLeftWorkshops(leftWorkshops().filter((id) => id !== workshopId))
    return false
  }
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) check(true)
  })
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
  return check(navigation?.type === 'back_forward')
}
