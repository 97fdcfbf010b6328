import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { SupportPanel } from '../ui/SupportPanel.tsx'
import { useReturnFocusOnClose } from '../ui/routeFocus.ts'

/**
 * A still, full-screen message: no countdown, no motion. Focus moves to it so it is read at
 * once; everything behind it is made inert by the page (drafts there stay as they were). When it
 * goes, focus goes back to where it was (the box someone was typing in when the room paused).
 * "Get support" is inside it too: the bar at the top can be out of reach behind a modal screen.
 */
export function CalmScreen({ title, children, testId, workshopId }: { title: string; children: ReactNode; testId: string; workshopId: string | null }) {
  const id = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const [supportOpenedAt, setSupportOpenedAt] = useState<number | null>(null)
  useReturnFocusOnClose()
  useEffect(() => heading.current?.focus(), [])
  return (
    <div className="calm-screen" role="dialog" aria-modal="true" aria-labelledby={`${id}-h`} data-testid={testId}>
      <div className="calm-box">
        <h2 id={`${id}-h`} tabIndex={-1} ref={heading}>
          {title}
        </h2>
        {children}
        <p>
          <button
            type="button"
            className="calm-support"
            aria-expanded={supportOpenedAt !== null}
            aria-controls={`${id}-support`}
            onClick={() => setSupportOpenedAt((opened) => (opened === null ? Date.now() : null))}
          >
            Get support
          </button>
        </p>
        <div id={`${id}-support`}>
          {supportOpenedAt !== null && (
            <section aria-label="Get support" className="calm-support-panel">
              <SupportPanel workshopId={workshopId} openedAt={supportOpenedAt} />
            </section>
          )}
        </div>
      </div>
    </div>
  )
}
