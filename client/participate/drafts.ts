import { useCallback, useState } from 'react'

/**
 * A form's text kept in sessionStorage as it is typed, so pressing Back, a reload or a dropped
 * connection never loses it (bad input: "nothing lost"). Cleared when it is sent.
 */
/** A kept draft's text, or '' (none, or storage blocked). */
export function readDraft(storageKey: string): string {
  try {
    return sessionStorage.getItem(storageKey) ?? ''
  } catch {
    return ''
  }
}

export function useDraft(storageKey: string | null): [string, (text: string) => void] {
  // Storage blocked: start empty; typing still works.
  const [text, setTextState] = useState(() => (storageKey ? readDraft(storageKey) : ''))
  const setText = useCallback(
    (next: string) => {
      setTextState(next)
      if (!storageKey) return
      try {
        if (next) sessionStorage.setItem(storageKey, next)
        else sessionStorage.removeItem(storageKey)
      } catch {
        // Storage full or blocked: the draft lives in the page until it is sent.
      }
    },
    [storageKey],
  )
  return [text, setText]
}
