import { useId, useRef, useState, type ReactNode } from 'react'
import type { PublicIdea } from '../../shared/ideas.ts'
import { PHASE_LABEL, PHASE_ORDER, phaseAllows, type Phase } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import { callApi } from '../api.ts'
import { ideaWords, useOpenedNotes } from '../participate/openedNotes.ts'
import { Button } from '../ui/Button.tsx'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import { useOnePress } from '../ui/useOnePress.ts'
import { pendingWords } from '../../shared/ideas.ts'
import { IdeasWaiting } from './IdeasWaiting.tsx'
import { TooFewPeople } from './TooFewPeople.tsx'
import { phaseBody } from './voteSubject.ts'

/** The facilitator's tools for one section: steps, showing ideas, hiding and combining. */
export function FacilitatorControls({
  workshopId,
  facilitatorKey,
  section,
  ideas,
  agreed = false,
  children,
}: {
  workshopId: string
  facilitatorKey: string
  section: Section
  ideas: PublicIdea[]
  /** A draft in this section has been agreed: finishing it needs no question. */
  agreed?: boolean
  children?: ReactNode
}) {
  const id = useId()
  const [message, setMessage] = useState<Message | null>(null)
  const [hideReason, setHideReason] = useState('')
  const [selected, setSelected] = useState<string[]>([])
  const [contentNote, setContentNote] = useState('')
  // Combining asks first, with the wording to keep (the first ticked, unless changed).
  const [keeping, setKeeping] = useState<string | null>(null)
  const combineButton = useRef<HTMLButtonElement>(null)
  const stopCombining = () => {
    setKeeping(null)
    combineButton.current?.focus()
  }
  const opened = useOpenedNotes()
  const base = `/api/workshops/${workshopId}/sections/${section.sectionId}`

  // A refusal because too few people are behind what would be published: offered again, with
  // publishAnyway, only if the facilitator chooses it.
  const [tooFew, setTooFew] = useState<{ message: string; retry: () => void } | null>(null)
  // Opening a vote while new ideas wait: show them first, or vote without them (they keep waiting).
  const [waiting, setWaiting] = useState<{ message: string; leave: () => void } | null>(null)
  const run = async (path: string, body: Record<string, unknown>, done: string, method = 'POST') => {
    const result = await callApi(`${base}${path}`, { method, body, token: facilitatorKey })
    setWaiting(null)
    if (!result.ok && result.code === 'too_few_people') {
      setMessage(null)
      setTooFew({ message: result.message, retry: () => void run(path, { ...body, publishAnyway: true }, done, method) })
      return false
    }
    if (!result.ok && result.code === 'ideas_waiting') {
      setMessage(null)
      setTooFew(null)
      setWaiting({ message: result.message, leave: () => void run(path, { ...body, leaveWaiting: true }, done, method) })
      return false
    }
    setTooFew(null)
    setMessage(result.ok ? { text: done, error: false } : { text: result.message, error: true })
    return result.ok
  }
  const index = PHASE_ORDER.indexOf(section.phase)
  const previous = PHASE_ORDER[index - 1]
  const next = PHASE_ORDER[index + 1]
  const onePress = useOnePress()
  const move = (phase: Phase) => onePress(() => run('/phase', phaseBody(workshopId, section.sectionId, phase), `“${section.title}” is now at “${PHASE_LABEL[phase]}”.`))
  const toggle = (ideaId: string) => setSelected((current) => (current.includes(ideaId) ? current.filter((x) => x !== ideaId) : [...current, ideaId]))
  // Asked first: going into the vote step again (a new round, once this section has results),
  // and finishing a section where nothing has been agreed.
  const [confirmingVote, setConfirmingVote] = useState<'previous' | 'next' | null>(null)
  const [confirmingDone, setConfirmingDone] = useState(false)
  const stepButtons = useRef<Record<'previous' | 'next', HTMLButtonElement | null>>({ previous: null, next: null })
  const choose = (which: 'previous' | 'next') => {
    const phase = which === 'previous' ? previous : next
    if (!phase) return
    if (phase === 'vote' && section.vote.status === 'closed') return setConfirmingVote(which)
    if (phase === 'done' && !agreed) return setConfirmingDone(true)
    void move(phase)
  }
  const answerVote = (yes: boolean) => {
    const which = confirmingVote
    setConfirmingVote(null)
    if (which) stepButtons.current[which]?.focus()
    if (yes) void move('vote')
  }
  const answerDone = (yes: boolean) => {
    setConfirmingDone(false)
    stepButtons.current.next?.focus()
    if (yes) void move('done')
  }
  const nothingSelected = () => setMessage({ text: 'Tick one or more ideas first.', error: true })
  // The reveal buttons swap for each other or go once all is shown: the page's focus rescue
  // (routeFocus.ts) keeps focus in this group.
  const reveal = (done: string) => run('/reveal', {}, done)

  return (
    <div className="facilitator-controls" role="group" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Facilitator: {section.title}</h3>
      <div className="button-row">
        {previous && (
          <button
            type="button"
            ref={(element) => {
              stepButtons.current.previous = element
            }}
            aria-expanded={previous === 'vote' && section.vote.status === 'closed' ? confirmingVote === 'previous' : undefined}
            onClick={() => choose('previous')}
          >
            ← Back to “{PHASE_LABEL[previous]}”
          </button>
        )}
        {next && (
          <button
            type="button"
            className="primary"
            ref={(element) => {
              stepButtons.current.next = element
            }}
            aria-expanded={next === 'vote' && section.vote.status === 'closed' ? confirmingVote === 'next' : next === 'done' && !agreed ? confirmingDone : undefined}
            onClick={() => choose('next')}
          >
            Move on to “{PHASE_LABEL[next]}” →
          </button>
        )}
      </div>
      {confirmingVote && (
        <div className="confirm-withdraw" role="group" aria-labelledby={`${id}-vote-q`} aria-describedby={`${id}-vote-d`} data-testid="confirm-vote-again">
          <p>
            <strong id={`${id}-vote-q`}>Go back to voting?</strong>{' '}
            <span id={`${id}-vote-d`}>This starts a new vote, and everyone votes again. The results so far are hidden until it closes. If nobody votes, they come back.</span>
          </p>
          <div className="button-row">
            <button type="button" onClick={() => answerVote(true)}>
              Yes, start a new vote
            </button>
            {/* Focus moves to the safe answer first. */}
            <button type="button" className="primary" autoFocus onClick={() => answerVote(false)}>
              No, keep the results
            </button>
          </div>
        </div>
      )}
      {confirmingDone && (
        <div className="confirm-withdraw" role="group" aria-labelledby={`${id}-done-q`} aria-describedby={`${id}-done-d`} data-testid="confirm-done">
          <p>
            <strong id={`${id}-done-q`}>Finish “{section.title}” without an agreement?</strong>{' '}
            <span id={`${id}-done-d`}>Nothing has been agreed here yet. The exports and the “What we agreed” page will say so.</span>
          </p>
          <div className="button-row">
            <button type="button" onClick={() => answerDone(true)}>
              Yes, finish it
            </button>
            <button type="button" className="primary" autoFocus onClick={() => answerDone(false)}>
              No, keep agreeing
            </button>
          </div>
        </div>
      )}
      {phaseAllows(section.phase, 'reveal') && (
        <div className="button-row">
          {!section.revealed && (
            <Button
              onClick={() => void reveal('Ideas shown to everyone.')}
              unavailable={section.pendingCount === 0}
              onUnavailable={() => setMessage({ text: 'No ideas are waiting yet.', error: false, info: true })}
            >
              Show all ideas ({pendingWords(section.pendingCount)} waiting)
            </Button>
          )}
          {section.revealed && section.pendingCount > 0 && (
            <button type="button" onClick={() => void reveal('Waiting ideas and changes shown to everyone.')}>
              Show what is waiting now ({pendingWords(section.pendingCount)})
            </button>
          )}
          {!section.revealed && section.pendingCount === 0 && (
            <label className="choice">
              <input
                type="checkbox"
                checked={!section.hiddenUntilReveal}
                onChange={(event) => run('', { hiddenUntilReveal: !event.target.checked }, 'Saved.', 'PATCH')}
              />
              Show ideas as they come (in groups of three or more)
            </label>
          )}
        </div>
      )}
      {children}
      {ideas.length > 0 && phaseAllows(section.phase, 'moderate') && (
        <fieldset className="moderation">
          <legend>Hide or combine ideas</legend>
          <ul className="plain-list">
            {ideas.map((idea) => (
              <li key={idea.ideaId}>
                <label className="choice">
                  <input type="checkbox" checked={selected.includes(idea.ideaId)} onChange={() => toggle(idea.ideaId)} />
                  {ideaWords(idea, opened, idea.ideaId)}
                </label>
              </li>
            ))}
          </ul>
          <label htmlFor={`${id}-reason`}>Reason for hiding (everyone will see it)</label>
          <input id={`${id}-reason`} value={hideReason} onChange={(event) => setHideReason(event.target.value)} maxLength={200} placeholder="for example: off-topic" />
          <div className="button-row">
            <Button
              unavailable={selected.length === 0 || hideReason.trim() === ''}
              onUnavailable={() => (selected.length === 0 ? nothingSelected() : setMessage({ text: 'Write a reason for hiding first.', error: true }))}
              onClick={async () => {
                for (const ideaId of selected) await run(`/ideas/${ideaId}/hide`, { reason: hideReason }, `Hidden: ${hideReason}`)
                setSelected([])
              }}
            >
              Hide selected ({selected.length})
            </Button>
            <Button
              unavailable={selected.length < 2}
              onUnavailable={() => setMessage({ text: 'Tick two or more ideas to combine them.', error: true })}
              ref={combineButton}
              aria-expanded={keeping !== null}
              onClick={() => setKeeping(selected[0] ?? null)}
            >
              Combine selected ({selected.length})
            </Button>
          </div>
          {/* Combining cannot be undone: the facilitator sees and chooses the wording that stays. */}
          {keeping !== null && (
            <div className="confirm-withdraw" data-testid="confirm-combine">
              <fieldset>
                <legend>Combine {selected.length} ideas? Keep the wording of:</legend>
                {selected.map((ideaId) => {
                  const idea = ideas.find((candidate) => candidate.ideaId === ideaId)
                  return (
                    <label className="choice" key={ideaId}>
                      <input type="radio" name={`${id}-keep`} checked={keeping === ideaId} onChange={() => setKeeping(ideaId)} />
                      {idea ? ideaWords(idea, opened, idea.ideaId) : ideaId}
                    </label>
                  )
                })}
              </fieldset>
              <p className="hint">The other wordings leave the board and the lists. This cannot be undone.</p>
              <div className="button-row">
                <button
                  type="button"
                  onClick={async () => {
                    const keepIdeaId = keeping
                    stopCombining()
                    if (await run('/merge', { keepIdeaId, mergeIdeaIds: selected.filter((ideaId) => ideaId !== keepIdeaId) }, 'Ideas combined.')) setSelected([])
                  }}
                >
                  Combine them
                </button>
                <button type="button" className="primary" autoFocus onClick={stopCombining}>
                  Cancel
                </button>
              </div>
            </div>
          )}
          <label htmlFor={`${id}-note`}>Content note for the selected ideas (for example “mentions self-harm”)</label>
          <input id={`${id}-note`} value={contentNote} onChange={(event) => setContentNote(event.target.value)} maxLength={160} />
          <Button
            unavailable={selected.length === 0 || contentNote.trim() === ''}
            onUnavailable={() => (selected.length === 0 ? nothingSelected() : setMessage({ text: 'Write the content note first.', error: true }))}
            onClick={async () => {
              for (const ideaId of selected) {
                const result = await callApi(`/api/workshops/${workshopId}/ideas/${ideaId}/content-note`, { method: 'PUT', body: { note: contentNote }, token: facilitatorKey })
                setMessage(result.ok ? { text: 'Content note added. The text is folded until each reader opens it.', error: false } : { text: result.message, error: true })
              }
              setSelected([])
            }}
          >
            Add content note to selected ({selected.length})
          </Button>
        </fieldset>
      )}
      {waiting && (
        <IdeasWaiting
          message={waiting.message}
          onShow={() => void reveal('Waiting ideas shown to everyone. You can start the vote now.')}
          onLeave={waiting.leave}
          onCancel={() => {
            setWaiting(null)
            stepButtons.current.next?.focus()
          }}
        />
      )}
      {tooFew && (
        <TooFewPeople
          headline="Too few people to keep this secret."
          detail={tooFew.message}
          keepLabel="Wait for more people"
          publishLabel="Show it anyway (everyone will see that you did)"
          onKeep={() => {
            setTooFew(null)
            setMessage({ text: 'Nothing was shown. It will appear once enough people have taken part.', error: false })
          }}
          onPublish={tooFew.retry}
        />
      )}
      <StatusMessage message={message} />
    </div>
  )
}
