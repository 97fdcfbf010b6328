import { useEffect, useRef } from 'react'
import { CalmScreen } from './CalmScreen.tsx'

/** "Take a break" (W6): the screen goes still and quiet until the person chooses to come back. */
export function BreakScreen({ onBack, workshopId }: { onBack: () => void; workshopId: string }) {
  const back = useRef<HTMLButtonElement>(null)
  // Coming back lands on "Take a break" again (or the page heading): CalmScreen sees to it.
  // The way out is the first thing under the keyboard.
  useEffect(() => back.current?.focus(), [])
  return (
    <CalmScreen title="You are taking a break" testId="break-screen" workshopId={workshopId}>
      <p>Take as long as you need. Nothing here will change or make a sound until you come back.</p>
      <p>Nobody has been told. Your ideas, votes and anything you were typing are kept.</p>
      <button type="button" className="primary" ref={back} onClick={onBack}>
        I am ready to come back
      </button>
    </CalmScreen>
  )
}
