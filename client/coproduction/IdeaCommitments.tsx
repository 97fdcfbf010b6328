import { STATUS_LABEL } from '../../shared/coproduction.ts'
import type { PublicCommitment } from '../../shared/coproduction.ts'
import { formatDay } from '../../shared/days.ts'

/** "You said, we did" under one of my ideas: what was promised, by which role, and where it is now. */
export function IdeaCommitments({ commitments }: { commitments: readonly PublicCommitment[] }) {
  if (commitments.length === 0) return null
  return (
    <ul className="idea-commitments">
      {commitments.map((c) => {
        const latest = c.updates.at(-1)
        return (
          <li key={c.commitmentId}>
            What was promised: {c.text} ({c.ownerRole}). Now: <strong>{STATUS_LABEL[c.status]}</strong>
            {latest && (
              <>
                {' '}
                since {formatDay(latest.day)}
                {latest.note && <>: {latest.note}</>}
              </>
            )}
            .
          </li>
        )
      })}
    </ul>
  )
}
