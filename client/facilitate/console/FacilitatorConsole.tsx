import { useId, useState, type ReactNode } from 'react'
import { Phase, PHASE_LABEL, PHASE_ORDER, phaseAllows } from '../../../shared/phases.ts'
import { pendingWords } from '../../../shared/ideas.ts'
import type { StateView } from '../../../shared/stateDoc.ts'
import { callApi } from '../../api.ts'
import { JoinBlock } from '../../ui/JoinBlock.tsx'
import { StatusMessage, type Message } from '../../ui/StatusMessage.tsx'
import { useOnePress } from '../../ui/useOnePress.ts'
import { currentSection } from '../../wellbeing/NowNext.tsx'
import type { TimerView } from '../../wellbeing/useTimer.ts'
import { ExportButtons } from '../ExportLinks.tsx'
import { useFacilitatorView } from '../useFacilitatorView.ts'
import { IdeasWaiting } from '../IdeasWaiting.tsx'
import { phaseBody } from '../voteSubject.ts'

const people = (n: number) => `${n} ${n === 1 ? 'person has' : 'people have'} joined`

/**
 * The facilitator's console, the same on the board, the list and the facilitator page: where
 * the room is, one button for the next step, who is here (a count, never names), requests for
 * a pause, the timer, the join code with its QR code, and the exports. Everything it shows
 * comes from the live state doc, so it changes without a reload.
 */
