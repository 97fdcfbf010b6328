import { useEffect, useState } from 'react'
import { STATUS_LABEL } from '../../shared/coproduction.ts'
import { formatDay } from '../../shared/days.ts'
import type { EarlierCommitment, EarlierCommitments } from '../../shared/earlierCommitments.ts'
import { callApi } from '../api.ts'
import './earlierCommitments.css'

export const EARLIER_HEADING = 'What we said we would do, and what happened'

/** What earlier workshops of the programme promised (null until read, or if it could not be). */
export function useEarlierCommitments(workshopId: string, token: string | null): EarlierCommitments | null {
  const [answer, setAnswer] = useState<EarlierCommitments | null>(null)
  useEffect(() => {
    if (!token) return setAnswer(null)
    let current = true
    void callApi<EarlierCommitments>(`/api/workshops/${workshopId}/earlier-commitments`, { token }).then((result) => {
      if (current) setAnswer(result.ok ? result.value : null)
    })
    return () => {
      current = false
    }
  }, [workshopId, token])
  return answer
}

/** Each promise, the role that holds it, and where it is now, in words (never colour alone). */
export function EarlierCommitmentList({ commitments }: { commitments: readonly EarlierCommitment[] }) {
  return (
    <ul className="earlier-commitments-list">
      {commitments.map((c, index) => (
        <li key={index}>
          <span className="earlier-promise">{c.text}</span> ({c.ownerRole}, from {c.workshopTitle}
          {c.due && `, by ${formatDay(c.due)}`}).{' '}
          <span className="earlier-status">
            Now: <strong>{STATUS_LABEL[c.status]}</strong>
            {c.latest && (
              <>
                {' '}
                since {formatDay(c.latest.day)}
                {c.latest.note && <>: {c.latest.note}</>}
              </>
            )}
            .
          </span>
        </li>
      ))}
    </ul>
  )
}

/**
 * "You said, we did" at the start of the next workshop, in the first section: open while people
 * add ideas, folded afterwards. Nothing at all when no earlier workshop promised anything.
 */
export function EarlierCommitmentsPanel({ workshopId, token, open }: { workshopId: string; token: string | null; open: boolean }) {
  const earlier = useEarlierCommitments(workshopId, token)
  if (!earlier || earlier.commitments.length === 0) return null
  return (
    <details className="earlier-commitments" open={open} data-testid="earlier-commitments">
      <summary>{EARLIER_HEADING}</summary>
      <p className="hint">From earlier workshops in this programme. Nobody is named.</p>
      <EarlierCommitmentList commitments={earlier.commitments} />
    </details>
  )
}
