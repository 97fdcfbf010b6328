import { useSyncExternalStore } from 'react'

/** How much other people's activity is read out (L7). */
export type AnnouncementMode = 'off' | 'summary' | 'every'

/** Choices this device remembers for everyone who uses it. None of them leave the device. */
export interface Preferences {
  announcements: AnnouncementMode
  /** Bigger text everywhere (L16). */
  largeText: boolean
  /** Opt-in: go where the facilitator is showing (W10). */
  followFacilitator: boolean
  /** Hide other people's pointers on the board (L18). */
  hideOthersPointers: boolean
}

const KEY = 'parity:preferences'
const DEFAULTS: Preferences = { announcements: 'summary', largeText: false, followFacilitator: false, hideOthersPointers: false }
const listeners = new Set<() => void>()

function load(): Preferences {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}')
    const raw = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<Record<keyof Preferences, unknown>>
    return {
      announcements: raw.announcements === 'off' || raw.announcements === 'every' ? raw.announcements : DEFAULTS.announcements,
      largeText: raw.largeText === true,
      followFacilitator: raw.followFacilitator === true,
      hideOthersPointers: raw.hideOthersPointers === true,
    }
  } catch {
    // Storage blocked or unreadable: the defaults work for everyone.
    return { ...DEFAULTS }
  }
}

let current = load()
applyToPage(current)

function applyToPage(preferences: Preferences): void {
  document.documentElement.classList.toggle('large-text', preferences.largeText)
}

export function setPreference<K extends keyof Preferences>(key: K, value: Preferences[K]): void {
  current = { ...current, [key]: value }
  try {
    localStorage.setItem(KEY, JSON.stringify(current))
  } catch {
    // Storage blocked: the choice lasts until the tab closes.
  }
  applyToPage(current)
  for (const listener of listeners) listener()
}

export function usePreferences(): Preferences {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => current,
  )
}

/** Forgets this device's choices (quick exit on a shared computer). */
export function resetPreferences(): void {
  try {
    localStorage.removeItem(KEY)
  } catch {
    // Nothing stored.
  }
  current = { ...DEFAULTS }
  applyToPage(current)
  for (const listener of listeners) listener()
}
