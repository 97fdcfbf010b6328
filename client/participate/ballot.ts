import { useCallback, useEffect, useSyncExternalStore } from 'react'
import { checkAllocation, dotsUsed } from '../../shared/ballots.ts'
import { plural } from '../../shared/wellbeing.ts'
import type { Section } from '../../shared/sections.ts'
import { callApi } from '../api.ts'
import { announce } from '../announce/announcer.ts'

/**
 * This person's ballot for one round, shared by every place that votes (the list's "Your votes"
 * and the selected card's panel on the board), so they never disagree. It lives only in this
 * page's memory and goes only to the server's ballot API: never into the shared board, presence
 * or logs. Presses are applied at once on screen and sent one ballot at a time, so fast presses
 * all count.
 */

interface Saved {
  dots: Record<string, number>
  used: number
  remaining: number
}

/** Where a press was made: its error is shown there, next to the button pressed. */
export type BallotPlace = 'list' | 'card'

export interface BallotView {
  dots: Record<string, number>
  saving: boolean
  error: string | null
  /** Counts settings of the error, so the same words again are said again (useFieldError). */
  errorTimes: number
  errorAt: BallotPlace | null
  /** Dots given back because what they were on left the vote. */
  returned: number
}

interface Entry {
  round: number
  path: string
  token: string
  view: BallotView
  // The ballot as the person wants it now, what the server holds, and whether a send is on its way.
  wanted: Record<string, number>
  confirmed: Record<string, number>
  inFlight: boolean
  loading: boolean
  // Presses made before the saved ballot has loaded win over it (a slow load must not undo them).
  touched: boolean
}

const entries = new Map<string, Entry>()
const listeners = new Set<() => void>()
const EMPTY: BallotView = { dots: {}, saving: false, error: null, errorTimes: 0, errorAt: null, returned: 0 }

let version = 0
/** Changes whenever any ballot on this page does (for useSyncExternalStore). */
export const ballotsVersion = () => version

const update = (entry: Entry, change: Partial<BallotView>) => {
  entry.view = { ...entry.view, ...change }
  version++
  for (const listener of listeners) listener()
}

export const dotWord = (n: number) => plural(n, 'dot', 'dots')

/** The one line, in the list and on the card, of what is left to place. */
export const dotsLeftWords = (remaining: number, budget: number, saving: boolean) => `You have ${remaining} of ${dotWord(budget)} left${saving ? ' (saving…)' : ''}.`

function entryFor(workshopId: string, token: string, section: Section): Entry {
  const path = `/api/workshops/${workshopId}/sections/${section.sectionId}/ballot`
  const key = `${path} ${section.vote.round} ${token}`
  let entry = entries.get(key)
  if (!entry) {
    // A new round or person: the old ballot is gone on the server too.
    for (const [old, other] of entries) if (other.path === path) entries.delete(old)
    entry = { round: section.vote.round, path, token, view: EMPTY, wanted: {}, confirmed: {}, inFlight: false, loading: false, touched: false }
    entries.set(key, entry)
  }
  return entry
}

/** Reads the saved ballot (each time a voting place opens: another device may have changed it). */
async function load(entry: Entry): Promise<void> {
  if (entry.loading) return
  entry.loading = true
  entry.touched = false
  const result = await callApi<Saved>(entry.path, { token: entry.token })
  entry.loading = false
  if (!result.ok || entry.touched || entry.inFlight) return
  entry.wanted = result.value.dots
  entry.confirmed = result.value.dots
  update(entry, { dots: result.value.dots })
}

async function flush(entry: Entry, budget: number, at: BallotPlace): Promise<void> {
  if (entry.inFlight) return
  entry.inFlight = true
  update(entry, { saving: true })
  for (;;) {
    const sending = entry.wanted
    const result = await callApi<Saved>(entry.path, { method: 'PUT', body: { dots: sending }, token: entry.token })
    if (!result.ok) {
      // Put the screen back to what the server holds, and say why.
      entry.wanted = entry.confirmed
      update(entry, { dots: entry.confirmed, error: result.message, errorTimes: entry.view.errorTimes + 1, errorAt: at })
      break
    }
    entry.confirmed = result.value.dots
    if (entry.view.error !== null) update(entry, { error: null, errorTimes: entry.view.errorTimes + 1 })
    if (entry.wanted === sending) {
      update(entry, { dots: result.value.dots })
      announce(`Saved. You have ${budget - result.value.used} of ${dotWord(budget)} left.`)
      break
    }
  }
  entry.inFlight = false
  update(entry, { saving: false })
}

