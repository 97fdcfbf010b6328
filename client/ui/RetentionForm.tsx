import { useId, useState } from 'react'
import { RETENTION_MAX_DAYS, RETENTION_MIN_DAYS, formatDay, type RetentionInfo } from '../../shared/retention.ts'
import { callApi } from '../api.ts'
import { lifecyclePath, type LifecycleTarget } from './lifecycleTarget.ts'
import { RetentionNotice } from './RetentionNotice.tsx'
import { StatusMessage, type Message } from './StatusMessage.tsx'

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** How long the workshop (or programme) is kept after its last use, and the day that gives. */
export function RetentionForm({ target, info, onChange, usedBy }: { target: LifecycleTarget; info: RetentionInfo | null; onChange: (info: RetentionInfo) => void; usedBy?: string }) {
  const id = useId()
  const what = target.kind
  // null: show the number in use (it arrives after the first render), not an empty box.
  const [days, setDays] = useState<string | null>(null)
  const [status, setStatus] = useState<Message | null>(null)
  const save = async () => {
    const value = Number(days ?? info?.retentionDays)
    const result = await callApi<RetentionInfo>(`${lifecyclePath(target)}/retention`, { method: 'PUT', token: target.token, body: { days: value } })
    if (!result.ok) return setStatus({ text: result.message, error: true })
    onChange(result.value)
    setDays(null)
    setStatus({ text: `Saved. The ${what} will now be deleted on ${formatDay(result.value.deleteAfter)}.`, error: false })
  }
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>How long we keep this {what}</h2>
      <RetentionNotice info={info} what={what} warnWhenNear />
      {info?.inProgramme ? (
        <p>
          This workshop is part of a programme, so we keep it as long as the programme and delete it with the programme. That is{' '}
          {plural(info.retentionDays, 'day', 'days')} after anyone last used the programme or any of its workshops. The programme lead chooses how long.
        </p>
      ) : (
        info && (
          <p>
            We keep it for {plural(info.retentionDays, 'day', 'days')} after {usedBy ?? 'anyone'} last used it. Each time it is used, the day moves later.
            {what === 'programme' && ' Its workshops are kept as long as it is, and deleted with it.'}
          </p>
        )
      )}
      {!info?.inProgramme && (
        <form
          onSubmit={(event) => {
            event.preventDefault()
            void save()
          }}
        >
          <label htmlFor={`${id}-days`}>Keep it for this many days after it was last used</label>
          <div className="button-row">
            <input
              id={`${id}-days`}
              type="number"
              inputMode="numeric"
              min={RETENTION_MIN_DAYS}
              max={RETENTION_MAX_DAYS}
              required
              value={days ?? (info ? String(info.retentionDays) : '')}
              onChange={(event) => setDays(event.target.value)}
            />
            <button type="submit">Save</button>
          </div>
        </form>
      )}
      <StatusMessage message={status} />
    </section>
  )
}
