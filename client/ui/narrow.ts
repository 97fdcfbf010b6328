import { useSyncExternalStore } from 'react'

/** Phones and narrow windows: the same line as the `max-width: 700px` rules in styles.css. */
export const NARROW_QUERY = '(max-width: 700px)'

export const isNarrow = (): boolean => window.matchMedia(NARROW_QUERY).matches

const subscribe = (changed: () => void) => {
  const query = window.matchMedia(NARROW_QUERY)
  query.addEventListener('change', changed)
  return () => query.removeEventListener('change', changed)
}

/** Whether the window is narrow now, following it as it is turned or resized. */
export const useNarrow = (): boolean => useSyncExternalStore(subscribe, isNarrow)
