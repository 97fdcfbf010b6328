import { session } from '../session.ts'

/** Every key this app keeps for one workshop starts with this, in localStorage and sessionStorage. */
export const workshopKeyPrefix = (workshopId: string) => `parity:${workshopId}:`

/** Keys not tied to one workshop that could still say someone was here. */
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
 * browser "you", the keys to your ideas, drafts, and your made-up name. Other workshops stay.
 */
export function forgetWorkshopOnThisDevice(workshopId: string): void {
  session.forgetWorkshop(workshopId)
  try {
    removeMatching(localStorage, workshopKeyPrefix(workshopId))
    removeMatching(sessionStorage, workshopKeyPrefix(workshopId))
    for (const key of PERSONAL_KEYS) localStorage.removeItem(key)
  } catch {
    // Storage blocked: there was nothing kept to forget.
  }
}

/**
 * Quick, quiet exit (W8): one tap, no question, no message to anyone. A full page load drops
 * the live connections at once, and `replace` means Back does not return to the workshop.
 */
export function leaveNow(workshopId: string): void {
  window.location.replace(`/w/${workshopId}/left`)
}
