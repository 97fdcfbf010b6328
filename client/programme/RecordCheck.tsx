import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { InvolvementCheck } from '../../shared/coproduction.ts'
import { formatDay } from '../../shared/days.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

/** What a check says beyond "Real record": a made-up code, or a real one whose workshop is gone. */
function messageFor(check: InvolvementCheck): Message | null {
  if (!check.valid) return { text: 'This code is not a real record. Check it was copied in full.', error: true }
  if (!('workshopDeleted' in check)) return null
  return {
    text: `This record is real: taking part on ${formatDay(check.date)}, for ${check.minutes} minutes. But its workshop has been deleted, so it can no longer be marked as paid. We cannot tell whether it was paid before then.`,
    error: false,
    info: true,
  }
}

/** For whoever pays involvement fees: check a record code, then mark it paid (once only). */
export function RecordCheck({ programmeKey }: { programmeKey: string }) {
  const [code, setCode] = useState('')
  const [check, setCheck] = useState<InvolvementCheck | null>(null)
  const [message, setMessage] = useState<Message | null>(null)
  const path = () => `/api/involvement/${encodeURIComponent(code.trim())}`
  // A code that is not a record (or could not be checked) is told at the field, and the focus goes back there.
  const field = useRef<HTMLInputElement>(null)
  const codeWrong = message?.error === true && !check?.valid
  useEffect(() => {
    if (codeWrong) field.current?.focus()
  }, [message, codeWrong])

  const look = async (event: FormEvent) => {
    event.preventDefault()
    const result = await callApi<InvolvementCheck>(path())
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setCheck(result.value)
    setMessage(messageFor(result.value))
  }
  const redeem = async () => {
    const result = await callApi<InvolvementCheck>(`${path()}/redeem`, { body: {}, token: programmeKey })
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setCheck(result.value)
    setMessage({ text: 'Marked as paid. It cannot be claimed again.', error: false })
  }
  return (
    <section className="card" aria-labelledby="records-h">
      <h2 id="records-h">Check a record of taking part</h2>
      <form onSubmit={look}>
        <label htmlFor="record-code">Record code</label>
        <input
          id="record-code"
          ref={field}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          autoComplete="off"
          aria-invalid={codeWrong || undefined}
          aria-describedby={codeWrong ? 'record-code-message' : undefined}
        />
        <p>
          <button type="submit">Check the code</button>
        </p>
      </form>
      {check?.valid && !('workshopDeleted' in check) && (
        <div>
          <p>
            Real record: {check.workshopTitle}, {formatDay(check.date)}, {check.minutes} minutes. {check.redeemed ? 'Already paid.' : 'Not paid yet.'}
          </p>
          {!check.redeemed && (
            <button type="button" onClick={redeem}>
              Mark as paid
            </button>
          )}
        </div>
      )}
      <StatusMessage message={message} id="record-code-message" />
    </section>
  )
}
