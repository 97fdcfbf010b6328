import { useEffect, useRef, useState } from 'react'
import { PHASE_LABEL } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import { describeTimeLeft, timeLeftMs, timerMoment, type SoftTimer, type TimerMoment } from '../../shared/wellbeing.ts'
import { announce } from '../announce/announcer.ts'

export interface TimerView {
  timer: SoftTimer
  section: Section
  leftMs: number
  /** "About 5 minutes left for “Adding ideas” in Our values." */
  text: string
}

const TICK_MS = 1000

/**
 * The soft timer for whichever section has one (L17). Advisory only: nothing reads this to
 * disable anything. Read out at three moments only — start, 2 minutes left, time up — and
 * never while someone is on a break. `timer` is `undefined` until the workshop's state has loaded.
 */
export function useTimer(timer: SoftTimer | null | undefined, sections: Section[], clockOffsetMs: number, quiet: boolean): TimerView | null {
  const [now, setNow] = useState(() => Date.now())
  const running = timer != null && timer.endsAt !== null
  useEffect(() => {
    if (!running) return
    setNow(Date.now())
    const interval = setInterval(() => setNow(Date.now()), TICK_MS)
    return () => clearInterval(interval)
  }, [running, timer?.endsAt])

  const section = timer ? sections.find((s) => s.sectionId === timer.sectionId) : undefined
  // A timer set for a step the section has left is over: it says nothing more.
  const current = timer && section && section.phase === timer.phase ? timer : null
  const leftMs = current ? timeLeftMs(current, now + clockOffsetMs) : null
  const moment = leftMs === null ? null : timerMoment(leftMs)

  const seen = useRef<{ timerId: string; moment: TimerMoment } | null | undefined>(undefined)
  useEffect(() => {
    // `undefined` is "not loaded yet": the first look comes with the first state, not before it.
    if (timer === undefined) return
    const previous = seen.current
    seen.current = current && moment ? { timerId: current.timerId, moment } : null
    // The first look at the page is not a moment: someone arriving mid-way hears nothing.
    if (previous === undefined || !current || !moment || !section || quiet) return
    if (previous?.timerId !== current.timerId) {
      announce(`A timer has started for “${PHASE_LABEL[current.phase]}” in ${section.title}: ${describeTimeLeft(leftMs ?? 0)} It is only a guide.`)
      return
    }
    if (previous.moment === moment) return
    if (moment === 'two-minutes' && previous.moment === 'running') announce(`About 2 minutes left in ${section.title}.`)
    if (moment === 'time-up') announce(`Time is up in ${section.title}. There is no rush: finish what you are doing.`)
  }, [timer, current, moment, section, quiet, leftMs])

  if (!current || !section || leftMs === null) return null
  const left = describeTimeLeft(leftMs)
  return {
    timer: current,
    section,
    leftMs,
    text: leftMs <= 0 ? `${left}` : `${left.replace(/\.$/, '')} for “${PHASE_LABEL[current.phase]}” in ${section.title}.`,
  }
}
