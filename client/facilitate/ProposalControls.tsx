import { useId, useState, type FormEvent } from 'react'
import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicProposal } from '../../shared/consent.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import { SectionKind, type Section } from '../../shared/sections.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import { TooFewPeople } from './TooFewPeople.tsx'

/** Drafting a proposal (from the top results or a suggestion), and closing a round. */
export function ProposalControls({
  workshopId,
  facilitatorKey,
  section,
  proposals,
  results,
  ideas,
  participantCount,
}: {
  workshopId: string
  facilitatorKey: string
  section: Section
  proposals: PublicProposal[]
  results: PublicResults | undefined
  ideas: PublicIdea[]
  participantCount: number
}) {
  const id = useId()
  const open = proposals.find((proposal) => proposal.status === 'open')
  const last = proposals.at(-1)
  const text = new Map(ideas.map((idea) => [idea.ideaId, idea.text]))
  const topIdeas = (results?.ranked ?? []).slice(0, 5).map((row) => text.get(row.ideaId) ?? '').filter(Boolean)
  const isStatement = section.kind === SectionKind.vision
  const [draft, setDraft] = useState(() => (last ? (last.text ?? last.items?.join('\n') ?? '') : isStatement ? '' : topIdeas.join('\n')))
  const [note, setNote] = useState('')
  const [threshold, setThreshold] = useState('')
  const [suggestion, setSuggestion] = useState('')
  const [message, setMessage] = useState<Message | null>(null)
  const [tooFew, setTooFew] = useState<string | null>(null)
  const suggestions = ideas.filter((idea) => idea.kind === 'suggestion' && idea.status === 'published')

  const propose = async (event: FormEvent) => {
    event.preventDefault()
    const items = draft
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    const body = {
      ...(isStatement ? { text: draft } : { items }),
      ...(note.trim() ? { revisionNote: note } : {}),
      ...(threshold ? { threshold: Number(threshold) } : {}),
      ...(suggestion ? { adoptedSuggestionId: suggestion } : {}),
    }
    const result = await callApi(`/api/workshops/${workshopId}/sections/${section.sectionId}/proposals`, { body, token: facilitatorKey })
    setMessage(result.ok ? { text: 'The draft is open for answers.', error: false } : { text: result.message, error: true })
  }
  const close = async (publishAnyway = false) => {
    const result = await callApi(`/api/workshops/${workshopId}/proposals/${open!.proposalId}/close`, { body: publishAnyway ? { publishAnyway } : {}, token: facilitatorKey })
    if (!result.ok && result.code === 'too_few_people') {
      setMessage(null)
      setTooFew(result.message)
      return
    }
    setTooFew(null)
    setMessage(result.ok ? { text: 'Round closed. The answers are shown to everyone.', error: false } : { text: result.message, error: true })
  }

  return (
    <div className="proposal-controls">
      {open ? (
        <>
          <p>
            <strong>
              Round {open.roundNumber}: {open.respondedCount} of {participantCount} have answered.
            </strong>
          </p>
          {tooFew ? (
            <TooFewPeople
              headline="Too few people have answered to keep answers secret."
              detail={tooFew}
              publishLabel="Close and show answers anyway"
              onKeep={() => {
                setTooFew(null)
                setMessage({ text: 'The round stays open.', error: false })
              }}
              onPublish={() => void close(true)}
            />
          ) : (
            <button type="button" className="primary" onClick={() => void close()}>
              Close this round
            </button>
          )}
        </>
      ) : (
        <form onSubmit={propose}>
          <label htmlFor={`${id}-draft`}>{isStatement ? 'Draft statement' : 'Draft list (one item per line, in order)'}</label>
          <textarea id={`${id}-draft`} rows={isStatement ? 3 : 6} value={draft} onChange={(event) => setDraft(event.target.value)} />
          {last && (
            <>
              <label htmlFor={`${id}-note`}>What changed since the last round? (answers the objections)</label>
              <textarea id={`${id}-note`} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
            </>
          )}
          {suggestions.length > 0 && (
            <>
              <label htmlFor={`${id}-suggestion`}>Based on a suggestion (optional)</label>
              <select id={`${id}-suggestion`} value={suggestion} onChange={(event) => setSuggestion(event.target.value)}>
                <option value="">None</option>
                {suggestions.map((idea) => (
                  <option key={idea.ideaId} value={idea.ideaId}>
                    {idea.text.slice(0, 80)}
                  </option>
                ))}
              </select>
            </>
          )}
          <label htmlFor={`${id}-threshold`}>When is it agreed?</label>
          <select id={`${id}-threshold`} value={threshold} onChange={(event) => setThreshold(event.target.value)}>
            <option value="">When nobody objects</option>
            <option value="0.9">When 9 in 10 agree or can live with it</option>
            <option value="0.75">When 3 in 4 agree or can live with it</option>
          </select>
          <button type="submit" className="primary">
            Ask everyone
          </button>
        </form>
      )}
      <StatusMessage message={message} />
    </div>
  )
}
