import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { agreementRule, CONSENT_LABEL, CONSENT_REASON_MAX_CHARS, type ConsentResponse, type PublicProposal } from '../../shared/consent.ts'
import { callApi } from '../api.ts'
import { FieldError, StatusMessage, type Message, useFieldError } from '../ui/StatusMessage.tsx'

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

/** What someone chose or typed in a consent form and has not saved (lost if the round closes now). */
export interface UnsavedAnswer {
  response: ConsentResponse | null
  reason: string
  /** An earlier answer was saved: that one counts, only the changes since are lost. */
  savedBefore: boolean
}

/**
 * Answer the open draft anonymously; the answer can change until the round closes. Keyed by
 * proposal: a new draft starts a new form. `onUnsaved` hears what is chosen or typed and not yet
 * saved (null once saved), so the section can show it if the facilitator closes the round first.
 */
export function ConsentForm({
  workshopId,
  token,
  proposal,
  participantCount,
  onUnsaved,
}: {
  workshopId: string
  token: string
  proposal: PublicProposal
  participantCount: number
  onUnsaved?: (proposalId: string, unsaved: UnsavedAnswer | null) => void
}) {
  const id = useId()
  const [response, setResponse] = useState<ConsentResponse | null>(null)
  const [reason, setReason] = useState('')
  const [message, setMessage] = useState<Message | null>(null)
  const [error, setError, errorTimes] = useFieldError()
  const firstChoice = useRef<HTMLInputElement>(null)
  // Once the person has chosen or typed, their saved answer arriving late must not overwrite it.
  const touched = useRef(false)
  // What the server holds for this person: a change from it is not sent until "Save my answer".
  const saved = useRef<{ response: ConsentResponse | null; reason: string }>({ response: null, reason: '' })
  const path = `/api/workshops/${workshopId}/proposals/${proposal.proposalId}/response`

  useEffect(() => {
    let cancelled = false
    void callApi<{ response: ConsentResponse | null; reason: string | null }>(path, { token }).then((result) => {
      if (cancelled || !result.ok) return
      saved.current = { response: result.value.response, reason: result.value.reason ?? '' }
      if (touched.current) return
      setResponse(result.value.response)
      setReason(result.value.reason ?? '')
    })
    return () => {
      cancelled = true
    }
  }, [path, token])

  useEffect(() => {
    if (!onUnsaved) return
    const same = response === saved.current.response && reason.trim() === saved.current.reason.trim()
    onUnsaved(proposal.proposalId, !touched.current || same || (!response && !reason.trim()) ? null : { response, reason, savedBefore: saved.current.response !== null })
  }, [response, reason, onUnsaved, proposal.proposalId])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!response) {
      setMessage(null)
      setError('Choose one of the three answers first.')
      firstChoice.current?.focus()
      return
    }
    setError(null)
    const result = await callApi(path, { method: 'PUT', body: { response, ...(reason.trim() ? { reason } : {}) }, token })
    if (result.ok) {
      saved.current = { response, reason: reason.trim() }
      onUnsaved?.(proposal.proposalId, null)
    }
    setMessage(result.ok ? { text: 'Your answer is saved. You can change it until the round closes.', error: false } : { text: result.message, error: true })
  }

  return (
    <form className="consent-form" onSubmit={submit} noValidate>
      <h3>Draft, round {proposal.roundNumber}</h3>
      <DraftText proposal={proposal} />
      {proposal.revisionNote && <p className="idea-meta">What changed: {proposal.revisionNote}</p>}
      <p className="consent-rule" data-testid="consent-rule">
        The rule for this draft: it is agreed {agreementRule(proposal.threshold)}.
      </p>
      <p className="hint">
        {proposal.respondedCount} of {participantCount} have answered. Nobody can see who answered what.
      </p>
      <fieldset aria-describedby={error ? `${id}-error` : undefined}>
        <legend>What do you think of this draft?</legend>
        {RESPONSES.map((value, index) => (
          <label className="choice" key={value}>
            <input
              type="radio"
              name={`${id}-response`}
              value={value}
              ref={index === 0 ? firstChoice : undefined}
              checked={response === value}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={() => {
                touched.current = true
                setResponse(value)
                setError(null)
              }}
            />
            {CONSENT_LABEL[value]}
          </label>
        ))}
        <FieldError text={error} id={`${id}-error`} times={errorTimes} />
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

/** The round closed before someone saved: say so, and show their words so they can keep them. */
export function UnsentAnswer({ unsaved, onClose }: { unsaved: UnsavedAnswer; onClose: () => void }) {
  return (
    <div className="notice" data-testid="unsent-answer">
      <p>
        <strong>This round has closed.</strong>{' '}
        {unsaved.savedBefore
          ? 'Your last changes were not saved in time, so they were not sent. Your earlier answer still counts.'
          : 'Your answer was not saved in time, so it was not sent.'}
      </p>
      {unsaved.response && <p>You had chosen: {CONSENT_LABEL[unsaved.response]}.</p>}
      {unsaved.reason.trim() && (
        <>
          <p>What you typed, so you can copy it or say it in the room:</p>
          <blockquote className="board-words">{unsaved.reason}</blockquote>
        </>
      )}
      <button type="button" onClick={onClose}>
        OK
      </button>
    </div>
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
                Round {proposal.roundNumber}: {proposal.outcome === 'agreed' ? '✓ Agreed' : '✗ Not agreed'}
              </strong>{' '}
              (the rule: agreed {agreementRule(proposal.threshold)})
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
