import { useId, useState } from 'react'
import { announce } from '../announce/announcer.ts'
import { callApi } from '../api.ts'
import { Button } from '../ui/Button.tsx'
import { FieldError, useFieldError } from '../ui/StatusMessage.tsx'

/**
 * The live headcount and the door. Open workshops count one browser as one person, but someone
 * with two phones is two: comparing the count with the people in the room is the check, and
 * closing the door once everyone is in stops anyone new joining. Reusable by the console (i13).
 */
export function DoorControl({
  workshopId,
  facilitatorKey,
  participantCount,
  doorOpen,
  onChange,
}: {
  workshopId: string
  facilitatorKey: string
  participantCount: number
  doorOpen: boolean
  onChange: () => void
}) {
  const id = useId()
  const [busy, setBusy] = useState(false)
  const [error, setError, errorTimes] = useFieldError()

  const setDoor = async (open: boolean) => {
    if (busy) return
    setBusy(true)
    const result = await callApi<{ doorOpen: boolean }>(`/api/workshops/${workshopId}/door`, { body: { open }, token: facilitatorKey })
    setBusy(false)
    setError(result.ok ? null : result.message)
    // The button stays under the keyboard with its new name; the new state is said.
    if (result.ok) announce((result.value?.doorOpen ?? open) ? 'The door is open. New people can join.' : 'The door is closed. Nobody new can join.')
    onChange()
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="door-control">
      <h2 id={`${id}-h`}>Who is here</h2>
      <p aria-live="polite" data-testid="headcount">
        {participantCount} {participantCount === 1 ? 'person has' : 'people have'} joined.
      </p>
      <p className="hint">Count the people in the room. If more have joined than are here, someone may have joined twice or from outside.</p>
      <p data-testid="door-state">
        <strong>{doorOpen ? 'The door is open:' : 'The door is closed:'}</strong>{' '}
        {doorOpen ? 'new people can join.' : 'nobody new can join. People who already joined can still come back.'}
      </p>
      <Button className={doorOpen ? 'primary' : undefined} unavailable={busy} onClick={() => void setDoor(!doorOpen)}>
        {doorOpen ? 'Close the door' : 'Open the door again'}
      </Button>
      <FieldError text={error} times={errorTimes} />
    </section>
  )
}
