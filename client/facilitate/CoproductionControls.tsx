import { useCallback, useEffect, useState } from 'react'
import { CHECKOUTS_WAIT, notKeptNote, type CheckoutSummary } from '../../shared/coproduction.ts'
import { callApi } from '../api.ts'
import { CopyField } from '../ui/CopyField.tsx'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

/**
 * After the workshop: a read-only share link (revocable), check-out results per group (3 or more
 * only), and involvement records as counts. The facilitator never sees who took a record.
 */
export function CoproductionControls({ workshopId, facilitatorKey, finished }: { workshopId: string; facilitatorKey: string; finished?: boolean }) {
  const [share, setShare] = useState<{ shareUrl: string } | null>(null)
  const [counts, setCounts] = useState<{ minutes: number; issued: number; redeemed: number } | null>(null)
  const [checkout, setCheckout] = useState<CheckoutSummary | null>(null)
  // Links made before (another visit, another device) still work until turned off.
  const [liveLinks, setLiveLinks] = useState(0)
  const [message, setMessage] = useState<Message | null>(null)

  const refresh = useCallback(async () => {
    const [involvement, results, links] = await Promise.all([
      callApi<{ minutes: number; issued: number; redeemed: number }>(`/api/workshops/${workshopId}/involvement`, { token: facilitatorKey }),
      callApi<CheckoutSummary>(`/api/workshops/${workshopId}/checkout`, { token: facilitatorKey }),
      callApi<{ links: number }>(`/api/workshops/${workshopId}/shares`, { token: facilitatorKey }),
    ])
    if (involvement.ok) setCounts(involvement.value)
    if (results.ok) setCheckout(results.value)
    if (links.ok) setLiveLinks(links.value.links)
  }, [workshopId, facilitatorKey])
  useEffect(() => {
    void refresh()
  }, [refresh])

  const makeShare = async () => {
    const result = await callApi<{ shareUrl: string }>(`/api/workshops/${workshopId}/share`, { body: {}, token: facilitatorKey })
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setShare(result.value)
    setLiveLinks((n) => n + 1)
    setMessage({ text: 'Share link made.', error: false })
  }
  const stopAllShares = async () => {
    const result = await callApi<{ revoked: number }>(`/api/workshops/${workshopId}/shares`, { method: 'DELETE', token: facilitatorKey })
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setShare(null)
    setLiveLinks(0)
    setMessage({ text: result.value.revoked === 1 ? 'The share link no longer works.' : `The ${result.value.revoked} share links no longer work.`, error: false })
  }
  const stopShare = async () => {
    if (!share) return
    const shareId = share.shareUrl.split('/shared/')[1] ?? ''
    const result = await callApi(`/api/workshops/${workshopId}/share/${shareId}`, { method: 'DELETE', token: facilitatorKey })
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setShare(null)
    setLiveLinks((n) => Math.max(0, n - 1))
    setMessage({ text: 'The share link no longer works.', error: false })
  }
  const setMinutes = async (minutes: number) => {
    const result = await callApi(`/api/workshops/${workshopId}/involvement/settings`, { method: 'PUT', body: { minutes }, token: facilitatorKey })
    setMessage(result.ok ? { text: `Records can now be for up to ${minutes} minutes.`, error: false } : { text: result.message, error: true })
    await refresh()
  }

  return (
    <section className="card" aria-labelledby="after-h">
      <h2 id="after-h">After the workshop</h2>
      <h3>Share what was agreed</h3>
      <p>Anyone with the link can read what was agreed and what is being done about it. It names nobody.</p>
      {share ? (
        <>
          <CopyField label="Share link" value={share.shareUrl} />
          <button type="button" onClick={stopShare}>
            Turn off this link
          </button>
        </>
      ) : (
        <button type="button" onClick={makeShare}>
          Make a share link
        </button>
      )}
      {liveLinks > (share ? 1 : 0) && (
        <p>
          {liveLinks === 1 ? 'A share link made earlier still works.' : `${liveLinks} share links work now.`}{' '}
          <button type="button" onClick={stopAllShares}>
            Turn off every share link
          </button>
        </p>
      )}
      <h3>Check-outs</h3>
      {checkout && checkout.notKept > 0 && <p className="hint">{notKeptNote(checkout.notKept)}</p>}
      {checkout?.waits ? (
        <p className="hint">{CHECKOUTS_WAIT}</p>
      ) : !checkout || checkout.groups.length === 0 ? (
        <p className="empty">No check-outs yet.</p>
      ) : (
        <ul>
          {checkout.groups.map((g) => (
            <li key={g.group}>
              {g.label}: {g.shown ? `${g.count} answers, ladder ${g.answers.rung.mean} of 7` : 'fewer than 3'}
            </li>
          ))}
        </ul>
      )}
      <h3>Records of taking part</h3>
      {finished === false && (
        <p className="hint" data-testid="records-not-yet">
          People take their record, and answer the check-out, on the “What we agreed” page once every part is at “Done”. If time runs out, move the last
          parts on to “Done”.
        </p>
      )}
      {counts && (
        <>
          <p>
            {counts.issued} taken, {counts.redeemed} paid. Records can be for up to {counts.minutes} minutes.
          </p>
          <label htmlFor="session-minutes">How long was the workshop, in minutes?</label>
          <input
            id="session-minutes"
            inputMode="numeric"
            defaultValue={counts.minutes}
            onBlur={(event) => {
              const minutes = Number(event.target.value)
              if (Number.isInteger(minutes) && minutes > 0 && minutes !== counts.minutes) void setMinutes(minutes)
            }}
          />
        </>
      )}
      <StatusMessage message={message} />
    </section>
  )
}
