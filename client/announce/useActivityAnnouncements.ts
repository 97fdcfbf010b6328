import { useEffect, useRef } from 'react'
import type { StateView } from '../../shared/stateDoc.ts'
import type { AnnouncementMode } from '../ui/preferences.ts'
import { describeChanges, summarise, type ActivityEvent } from './activity.ts'
import { announce } from './announcer.ts'

/** L7: never more than one summary in this long. */
export const SUMMARY_INTERVAL_MS = 10_000
/** A short wait first, so changes that arrive together are said together. */
const SETTLE_MS = 1000

/**
 * Reads out what others did, calmly (L7): off, a summary at most every 10 s ("5 new ideas in
 * Our values"), or every change. Never per keystroke: the state doc changes only when the
 * server commits something. `quiet` (a break, or live updates paused) drops news on the floor.
 */
export function useActivityAnnouncements(view: StateView | null, mode: AnnouncementMode, quiet: boolean): void {
  const previous = useRef<StateView | null>(null)
  const pending = useRef<ActivityEvent[]>([])
  const lastSaidAt = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  useEffect(() => {
    if (!view) return
    const before = previous.current
    previous.current = view
    if (!before || quiet || mode === 'off') return
    const events = describeChanges(before, view)
    if (events.length === 0) return
    if (mode === 'every') return announce(summarise(events))
    pending.current.push(...events)
    if (timer.current) return
    const wait = Math.max(SETTLE_MS, lastSaidAt.current + SUMMARY_INTERVAL_MS - Date.now())
    timer.current = setTimeout(() => {
      timer.current = null
      const message = summarise(pending.current)
      pending.current = []
      if (!message) return
      lastSaidAt.current = Date.now()
      announce(message)
    }, wait)
  }, [view, mode, quiet])

  // Leaving "summary", or going quiet, drops what was waiting: it would be stale by the time it was said.
  useEffect(() => {
    if (mode === 'summary' && !quiet) return
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    pending.current = []
  }, [mode, quiet])

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    [],
  )
}
