import { useCallback, useRef } from 'react'

/**
 * Runs an action once per press: a second press while it runs, or within `settleMs` after, is
 * ignored. A step button keeps focus and changes its label when the step changes, so a double
 * click or a repeated Enter moved a section two steps (into a vote nobody had set up).
 */
export function useOnePress(settleMs = 800): <T>(action: () => Promise<T>) => Promise<T | undefined> {
  const busy = useRef(false)
  return useCallback(
    async <T,>(action: () => Promise<T>) => {
      if (busy.current) return undefined
      busy.current = true
      try {
        return await action()
      } finally {
        setTimeout(() => {
          busy.current = false
        }, settleMs)
      }
    },
    [settleMs],
  )
}
