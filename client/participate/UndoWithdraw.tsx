import { useId } from 'react'
import { FieldError, useFieldError } from '../ui/StatusMessage.tsx'

/**
 * "Undo" after withdrawing an idea nobody has seen. The server allows it for as long as the idea
 * was never shown and the section takes ideas, so it stays until then, or until the person
 * closes it: no clock (it used to go after 30 seconds, too soon for someone reading slowly).
 */
export function UndoWithdraw({ text, onUndo, onClose }: { text: string; onUndo: () => Promise<{ ok: boolean; message?: string }>; onClose: () => void }) {
  const id = useId()
  const [error, setError, errorTimes] = useFieldError()
  return (
    <div className="undo-withdraw" role="group" aria-labelledby={`${id}-what`}>
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
      </button>{' '}
      <button type="button" onClick={onClose}>
        Close
      </button>
      <FieldError text={error} times={errorTimes} />
    </div>
  )
}
