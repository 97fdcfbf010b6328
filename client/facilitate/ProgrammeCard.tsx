import { hasProgrammeKey } from '../programme/programmeKey.ts'
import { EARLIER_HEADING, EarlierCommitmentList, useEarlierCommitments } from '../participate/EarlierCommitments.tsx'

/**
 * For a workshop in a programme: the way back to the programme page, and what the earlier
 * workshops promised, to open the session with ("you said, we did"). Nothing outside a programme.
 */
export function ProgrammeCard({ workshopId, facilitatorKey }: { workshopId: string; facilitatorKey: string }) {
  const earlier = useEarlierCommitments(workshopId, facilitatorKey)
  const programme = earlier?.programme
  if (!earlier || !programme) return null
  return (
    <section className="card" aria-labelledby="programme-h" data-testid="programme-card">
      <h2 id="programme-h">Part of a programme</h2>
      <p>
        <a href={`/p/${programme.programmeId}`}>Back to the programme “{programme.title}”</a>
      </p>
      {!hasProgrammeKey(programme.programmeId) && <p className="hint">The programme page opens on a device that has had the programme link.</p>}
      {earlier.commitments.length > 0 && (
        <>
          <h3>{EARLIER_HEADING}</h3>
          <p className="hint">From earlier workshops in this programme. Read them out at the start, before people add ideas.</p>
          <EarlierCommitmentList commitments={earlier.commitments} />
        </>
      )}
    </section>
  )
}