const subscribe = (listener: () => void) => {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

/** Told whenever any ballot on this page changes (the board redraws its cards' own dots). */
export const subscribeBallots = subscribe

/**
 * This person's own dots on a vote item (an idea, or a theme in a theme vote) in a section's
 * current round, as this page holds them; 0 when this page has no ballot for it.
 */
export function ownDotsOn(workshopId: string, sectionId: string, round: number, itemId: string): number {
  // Section ids (`values`, …) repeat in every workshop: another workshop's ballot in this tab is not this one.
  const path = `/api/workshops/${workshopId}/sections/${sectionId}/ballot`
  for (const entry of entries.values()) if (entry.path === path && entry.round === round) return entry.view.dots[itemId] ?? 0
  return 0
}

export interface Ballot extends BallotView {
  used: number
  remaining: number
  /** Adds (`by` 1) or takes off (−1) one dot; refused on screen when no dots are left. */
  change: (itemId: string, by: number) => void
  /** Drops dots on things no longer in the vote; says how many came back. */
  keepOnly: (itemIds: readonly string[]) => number
}

/**
 * One person's ballot in one section's open vote. `place` says where the buttons are, for where
 * an error shows and for the words of "no dots left" (the list's toggle is "Vote", the card's
 * buttons "Take a dot off").
 */
export function useBallot(workshopId: string, token: string, section: Section, place: BallotPlace): Ballot {
  const { budget, maxPerIdea } = section.vote.settings
  const entry = entryFor(workshopId, token, section)
  const view = useSyncExternalStore(subscribe, () => entry.view)
  useEffect(() => {
    void load(entry)
  }, [entry])
  const change = useCallback(
    (itemId: string, by: number) => {
      entry.touched = true
      const current = entry.wanted[itemId] ?? 0
      const value = Math.max(0, Math.min(maxPerIdea, current + by))
      const fail = (error: string) => update(entry, { error, errorTimes: entry.view.errorTimes + 1, errorAt: place })
      // With one dot an idea the list has no "Take a dot off" button: the words name the button there is.
      const takeOff = maxPerIdea === 1 && place === 'list' ? 'Press ✓ Vote again on another idea to take that dot off first.' : 'Take a dot off another idea first.'
      if (by > 0 && budget - dotsUsed(entry.wanted) <= 0) return fail(`You have used all ${dotWord(budget)}. ${takeOff}`)
      // The server's own words for the cap (one place for the rule).
      const capped = checkAllocation({ [itemId]: current + by }, section.vote.settings, new Set([itemId]))
      if (by > 0 && !capped.ok) return fail(capped.error.message)
      if (value === current) return
      entry.wanted = { ...entry.wanted, [itemId]: value }
      update(entry, { dots: entry.wanted })
      void flush(entry, budget, place)
    },
    [entry, budget, maxPerIdea, place, section.vote.settings],
  )
  const keepOnly = useCallback(
    (itemIds: readonly string[]) => {
      const present = new Set(itemIds)
      const keep = (ballot: Record<string, number>) => Object.fromEntries(Object.entries(ballot).filter(([itemId]) => present.has(itemId)))
      const back = dotsUsed(entry.wanted) - dotsUsed(keep(entry.wanted))
      if (back === 0) return 0
      entry.wanted = keep(entry.wanted)
      entry.confirmed = keep(entry.confirmed)
      update(entry, { dots: entry.wanted, returned: entry.view.returned + back })
      return back
    },
    [entry],
  )
  const used = dotsUsed(view.dots)
  return { ...view, used, remaining: budget - used, change, keepOnly }
}