export function FacilitatorConsole({
  workshopId,
  facilitatorKey,
  live,
  timer,
  children,
}: {
  workshopId: string
  facilitatorKey: string
  live: StateView
  timer: TimerView | null
  /** Ways to the screen's neighbours (the board links back to the facilitator page). */
  children?: ReactNode
}) {
  const id = useId()
  const { view: overview } = useFacilitatorView(workshopId, facilitatorKey)
  const [message, setMessage] = useState<Message | null>(null)
  const section = currentSection(live)
  const next: Phase | undefined = section ? PHASE_ORDER[PHASE_ORDER.indexOf(section.phase) + 1] : undefined
  const count = live.workshop?.participantCount ?? 0
  const { pauseRequests, moreTimeRequests } = live.wellbeing

  // Sections that could not move on while ideas still wait: a vote the server refused
  // (`ideas_waiting`), or talking it through, asked here first (its cards would all be hidden).
  const [waiting, setWaiting] = useState<{ sectionIds: string[]; message: string; phase: Phase } | null>(null)
  /** Moves the given sections on to `phase`; says which ones could not move, and why. */
  const moveOn = async (sectionIds: string[], phase: Phase, leaveWaiting = false) => {
    const failures: string[] = []
    const stillWaiting: { sectionId: string; message: string }[] = []
    for (const sectionId of sectionIds) {
      const body = { ...phaseBody(workshopId, sectionId, phase), ...(leaveWaiting ? { leaveWaiting } : {}) }
      const result = await callApi(`/api/workshops/${workshopId}/sections/${sectionId}/phase`, { method: 'POST', body, token: facilitatorKey })
      if (!result.ok && result.code === 'ideas_waiting') stillWaiting.push({ sectionId, message: result.message })
      else if (!result.ok) failures.push(result.message)
    }
    setWaiting(stillWaiting.length > 0 ? { sectionIds: stillWaiting.map((s) => s.sectionId), message: stillWaiting.map((s) => s.message).join(' '), phase } : null)
    if (stillWaiting.length > 0 && failures.length === 0) return setMessage(null)
    setMessage(failures.length === 0 ? { text: `Moved on to “${PHASE_LABEL[phase]}”.`, error: false } : { text: failures.join(' '), error: true })
  }
  /** Shows what waits in these sections; then moves them on to `then`, if that was asked. */
  const showWaiting = async (sectionIds: string[], then?: Phase) => {
    setWaiting(null)
    const failures: string[] = []
    for (const sectionId of sectionIds) {
      const result = await callApi(`/api/workshops/${workshopId}/sections/${sectionId}/reveal`, { method: 'POST', body: {}, token: facilitatorKey })
      if (!result.ok) failures.push(result.message)
    }
    if (failures.length > 0) return setMessage({ text: failures.join(' '), error: true })
    if (then === Phase.discuss) return moveOn(sectionIds, then)
    setMessage({ text: then === Phase.vote ? 'Waiting ideas shown to everyone. You can start the vote now.' : 'Waiting ideas shown to everyone.', error: false })
  }
  const together = section ? live.sections.filter((s) => s.phase === section.phase).map((s) => s.sectionId) : []
  // Finishing sections where nothing has been agreed is asked first (as in the section's own controls).
  const [confirmingDone, setConfirmingDone] = useState<string[] | null>(null)
  const onePress = useOnePress()
  const step = (sectionIds: string[], phase: Phase) => {
    const unagreed = live.sections.filter((s) => sectionIds.includes(s.sectionId) && !live.proposals.some((p) => p.sectionId === s.sectionId && p.outcome === 'agreed'))
    if (phase === 'done' && unagreed.length > 0) return setConfirmingDone(sectionIds)
    const hidden = live.sections.filter((s) => sectionIds.includes(s.sectionId) && s.pendingCount > 0)
    if (phase === Phase.discuss && hidden.length > 0)
      return setWaiting({ sectionIds, phase, message: `${hidden.map((s) => `“${s.title}” has ${pendingWords(s.pendingCount)} waiting.`).join(' ')}` })
    void onePress(() => moveOn(sectionIds, phase))
  }
  const unagreedTitles = confirmingDone
    ? live.sections.filter((s) => confirmingDone.includes(s.sectionId) && !live.proposals.some((p) => p.sectionId === s.sectionId && p.outcome === 'agreed')).map((s) => `“${s.title}”`)
    : []

  return (
    <section className="facilitator-console" aria-labelledby={`${id}-h`} data-testid="facilitator-console">
      <h2 id={`${id}-h`}>Facilitator</h2>
      {section && (
        <p className="console-now">
          <strong>Now:</strong> {section.title} — {PHASE_LABEL[section.phase]}
        </p>
      )}
      {section && next && (
        <div className="button-row">
          <button type="button" className="primary" onClick={() => step([section.sectionId], next)}>
            Next step: {PHASE_LABEL[next]}
          </button>
          {together.length > 1 && (
            <button type="button" onClick={() => step(together, next)}>
              All {together.length} sections to “{PHASE_LABEL[next]}”
            </button>
          )}
        </div>
      )}
      {section && phaseAllows(section.phase, 'reveal') && section.pendingCount > 0 && (
        <p>
          <button type="button" onClick={() => void onePress(() => showWaiting([section.sectionId]))}>
            Show all ideas ({pendingWords(section.pendingCount)} waiting)
          </button>
        </p>
      )}
      {confirmingDone && (
        <div className="confirm-withdraw" role="group" aria-labelledby={`${id}-done-q`} data-testid="console-confirm-done">
          <p>
            <strong id={`${id}-done-q`}>Finish without an agreement?</strong> Nothing has been agreed yet in {unagreedTitles.join(', ')}. The exports and the “What we
            agreed” page will say so.
          </p>
          <div className="button-row">
            <button
              type="button"
              onClick={() => {
                setConfirmingDone(null)
                void moveOn(confirmingDone, 'done')
              }}
            >
              Yes, finish
            </button>
            <button type="button" className="primary" autoFocus onClick={() => setConfirmingDone(null)}>
              No, keep agreeing
            </button>
          </div>
        </div>
      )}
      {waiting && (
        <IdeasWaiting
          message={waiting.message}
          toVote={waiting.phase === Phase.vote}
          onShow={() => void showWaiting(waiting.sectionIds, waiting.phase)}
          onLeave={() => void (waiting.phase === Phase.vote ? moveOn(waiting.sectionIds, Phase.vote, true) : moveOn(waiting.sectionIds, waiting.phase))}
          onCancel={() => setWaiting(null)}
        />
      )}
      <p className="console-count" data-testid="headcount">
        {people(count)}.
      </p>
      {(pauseRequests > 0 || moreTimeRequests > 0) && (
        <p className="console-badges">
          {pauseRequests > 0 && (
            <span className="badge" data-testid="pause-badge">
              {pauseRequests} asked for a pause
            </span>
          )}
          {moreTimeRequests > 0 && <span className="badge">{moreTimeRequests} asked for more time</span>}
        </p>
      )}
      {timer && <p className="console-timer">Timer: {timer.text}</p>}
      <JoinBlock workshopId={workshopId} joinCode={overview?.joinCode ?? null} />
      <details className="console-exports">
        <summary>Exports</summary>
        <ExportButtons workshopId={workshopId} facilitatorKey={facilitatorKey} />
      </details>
      <p className="console-note">
        To add ideas or vote, <a href={`/w/${workshopId}/join`}>join as a participant</a> — with the same vote as everyone.
      </p>
      {children}
      <StatusMessage message={message} />
    </section>
  )
}
