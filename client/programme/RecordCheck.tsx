import { useState, type FormEvent } from 'react'
import type { InvolvementCheck } from '../../shared/coproduction.ts'
import { formatDay } from '../../shared/days.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

/** For whoever pays involvement fees: check a record code, then mark it paid (once only). */
export function RecordCheck({ programmeKey }: { programmeKey: string }) {
  const [code, setCode] = useState('')
  const [check, setCheck] = useState<InvolvementCheck | null>(null)
  const [message, setMessage] = useState<Message | null>(null)
  const path = () => `/api/involvement/${encodeURIComponent(code.trim())}`

  const look = async (event: FormEvent) => {
    event.preventDefault()
    const result = await callApi<InvolvementCheck>(path())
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setCheck(result.value)
    setMessage(result.value.valid ? null : { text: 'This code is not a real record. Check it was copied in full.', error: true })
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
        <input id="record-code" value={code} onChange={(event) => setCode(event.target.value)} autoComplete="off" />
        <p>
          <button type="submit">Check the code</button>
        </p>
      </form>
      {check?.valid && (
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
      <StatusMessage message={message} />
    </section>
  )
}
