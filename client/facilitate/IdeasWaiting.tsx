import { useEffect, useId } from 'react'
import { announce } from '../announce/announcer.ts'

/**
 * Shown when the facilitator starts a vote while ideas or changes still wait to be shown (the
 * server answered `ideas_waiting`). Showing them comes first, so nobody's idea is left out unnoticed.
 */
export function IdeasWaiting({ message, onShow, onLeave, onCancel }: { message: string; onShow: () => void; onLeave: () => void; onCancel: () => void }) {
  const id = useId()
  useEffect(() => announce(message, 'assertive'), [message])
  return (
    <div className="too-few-people" role="group" aria-labelledby={`${id}-h`} aria-describedby={`${id}-d`} data-testid="ideas-waiting">
      <p id={`${id}-h`}>
        <strong>Some ideas or changes have not been shown yet.</strong>
      </p>
      <p id={`${id}-d`}>{message} If you start without them, new ideas stay waiting and are not in this vote. Changes to ideas already shown are dropped, so everyone votes on the words they saw.</p>
      <div className="button-row">
        <button type="button" className="primary" autoFocus onClick={onShow}>
          Show them now
        </button>
        <button type="button" onClick={onLeave}>
          Start the vote without them
        </button>
        <button type="button" onClick={onCancel}>
          Not yet
        </button>
      </div>
    </div>
  )
}
