import { useSyncExternalStore } from 'react'

/**
 * Ideas with a content note that this reader chose to open (W9). Kept in memory only: after a
 * reload every note is folded again, which is the safe way round. Shared by list, board and
 * vote buttons, so opening it once opens it everywhere on this screen.
 */
let opened = new Set<string>()
const listeners = new Set<() => void>()

export function setNoteOpen(ideaId: string, open: boolean): void {
  const next = new Set(opened)
  if (open) next.add(ideaId)
  else next.delete(ideaId)
  opened = next
  for (const listener of listeners) listener()
}

export function useOpenedNotes(): ReadonlySet<string> {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => opened,
  )
}

/** Only the idea's own words once opened, or the note: for button names and card descriptions. */
export function ideaWords(idea: { text: string; contentNote?: string | null }, openedIds: ReadonlySet<string>, ideaId: string): string {
  if (!idea.contentNote || openedIds.has(ideaId)) return idea.text
  return `an idea with a content note: ${idea.contentNote}`
}
