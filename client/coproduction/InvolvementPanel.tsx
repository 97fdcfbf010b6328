import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { BENEFITS_NOTE, type InvolvementRecord } from '../../shared/coproduction.ts'
import { callApi } from '../api.ts'
import { formatDay } from '../../shared/retention.ts'
import { CopyField } from '../ui/CopyField.tsx'
import { useRetention } from '../ui/useRetention.ts'
import { StatusMessage } from '../ui/StatusMessage.tsx'
import { deviceNotes } from './deviceNotes.ts'

type Stored = { declined: true } | { record: InvolvementRecord }

function readStored(workshopId: string): Stored | null {
  try {
    const raw = deviceNotes.read(workshopId, 'involvement')
    return raw ? (JSON.parse(raw) as Stored) : null
  } catch {
    // Unreadable: offer the choice again.
    return null
  }
}

/**
 * Recognition of involvement: a code to give, with your name, to whoever pays involvement fees.
 * It shows the workshop, the day and the time only. People can say no, or take less time.
 */
export function InvolvementPanel({ workshopId, token }: { workshopId: string; token: string }) {
  const id = useId()
  const [stored, setStored] = useState<Stored | null>(() => readStored(workshopId))
  // Once the workshop is deleted a code still checks as real, but it can no longer be marked as paid.
  const retention = useRetention(workshopId, token)
  const [sessionMinutes, setSessionMinutes] = useState<number | null>(null)
  const [minutes, setMinutes] = useState('')
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  // Minutes typed before the session's length arrives are kept, not replaced by it.
  const typed = useRef(false)
  // Every error here is about the minutes: told at the field, and the focus goes back there.
  const minutesField = useRef<HTMLInputElement>(null)
  const minutesWrong = message?.error === true
  useEffect(() => {
    if (message?.error) minutesField.current?.focus()
  }, [message])

  useEffect(() => {
    let cancelled = false
    void callApi<{ minutes: number }>(`/api/workshops/${workshopId}/involvement`, { token }).then((result) => {
      if (cancelled || !result.ok) return
      setSessionMinutes(result.value.minutes)
      if (!typed.current) setMinutes(String(result.value.minutes))
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, token])

  const keep = (value: Stored) => {
    deviceNotes.write(workshopId, 'involvement', JSON.stringify(value))
    setStored(value)
  }

  const take = async (event: FormEvent) => {
    event.preventDefault()
    const wanted = Number(minutes)
    if (!Number.isInteger(wanted) || wanted < 1) return setMessage({ text: 'Type the number of minutes, like 90.', error: true })
    const result = await callApi<InvolvementRecord>(`/api/workshops/${workshopId}/involvement`, { body: { minutes: wanted }, token })
    if (result.ok) return keep({ record: result.value })
    setMessage({ text: result.message, error: true })
  }

  return (
    <section className="card involvement" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>A record that you took part</h2>
      {stored && 'record' in stored ? (
        <>
          <p>
            Give this code, with your name, to the person who pays for taking part. It shows the workshop, the day and {stored.record.minutes} minutes. It
            shows nothing you said or voted.
          </p>
          <CopyField label="Your record code" value={stored.record.code} />
          {retention.info && (
            <p className="record-deadline">
              It can be marked as paid until this workshop is deleted, on {formatDay(retention.info.deleteAfter)} as things stand. Give it to the
              person who pays before then.
            </p>
          )}
          <p className="no-print">
            <button type="button" onClick={() => window.print()}>
              Print this page
            </button>
          </p>
        </>
      ) : stored ? (
        <p>You chose not to take a record. That is fine.</p>
      ) : (
        <>
          <p>If you are paid for your time, you can take a record that you were here.</p>
          <ul className="benefits-note">
            {BENEFITS_NOTE.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <form onSubmit={take}>
            <label htmlFor={`${id}-minutes`}>Minutes to put on the record{sessionMinutes ? ` (up to ${sessionMinutes})` : ''}</label>
            <input
              id={`${id}-minutes`}
              ref={minutesField}
              aria-invalid={minutesWrong || undefined}
              aria-describedby={minutesWrong ? `${id}-minutes-error` : undefined}
              inputMode="numeric"
              value={minutes}
              onChange={(event) => {
                typed.current = true
                setMinutes(event.target.value)
              }}
            />
            <p>
              <button type="submit">Take a record</button>{' '}
              <button type="button" onClick={() => keep({ declined: true })}>
                I don’t want a record
              </button>
            </p>
            <StatusMessage message={message} id={`${id}-minutes-error`} />
          </form>
        </>
      )}
    </section>
  )
}
