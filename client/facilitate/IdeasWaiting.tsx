import { useEffect, useId } from 'react'
import { announce } from '../announce/announcer.ts'

/**
 * Shown when the facilitator starts a vote, or moves on to talking it through, while ideas or
 * changes still wait to be shown. Showing them comes first, so nobody's idea is left out
 * unnoticed: moving on left every card hidden while people were asked to talk about them.
 */
export function IdeasWaiting({
  message,
  onShow,
  onLeave,
  onCancel,
  toVote = true,
}: {
  message: string
  onShow: () => void
  onLeave: () => void
  onCancel: () => void
  /** Starting a vote (the server's `ideas_waiting`), rather than moving on to talk. */
  toVote?: boolean
}) {
  const id = useId()
  useEffect(() => announce(message, 'assertive'), [message])
  return (
    <div className="too-few-people" role="group" aria-labelledby={`${id}-h`} aria-describedby={`${id}-d`} data-testid="ideas-waiting">
      <p id={`${id}-h`}>
        <strong>Some ideas or changes have not been shown yet.</strong>
      </p>
      <p id={`${id}-d`}>
        {message}{' '}
        {toVote
          ? 'If you start without them, new ideas stay waiting and are not in this vote. Changes to ideas already shown are dropped, so everyone votes on the words they saw.'
          : 'If you move on without them, they stay hidden until you show them.'}
      </p>
      <div className="button-row">
        <button type="button" className="primary" autoFocus onClick={onShow}>
          Show them now
        </button>
        <button type="button" onClick={onLeave}>
          {toVote ? 'Start the vote without them' : 'Move on without them'}
        </button>
        <button type="button" onClick={onCancel}>
          Not yet
        </button>
      </div>
    </div>
  )
}
