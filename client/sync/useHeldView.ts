import { useCallback, useEffect, useRef, useState } from 'react'
import type { StateView } from '../../shared/stateDoc.ts'

export interface HeldView {
  /** What the screen shows: the live view, or the one kept when updates were paused. */
  shown: StateView | null
  /** Updates that arrived since, for the quiet "5 updates — show" button (L18). */
  waiting: number
  /** The view kept when holding started (to say what changed during a break). */
  heldFrom: StateView | null
  showLatest(): void
}

/**
 * Keeps the screen still while `held` (paused live updates, or a break): the view stays as it
 * was, and only a count of waiting updates moves. Nothing is lost: the live view is still read.
 */
export function useHeldView(view: StateView | null, held: boolean): HeldView {
  const [snapshot, setSnapshot] = useState<StateView | null>(null)
  const [heldFrom, setHeldFrom] = useState<StateView | null>(null)
  const [waiting, setWaiting] = useState(0)
  const lastSeen = useRef(view)

  useEffect(() => {
    const changed = lastSeen.current !== view
    lastSeen.current = view
    if (!held) {
      setSnapshot(null)
      setHeldFrom(null)
      setWaiting(0)
      return
    }
    setSnapshot((current) => current ?? view)
    setHeldFrom((current) => current ?? view)
    if (changed) setWaiting((count) => count + 1)
  }, [view, held])

  const showLatest = useCallback(() => {
    setSnapshot(lastSeen.current)
    setWaiting(0)
  }, [])

  return { shown: held ? (snapshot ?? view) : view, waiting: held ? waiting : 0, heldFrom: held ? heldFrom : null, showLatest }
}
