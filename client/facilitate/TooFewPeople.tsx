import { useEffect, useId } from 'react'
import { announce } from '../announce/announcer.ts'

/**
 * Shown to the facilitator when publishing now could show what one person chose or wrote
 * (the server answered `too_few_people`). The safe choice comes first: keep the round open.
 * Publishing anyway is allowed, and everyone then sees a line saying so.
 */
export function TooFewPeople({
  headline,
  detail,
  keepLabel,
  publishLabel,
  onPublish,
  onKeep,
}: {
  headline: string
  detail: string
  /** The safe choice in words that fit what is held back ("Keep it open" said nothing when nothing was open). */
  keepLabel: string
  publishLabel: string
  onPublish: () => void
  onKeep: () => void
}) {
  const id = useId()
  useEffect(() => announce(`${headline} ${detail}`, 'assertive'), [headline, detail])
  return (
    <div className="too-few-people" role="group" aria-labelledby={`${id}-h`} aria-describedby={`${id}-d`}>
      <p id={`${id}-h`}>
        <strong>{headline}</strong>
      </p>
      <p id={`${id}-d`}>{detail}</p>
      <div className="button-row">
        <button type="button" className="primary" onClick={onKeep}>
          {keepLabel}
        </button>
        <button type="button" onClick={onPublish}>
          {publishLabel}
        </button>
      </div>
    </div>
  )
}
