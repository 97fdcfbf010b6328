import { useSyncExternalStore } from 'react'
import type { VoteSubject } from '../../shared/ballots.ts'
import type { Phase } from '../../shared/phases.ts'
import { workshopKeyPrefix } from '../leave/deviceData.ts'

/**
 * The facilitator's choice of what the next vote in a section is on, kept on this device until
 * the vote opens. Every "move on to Voting" button (section controls, console) reads it from
 * here, so the choice made beside the vote settings is the one the vote opens with.
 */
const keyOf = (workshopId: string, sectionId: string) => `${workshopKeyPrefix(workshopId)}vote-subject:${sectionId}`
const listeners = new Set<() => void>()

export function chosenVoteSubject(workshopId: string, sectionId: string): VoteSubject {
  try {
    return window.localStorage.getItem(keyOf(workshopId, sectionId)) === 'themes' ? 'themes' : 'ideas'
  } catch {
    return 'ideas'
  }
}

export function chooseVoteSubject(workshopId: string, sectionId: string, subject: VoteSubject): void {
  try {
    window.localStorage.setItem(keyOf(workshopId, sectionId), subject)
  } catch {
    // Storage refused (private mode): the choice lasts as long as nothing re-reads it.
  }
  for (const listener of listeners) listener()
}

export function useVoteSubject(workshopId: string, sectionId: string): VoteSubject {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => chosenVoteSubject(workshopId, sectionId),
  )
}

/** The body for moving a section to `phase`: opening a vote carries the chosen subject. */
export function phaseBody(workshopId: string, sectionId: string, phase: Phase): { phase: Phase; subject?: VoteSubject } {
  return phase === 'vote' && chosenVoteSubject(workshopId, sectionId) === 'themes' ? { phase, subject: 'themes' } : { phase }
}
