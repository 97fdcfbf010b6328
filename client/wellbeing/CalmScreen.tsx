import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useReturnFocusOnClose } from '../ui/routeFocus.ts'

/**
 * A still, full-screen message: no countdown, no motion. Focus moves to it so it is read at
 * once; everything behind it is made inert by the page (drafts there stay as they were). When it
 * goes, focus goes back to where it was (the box someone was typing in when the room paused).
 */
export function CalmScreen({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const id = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  useReturnFocusOnClose()
  useEffect(() => heading.current?.focus(), [])
  return (
    <div className="calm-screen" role="dialog" aria-modal="true" aria-labelledby={`${id}-h`} data-testid={testId}>
      <div className="calm-box">
        <h2 id={`${id}-h`} tabIndex={-1} ref={heading}>
          {title}
        </h2>
        {children}
      </div>
    </div>
  )
}
