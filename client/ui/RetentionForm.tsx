import { useId, useState } from 'react'
import { RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, formatDay, type RetentionInfo } from '../../shared/retention.ts'
import { callApi } from '../api.ts'
import { lifecyclePath, type LifecycleTarget } from './lifecycleTarget.ts'
import { RetentionNotice } from './RetentionNotice.tsx'
import { StatusMessage, type Message } from './StatusMessage.tsx'

/** How long the workshop (or programme) is kept after its last use, and the day that gives. */
export function RetentionForm({ target, info, onChange, usedBy }: { target: LifecycleTarget; info: RetentionInfo | null; onChange: (info: RetentionInfo) => void; usedBy?: string }) {
  const id = useId()
  const what = target.kind
  const [days, setDays] = useState('')
  const [status, setStatus] = useState<Message | null>(null)
  const save = async () => {
    const value = Number(days)
    const result = await callApi<RetentionInfo>(`${lifecyclePath(target)}/retention`, { method: 'PUT', token: target.token, body: { days: value } })
    if (!result.ok) return setStatus({ text: result.message, error: true })
    onChange(result.value)
    setDays('')
    setStatus({ text: `Saved. The ${what} will now be deleted on ${formatDay(result.value.deleteAfter)}.`, error: false })
  }
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>How long we keep this {what}</h2>
      <RetentionNotice info={info} what={what} warnWhenNear />
      {info && (
        <p>
          We keep it for {info.retentionDays} days after {usedBy ?? 'anyone'} last used it. Each time it is used, the day moves later.
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault()
          void save()
        }}
      >
        <label htmlFor={`${id}-days`}>Keep it for this many days after it was last used</label>
        <div className="button-row">
          <input id={`${id}-days`} type="number" inputMode="numeric" min={RETENTION_MIN_DAYS} max={RETENTION_MAX_DAYS} required value={days} onChange={(event) => setDays(event.target.value)} />
          <button type="submit">Save</button>
        </div>
      </form>
      <StatusMessage message={status} />
    </section>
  )
}
