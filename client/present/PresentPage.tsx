import { pendingWords } from '../../shared/ideas.ts'
import { useEffect, useId, useState } from 'react'
import type { PublicIdea } from '../../shared/ideas.ts'
import { PHASE_GUIDE, PHASE_LABEL, PHASE_ORDER } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import type { StateView } from '../../shared/stateDoc.ts'
import { plural } from '../../shared/wellbeing.ts'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { useStateView } from '../sync/useStateView.ts'
import { useWorkshopSync } from '../sync/useWorkshopSync.ts'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { Loading } from '../ui/Loading.tsx'
import { currentSection } from '../wellbeing/NowNext.tsx'
import { useMySignals } from '../wellbeing/useMySignals.ts'
import { useTimer } from '../wellbeing/useTimer.ts'

const FOLLOW = ''

/**
 * The projector view (L23): one section in big, high-contrast text, counts in words, results as
 * a ranked list (L24). No pointers, no names, no board: nothing here can single anyone out.
 */
export function PresentPage({ workshopId }: { workshopId: string }) {
  const token = session.facilitatorKey(workshopId) ?? session.participantToken(workshopId)
  const sync = useWorkshopSync(workshopId, token)
  const view = useStateView(sync.status === 'ready' ? sync.state.doc : null)
  const signals = useMySignals(workshopId, token)
  const timer = useTimer(view ? view.wellbeing.timer : undefined, view?.sections ?? [], signals.clockOffsetMs, false)
  const [chosen, setChosen] = useState(FOLLOW)
  const id = useId()
  usePageTitle(view?.workshop ? `${view.workshop.title} – presenter view` : 'Presenter view')

  useEffect(() => {
    document.documentElement.classList.add('presenter')
    return () => document.documentElement.classList.remove('presenter')
  }, [])

  if (!token)
    return (
      <main className="page present" id="main">
        <h1>Presenter view</h1>
        <ErrorPanel title="Open this on a device that has joined the workshop, or from the facilitator’s link." />
      </main>
    )
  if (sync.status === 'loading' || !view) return <Loading label="Connecting to the workshop…" />
  if (sync.status === 'error')
    return (
      <main className="page present" id="main">
        <h1>Presenter view</h1>
        <ErrorPanel title={sync.message} />
      </main>
    )

  const section = view.sections.find((s) => s.sectionId === chosen) ?? currentSection(view)
  return (
    <main className="page present" id="main">
      <h1>{view.workshop?.title ?? 'Workshop'}</h1>
      <div className="present-controls">
        <label htmlFor={`${id}-section`}>Showing</label>
        <select id={`${id}-section`} value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value={FOLLOW}>What the facilitator is showing</option>
          {view.sections.map((s) => (
            <option key={s.sectionId} value={s.sectionId}>
              {s.title}
            </option>
          ))}
        </select>
      </div>
      {view.wellbeing.paused ? (
        <section className="present-section" aria-labelledby={`${id}-paused`}>
          <h2 id={`${id}-paused`}>We are taking a break</h2>
          <p>We will carry on when everyone is ready.</p>
        </section>
      ) : (
        section && <PresentedSection section={section} view={view} timerText={timer?.section.sectionId === section.sectionId ? timer.text : null} />
      )}
    </main>
  )
}

function PresentedSection({ section, view, timerText }: { section: Section; view: StateView; timerText: string | null }) {
  const id = useId()
  const ideas = view.ideas.filter((idea) => idea.sectionId === section.sectionId && idea.status === 'published' && idea.kind === 'idea')
  const results = view.results[section.sectionId]
  const proposals = view.proposals.filter((proposal) => proposal.sectionId === section.sectionId)
  const open = proposals.find((proposal) => proposal.status === 'open')
  const lastClosed = proposals.filter((proposal) => proposal.status === 'closed').at(-1)
  const participants = view.workshop?.participantCount ?? 0
  const byId = new Map(ideas.map((idea) => [idea.ideaId, idea]))
  return (
    <section className="present-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{section.title}</h2>
      <p className="present-prompt">{section.prompt}</p>
      <p className="present-step">
        Step {PHASE_ORDER.indexOf(section.phase) + 1} of {PHASE_ORDER.length}: {PHASE_LABEL[section.phase]}. {PHASE_GUIDE[section.phase].now}
      </p>
      {timerText && <p className="present-timer">{timerText}</p>}
      <p className="present-count">
        {plural(ideas.length, 'idea', 'ideas')} shown
        {section.pendingCount > 0 ? `, ${pendingWords(section.pendingCount)} waiting to be shown` : ''}.
        {section.phase === 'vote' && section.vote.status === 'open' && ` ${section.vote.votedCount} of ${participants} have voted.`}
        {open && ` ${open.respondedCount} of ${participants} have answered the draft.`}
      </p>
      {results ? (
        <>
          <h3>{results.final ? 'Results' : 'Results so far'}</h3>
          <ol className="present-results">
            {results.ranked.map((row) => {
              const idea = byId.get(row.ideaId)
              return (
                <li key={row.ideaId} value={row.rank}>
                  {idea ? <ProjectedText idea={idea} /> : 'An idea'} — {plural(row.dots, 'dot', 'dots')}
                  {row.tied ? ' (tied)' : ''}
                </li>
              )
            })}
          </ol>
        </>
      ) : (
        ideas.length > 0 && (
          <ul className="present-ideas">
            {ideas.map((idea) => (
              <li key={idea.ideaId}>
                <ProjectedText idea={idea} />
              </li>
            ))}
          </ul>
        )
      )}
      {open && (
        <>
          <h3>The draft we are answering</h3>
          {open.text ? <blockquote>{open.text}</blockquote> : <ol>{open.items?.map((item, index) => <li key={index}>{item}</li>)}</ol>}
        </>
      )}
      {!open && lastClosed?.counts && (
        <p className="present-count">
          Round {lastClosed.roundNumber}: {lastClosed.outcome === 'agreed' ? 'agreed' : 'not agreed yet'}. {lastClosed.counts.agree} agree,{' '}
          {lastClosed.counts.canLiveWith} can live with it, {lastClosed.counts.object} object.
        </p>
      )}
    </section>
  )
}

/** On a shared screen a content note stays folded: the room did not choose to read it. */
function ProjectedText({ idea }: { idea: PublicIdea }) {
  if (idea.contentNote) return <>(Content note: {idea.contentNote}. Folded on this screen.)</>
  return <>{idea.text}</>
}
