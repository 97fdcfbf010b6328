import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { CONSENT_LABEL, CONSENT_REASON_MAX_CHARS, type ConsentResponse, type PublicProposal } from '../../shared/consent.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

const RESPONSES: ConsentResponse[] = ['agree', 'can-live-with', 'object']

export function DraftText({ proposal }: { proposal: PublicProposal }) {
  if (proposal.text) return <blockquote className="draft">{proposal.text}</blockquote>
  return (
    <ol className="draft draft-list">
      {proposal.items?.map((item, index) => (
        <li key={index}>{item}</li>
      ))}
    </ol>
  )
}

/** Answer the open draft anonymously; the answer can change until the round closes. Keyed by proposal: a new draft starts a new form. */
export function ConsentForm({ workshopId, token, proposal, participantCount }: { workshopId: string; token: string; proposal: PublicProposal; participantCount: number }) {
  const id = useId()
  const [response, setResponse] = useState<ConsentResponse | null>(null)
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<Message | null>(null)
  // Once the person has chosen or typed, their saved answer arriving late must not overwrite it.
  const touched = useRef(false)
  const path = `/api/workshops/${workshopId}/proposals/${proposal.proposalId}/response`

  useEffect(() => {
    let cancelled = false
    void callApi<{ response: ConsentResponse | null; reason: string | null }>(path, { token }).then((result) => {
      if (cancelled || touched.current || !result.ok) return
      setResponse(result.value.response)
      setReason(result.value.reason ?? '')
    })
    return () => {
      cancelled = true
    }
  }, [path, token])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!response) return setMessage({ text: 'Choose one of the three answers first.', error: true })
    const result = await callApi(path, { method: 'PUT', body: { response, ...(reason.trim() ? { reason } : {}) }, token })
    setMessage(result.ok ? { text: 'Your answer is saved. You can change it until the round closes.', error: false } : { text: result.message, error: true })
  }

  return (
    <form className="consent-form" onSubmit={submit}>
      <h3>Draft, round {proposal.roundNumber}</h3>
      <DraftText proposal={proposal} />
      {proposal.revisionNote && <p className="idea-meta">What changed: {proposal.revisionNote}</p>}
      <p className="hint">
        {proposal.respondedCount} of {participantCount} have answered. Nobody can see who answered what.
      </p>
      <fieldset>
        <legend>What do you think of this draft?</legend>
        {RESPONSES.map((value) => (
          <label className="choice" key={value}>
            <input
              type="radio"
              name={`${id}-response`}
              value={value}
              checked={response === value}
              onChange={() => {
                touched.current = true
                setResponse(value)
              }}
            />
            {CONSENT_LABEL[value]}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-reason`}>Why? (optional, shared without your name)</label>
      <textarea
        id={`${id}-reason`}
        rows={2}
        maxLength={CONSENT_REASON_MAX_CHARS}
        value={reason}
        onChange={(event) => {
          touched.current = true
          setReason(event.target.value)
        }}
      />
      <StatusMessage message={message} />
      <button type="submit" className="primary">
        Save my answer
      </button>
    </form>
  )
}

/** Every round so far: the draft, the answers in total, the reasons, the outcome. */
export function ConsentHistory({ proposals }: { proposals: PublicProposal[] }) {
  const closed = proposals.filter((proposal) => proposal.status === 'closed')
  if (closed.length === 0) return null
  return (
    <div className="consent-history">
      <h3>Rounds so far</h3>
      <ol>
        {closed.map((proposal) => (
          <li key={proposal.proposalId}>
            <p>
              <strong>
                Round {proposal.roundNumber}: {proposal.outcome === 'agreed' ? '✓ Agreed' : '✗ Not agreed yet'}
              </strong>
            </p>
            <DraftText proposal={proposal} />
            {proposal.counts && (
              <p>
                {proposal.counts.agree} agree, {proposal.counts.canLiveWith} can live with it, {proposal.counts.object} object.
              </p>
            )}
            {proposal.perspectives && 'supportedAcross' in proposal.perspectives && (
              <p>
                Supported across {proposal.perspectives.supportedAcross} of {proposal.perspectives.of} perspectives.
              </p>
            )}
            {proposal.perspectives && 'withheld' in proposal.perspectives && <p className="idea-meta">{proposal.perspectives.withheld}</p>}
            {proposal.reasons.length > 0 && (
              <ul className="reasons">
                {proposal.reasons.map((reason, index) => (
                  <li key={index}>
                    {CONSENT_LABEL[reason.response]}: “{reason.text}”
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </div>
  )
}
