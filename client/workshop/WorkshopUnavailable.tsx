import { useEffect, useRef } from 'react'
import { navigate } from '../router.tsx'
import { session } from '../session.ts'
import type { SyncFailure } from '../sync/useWorkshopSync.ts'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'

/**
 * The workshop cannot open on this device (W13): never joined, a key the server refuses, or a
 * workshop that no longer exists. A plain message, read at once, and one way on: "Join again"
 * forgets the refused key and opens the join page. A workshop that is gone or was deleted has no
 * join page to go back to, so it offers the start page, where people type a code.
 */
export function WorkshopUnavailable({ workshopId, reason, message }: { workshopId: string; reason: SyncFailure; message: string }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const over = reason === 'gone' || reason === 'deleted'
  const goOn = () => {
    if (reason === 'refused') session.forgetParticipantToken(workshopId)
    navigate(over ? '/' : `/w/${workshopId}/join`)
  }
  return (
    <main className="page narrow" id="main">
      <h1 tabIndex={-1} ref={heading}>
        We could not open the workshop
      </h1>
      <ErrorPanel title={message}>
        {/* The client hears only "deleted", never by whom: say both ways it happens. */}
        {reason === 'deleted' && (
          <p data-testid="deleted-why">It was deleted by its facilitator, or because it reached the end of the time it was kept.</p>
        )}
        <p>
          <button type="button" className="primary" onClick={goOn}>
            {over ? 'Go to the start page' : reason === 'not-joined' ? 'Join the workshop' : 'Join again'}
          </button>
        </p>
      </ErrorPanel>
    </main>
  )
}
