import { useId, useState, type FormEvent } from 'react'
import { MAX_BUDGET, subjectOf } from '../../shared/ballots.ts'
import type { Section } from '../../shared/sections.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import { TooFewPeople } from './TooFewPeople.tsx'
import { chooseVoteSubject, useVoteSubject } from './voteSubject.ts'

/** Vote settings (before the vote opens) and closing the vote (facilitator). */
export function VoteControls({
  workshopId,
  facilitatorKey,
  section,
  participantCount,
  themeCount,
}: {
  workshopId: string
  facilitatorKey: string
  section: Section
  participantCount: number
  /** Themes with a shown idea in this section: a theme vote needs at least one. */
  themeCount: number
}) {
  const id = useId()
  const { settings, status, votedCount } = section.vote
  const [budget, setBudget] = useState(settings.budget)
  const [maxPerIdea, setMaxPerIdea] = useState(settings.maxPerIdea)
  const [liveTallies, setLiveTallies] = useState(settings.liveTallies)
  const [message, setMessage] = useState<Message | null>(null)
  const [tooFew, setTooFew] = useState<string | null>(null)
  const base = `/api/workshops/${workshopId}/sections/${section.sectionId}`
  const chosen = useVoteSubject(workshopId, section.sectionId)
  // Without themes there is nothing to choose: the vote is on single ideas.
  const subject = themeCount > 0 ? chosen : 'ideas'

  const saveSettings = async (event: FormEvent) => {
    event.preventDefault()
    const result = await callApi(`${base}/vote-settings`, { method: 'PUT', body: { budget, maxPerIdea, liveTallies }, token: facilitatorKey })
    setMessage(result.ok ? { text: 'Vote settings saved. They apply to everyone equally.', error: false } : { text: result.message, error: true })
  }
  const close = async (publishAnyway = false) => {
    const result = await callApi(`${base}/close-vote`, { body: publishAnyway ? { publishAnyway } : {}, token: facilitatorKey })
    if (!result.ok && result.code === 'too_few_people') {
      setMessage(null)
      setTooFew(result.message)
      return
    }
    setTooFew(null)
    setMessage(result.ok ? { text: 'The vote is closed and the results are shown.', error: false } : { text: result.message, error: true })
  }

  return (
    <div className="vote-controls">
      {status === 'open' ? (
        <>
          <p>
            <strong>
              {votedCount} of {participantCount} have voted.
            </strong>{' '}
            Everyone has {settings.budget} dots, at most {settings.maxPerIdea} per {subjectOf(section.vote) === 'themes' ? 'theme' : 'idea'}.
            {subjectOf(section.vote) === 'themes' && ' People are voting on themes; an idea in no theme counts on its own.'}
          </p>
          {tooFew ? (
            <TooFewPeople
              headline="Keep the vote open?"
              detail={tooFew}
              keepLabel="Keep the vote open"
              publishLabel="Close and show results anyway"
              onKeep={() => {
                setTooFew(null)
                setMessage({ text: 'The vote stays open.', error: false })
              }}
              onPublish={() => void close(true)}
            />
          ) : (
            <button type="button" className="primary" onClick={() => void close()}>
              Close the vote and show results
            </button>
          )}
        </>
      ) : (
        <>
          <fieldset className="vote-subject">
            <legend>What people vote on</legend>
            <label className="choice">
              <input type="radio" name={`${id}-subject`} checked={subject === 'ideas'} onChange={() => chooseVoteSubject(workshopId, section.sectionId, 'ideas')} />
              Single ideas
            </label>
            <label className="choice">
              <input
                type="radio"
                name={`${id}-subject`}
                checked={subject === 'themes'}
                disabled={themeCount === 0}
                onChange={() => chooseVoteSubject(workshopId, section.sectionId, 'themes')}
              />
              Themes ({themeCount === 0 ? 'none yet: put ideas together first' : `${themeCount} ${themeCount === 1 ? 'theme' : 'themes'}; an idea in no theme counts on its own`})
            </label>
            <p className="hint">The vote opens with this when you move on to “Voting”.</p>
          </fieldset>
          <form onSubmit={saveSettings}>
            <p className="hint">These apply to everyone, you included, and are fixed once the vote opens.</p>
            <label htmlFor={`${id}-budget`}>Dots for each person</label>
            <input id={`${id}-budget`} type="number" min={1} max={MAX_BUDGET} value={budget} onChange={(event) => setBudget(Number(event.target.value))} />
            <label htmlFor={`${id}-cap`}>Most dots on one idea</label>
            <input id={`${id}-cap`} type="number" min={1} max={budget} value={maxPerIdea} onChange={(event) => setMaxPerIdea(Number(event.target.value))} />
            <label className="choice">
              <input type="checkbox" checked={liveTallies} onChange={(event) => setLiveTallies(event.target.checked)} />
              Show totals while the vote is open (people may then guess how others voted)
            </label>
            <button type="submit">Save vote settings</button>
          </form>
        </>
      )}
      <StatusMessage message={message} />
    </div>
  )
}
