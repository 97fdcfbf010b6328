import { useEffect, useState } from 'react'
import { CONSENT_LABEL } from '../../shared/consent.ts'
import { commitmentsCarrying } from '../../shared/coproduction.ts'
import { notAgreedLine, type ExportModel, type ExportSection } from '../../shared/exportModel.ts'
import { callApi } from '../api.ts'
import { useMyIdeas } from '../participate/myIdeas.ts'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { CheckoutForm } from '../coproduction/CheckoutForm.tsx'
import { IdeaCommitments } from '../coproduction/IdeaCommitments.tsx'
import { InvolvementPanel } from '../coproduction/InvolvementPanel.tsx'
import { ReceiptPanel } from '../coproduction/ReceiptPanel.tsx'
import { useCommitments } from '../coproduction/useCommitments.ts'
import { Loading } from '../ui/Loading.tsx'
import { useWelcome } from '../ui/useWelcome.ts'
import { NoWorkshopHere } from '../participate/JoinPage.tsx'

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; model: ExportModel }

/** "What we agreed": the outcome in plain words, read-only and printable, for everyone. */
export function AgreedPage({ workshopId }: { workshopId: string }) {
  usePageTitle('What we agreed')
  const participantToken = session.participantToken(workshopId)
  const token = participantToken ?? session.facilitatorKey(workshopId)
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const mine = useMyIdeas(workshopId, participantToken, null)
  const commitments = useCommitments(workshopId, participantToken)

  useEffect(() => {
    if (!token) return setLoad({ status: 'error', message: 'Join the workshop on this device to see what was agreed.' })
    void callApi<ExportModel>(`/api/workshops/${workshopId}/outcome`, { token }).then((result) =>
      setLoad(result.ok ? { status: 'ready', model: result.value } : { status: 'error', message: result.message }),
    )
  }, [workshopId, token])

  // Not joined here: is there a workshop at all? If not, no "Join the workshop" leading nowhere.
  const welcome = useWelcome(token ? null : workshopId)
  if (welcome.status === 'error' && welcome.missing) return <NoWorkshopHere />
  if (load.status === 'loading') return <Loading label="Getting what was agreed…" />
  if (load.status === 'error')
    return (
      <main className="page narrow" id="main">
        <h1>What we agreed</h1>
        <ErrorPanel title={load.message}>
          {!token && (
            <p>
              <a href={`/w/${workshopId}/join`}>Join the workshop</a> with the link or code from the facilitator.
            </p>
          )}
        </ErrorPanel>
      </main>
    )
  const { model } = load
  return (
    <main className="page narrow agreed" id="main">
      <h1>What we agreed</h1>
      <p className="lead">
        {model.workshop.title}. {model.workshop.participantCount} people took part. Every idea and vote was anonymous.
      </p>
      <p className="no-print">
        <button type="button" onClick={() => window.print()}>
          Print this page
        </button>{' '}
        <a href={`/w/${workshopId}`}>Back to the workshop</a>
      </p>
      {model.sections.map((section) => (
        <AgreedSection key={section.sectionId} section={section} />
      ))}
      {participantToken && model.sections.length > 0 && model.sections.every((section) => section.phase === 'done') && (
        <>
          <CheckoutForm workshopId={workshopId} token={participantToken} />
          <InvolvementPanel workshopId={workshopId} token={participantToken} />
          <ReceiptPanel workshopId={workshopId} token={participantToken} />
        </>
      )}
      {participantToken && model.sections.some((section) => section.phase !== 'done') && (
        <section className="card" aria-labelledby="later-h" data-testid="records-later">
          <h2 id="later-h">Your record of taking part</h2>
          <p>Your record of taking part, and a few questions about how today went, appear here once the facilitator finishes the last part.</p>
        </section>
      )}
      {mine.ideas.length > 0 && (
        <section className="card" aria-labelledby="mine-h">
          <h2 id="mine-h">What happened to your ideas</h2>
          <p className="hint">Only you can see this list: this device remembers which ideas are yours.</p>
          <ul>
            {mine.ideas.map((idea) => (
              <li key={idea.ideaId}>
                “{idea.text || 'withdrawn idea'}” — {fateOf(idea, model)}
                <IdeaCommitments commitments={commitmentsCarrying(idea, commitments ?? [])} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  )
}

function fateOf(idea: { ideaId: string; sectionId: string; text: string; status: string }, model: ExportModel): string {
  if (idea.status === 'withdrawn') return 'you withdrew it.'
  if (idea.status === 'pending') return 'it was not shown yet.'
  if (idea.status === 'hidden') return 'the facilitator hid it, with a reason everyone could see.'
  const section = model.sections.find((s) => s.sectionId === idea.sectionId)
  const exported = section?.ideas.find((e) => e.text === idea.text)
  if (idea.status === 'merged' || exported?.mergedInto) return exported?.mergedInto ? `it was combined with “${exported.mergedInto}”.` : 'it was combined with a similar idea.'
  const inAgreement = section?.agreement.items?.includes(idea.text) || section?.agreement.text?.includes(idea.text)
  const dots = exported?.dots
  return `${dots === null || dots === undefined ? 'it was shown to everyone' : `it got ${dots} ${dots === 1 ? 'dot' : 'dots'}`}${inAgreement ? ', and it is part of what was agreed.' : '.'}`
}

function AgreedSection({ section }: { section: ExportSection }) {
  const { agreement } = section
  return (
    <section className="card" aria-labelledby={`agreed-${section.sectionId}`}>
      <h2 id={`agreed-${section.sectionId}`}>{section.title}</h2>
      {agreement.status === 'agreed' ? (
        agreement.text ? (
          <blockquote className="draft">{agreement.text}</blockquote>
        ) : (
          <ol className="draft draft-list">
            {agreement.items?.map((item, index) => (
              <li key={index}>{item}</li>
            ))}
          </ol>
        )
      ) : (
        <p className="empty">{notAgreedLine(section)}</p>
      )}
      {section.rounds.length > 0 && (
        <details>
          <summary>How we agreed it ({section.rounds.length} {section.rounds.length === 1 ? 'round' : 'rounds'})</summary>
          <ol>
            {section.rounds.map((round) => (
              <li key={round.roundNumber}>
                Round {round.roundNumber}: {round.counts.agree} agreed, {round.counts.canLiveWith} could live with it, {round.counts.object} objected.
                {round.revisionNote && <> What changed: {round.revisionNote}</>}
                {round.reasons.length > 0 && (
                  <ul>
                    {round.reasons.map((reason, index) => (
                      <li key={index}>
                        {CONSENT_LABEL[reason.response]}: “{reason.text}”
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
      {section.ideas.length > 0 && (
        <details>
          <summary>Every idea ({section.ideas.length})</summary>
          <ul>
            {section.ideas.map((idea, index) => (
              <li key={index}>
                {idea.text}
                {idea.dots !== null && ` — ${idea.dots} ${idea.dots === 1 ? 'dot' : 'dots'}`}
                {idea.mergedInto && ` (combined with “${idea.mergedInto}”)`}
              </li>
            ))}
          </ul>
        </details>
      )}
      {section.hidden.count > 0 && (
        <p className="idea-meta">
          {section.hidden.count} {section.hidden.count === 1 ? 'idea was' : 'ideas were'} hidden by the facilitator: {section.hidden.reasons.join(', ')}.
        </p>
      )}
    </section>
  )
}
