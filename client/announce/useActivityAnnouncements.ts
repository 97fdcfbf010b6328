import { useEffect, useRef } from 'react'
import type { StateView } from '../../shared/stateDoc.ts'
import type { AnnouncementMode } from '../ui/preferences.ts'
import { describeChanges, summarise } from './activity.ts'
import { announce } from './announcer.ts'
import { SummaryQueue } from './summaryQueue.ts'

/**
 * Reads out what others did, calmly (L7): off, a summary at most every 10 s ("5 new ideas in
 * Our values") with calls to action said at once, or every change. Never per keystroke: the
 * state doc changes only when the server commits something. `quiet` (a break, or live updates
 * paused) drops news on the floor.
 */
export function useActivityAnnouncements(view: StateView | null, mode: AnnouncementMode, quiet: boolean): void {
  const previous = useRef<StateView | null>(null)
  const queue = useRef<SummaryQueue | null>(null)
  queue.current ??= new SummaryQueue((message) => announce(message))

  useEffect(() => {
    if (!view) return
    const before = previous.current
    previous.current = view
    if (!before || quiet || mode === 'off') return
    const events = describeChanges(before, view)
    if (events.length === 0) return
    if (mode === 'every') return announce(summarise(events))
    queue.current?.add(events)
  }, [view, mode, quiet])

  // Leaving "summary", or going quiet, drops what was waiting: it would be stale by the time it was said.
  useEffect(() => {
    if (mode !== 'summary' || quiet) queue.current?.clear()
  }, [mode, quiet])

  useEffect(() => () => queue.current?.clear(), [])
}
