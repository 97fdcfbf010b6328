import { useEffect, useId, useRef, useState } from 'react'
import { FieldError, useFieldError } from '../ui/StatusMessage.tsx'
import { UNDO_SECONDS } from './MyIdeaItem.tsx'

/**
 * "Undo" for a short while after withdrawing an idea nobody has seen. The server allows it for
 * as long as the idea was never shown; the time limit only keeps the screen tidy, so it waits
 * while the person is on the button (focus or pointer), never taking it away mid-press.
 */
export function UndoWithdraw({ text, onUndo, onExpire }: { text: string; onUndo: () => Promise<{ ok: boolean; message?: string }>; onExpire: () => void }) {
  const id = useId()
  const [error, setError, errorTimes] = useFieldError()
  const [holding, setHolding] = useState(false)
  // The latest callback, so the page re-rendering (the room is busy) does not restart the time.
  const expire = useRef(onExpire)
  expire.current = onExpire
  useEffect(() => {
    if (holding) return
    const timer = window.setTimeout(() => expire.current(), UNDO_SECONDS * 1000)
    return () => window.clearTimeout(timer)
  }, [holding])
  return (
    <div className="undo-withdraw" role="group" aria-labelledby={`${id}-what`} onFocus={() => setHolding(true)} onBlur={() => setHolding(false)} onPointerEnter={() => setHolding(true)} onPointerLeave={() => setHolding(false)}>
      <p id={`${id}-what`}>
        Withdrawn: “{text.length > 60 ? `${text.slice(0, 60)}…` : text}”. Nobody saw it.
      </p>
      <button
        type="button"
        onClick={async () => {
          const result = await onUndo()
          if (!result.ok) setError(result.message ?? 'Your idea could not come back. Add it again instead.')
        }}
      >
        Undo
      </button>
      <FieldError text={error} times={errorTimes} />
    </div>
  )
}
