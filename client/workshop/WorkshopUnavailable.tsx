import { useEffect, useRef } from 'react'
import { navigate } from '../router.tsx'
import { session } from '../session.ts'
import type { SyncFailure } from '../sync/useWorkshopSync.ts'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'

/**
 * The workshop cannot open on this device (W13): never joined, a key the server refuses, or a
 * workshop that no longer exists. A plain message, read at once, and one way on: "Join again"
 * forgets the refused key and opens the join page (or, for a missing workshop, the page where
 * people type a code).
 */
export function WorkshopUnavailable({ workshopId, reason, message }: { workshopId: string; reason: SyncFailure; message: string }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const joinAgain = () => {
    if (reason === 'refused') session.forgetParticipantToken(workshopId)
    navigate(reason === 'gone' ? '/' : `/w/${workshopId}/join`)
  }
  return (
    <main className="page narrow" id="main">
      <h1 tabIndex={-1} ref={heading}>
        We could not open the workshop
      </h1>
      <ErrorPanel title={message}>
        <p>
          <button type="button" className="primary" onClick={joinAgain}>
            {reason === 'not-joined' ? 'Join the workshop' : 'Join again'}
          </button>
        </p>
      </ErrorPanel>
    </main>
  )
}
