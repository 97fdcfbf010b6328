import { useEffect, useId, useState } from 'react'
import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicProposal } from '../../shared/consent.ts'
import { pendingWords, type PublicIdea } from '../../shared/ideas.ts'
import { PHASE_ORDER, stepGuide, WORKSHOP_FINISHED } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import type { StateView } from '../../shared/stateDoc.ts'
import { plural } from '../../shared/wellbeing.ts'
import { useFacilitatorView } from '../facilitate/useFacilitatorView.ts'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { useStateView } from '../sync/useStateView.ts'
import { useWorkshopSync } from '../sync/useWorkshopSync.ts'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { RetentionNotice } from '../ui/RetentionNotice.tsx'
import { useRetention } from '../ui/useRetention.ts'
import { JoinQr } from '../ui/JoinQr.tsx'
import { formatJoinCode, joinUrlFor, shortAddress, spokenJoinCode } from '../ui/joinLink.ts'
import { Loading } from '../ui/Loading.tsx'
import { currentSection } from '../wellbeing/NowNext.tsx'
import { useMySignals } from '../wellbeing/useMySignals.ts'
import { useTimer } from '../wellbeing/useTimer.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { groupByTheme, rankedRows } from '../participate/themes.ts'
import { EarlierCommitmentsPanel } from '../participate/EarlierCommitments.tsx'

const FOLLOW = ''
/** `auto` shows how to join until the first section moves past adding ideas. */
type Screen = 'auto' | 'join' | 'room'

/**
 * The projector view (L23) that runs the room: how to join, large, while people arrive (and
 * again for latecomers), then one section in big, high-contrast text, counts in words, results
 * as a ranked chart with the numbers written out (L24), and the agreed statement itself. No
 * pointers, no names, no board: nothing here can single anyone out.
 */
export function PresentPage({ workshopId }: { workshopId: string }) {
  const facilitatorKey = session.facilitatorKey(workshopId)
  const token = facilitatorKey ?? session.participantToken(workshopId)
  const sync = useWorkshopSync(workshopId, token)
  const retention = useRetention(workshopId, token)
  const view = useStateView(sync.status === 'ready' ? sync.state.doc : null)
  // The join code is the facilitator's to give out; a participant's screen shows the link only.
  const joinCode = useFacilitatorView(workshopId, facilitatorKey).view?.joinCode ?? null
  const signals = useMySignals(workshopId, token)
  const timer = useTimer(view ? view.wellbeing.timer : undefined, view?.sections ?? [], signals.clockOffsetMs, false)
  const [chosen, setChosen] = useState(FOLLOW)
  const [screen, setScreen] = useState<Screen>('auto')
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
        <ErrorPanel title="This screen has not been given the workshop yet.">
          <p>On this computer, open the facilitator’s link (it opens the facilitator’s page), then choose “Open the presenter view”.</p>
          <p>Please do not join as a participant here: the screen would count as one more person.</p>
        </ErrorPanel>
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

  const starting = view.sections.every((s) => s.phase === 'gather' && !s.revealed)
  const showJoin = screen === 'join' || (screen === 'auto' && starting)
  const section = view.sections.find((s) => s.sectionId === chosen) ?? currentSection(view)
  return (
    <main className="page present" id="main">
      <h1>{view.workshop?.title ?? 'Workshop'}</h1>
      <RetentionNotice info={retention.info} onlyWhenNear />
      <div className="present-controls">
        <button type="button" aria-pressed={showJoin} onClick={() => setScreen(showJoin ? 'room' : 'join')}>
          {showJoin ? 'Back to the workshop' : 'Show how to join'}
        </button>
        {!showJoin && (
          <>
            <label htmlFor={`${id}-section`}>Showing</label>
            <select id={`${id}-section`} value={chosen} onChange={(event) => setChosen(event.target.value)}>
              <option value={FOLLOW}>What the facilitator is showing</option>
              {view.sections.map((s) => (
                <option key={s.sectionId} value={s.sectionId}>
                  {s.title}
                </option>
              ))}
            </select>
          </>
        )}
      </div>
      {showJoin ? (
        <JoinScreen workshopId={workshopId} joinCode={joinCode} view={view} />
      ) : view.wellbeing.paused ? (
        <section className="present-section" aria-labelledby={`${id}-paused`}>
          <h2 id={`${id}-paused`}>We are taking a break</h2>
          <p>We will carry on when everyone is ready.</p>
        </section>
      ) : (
        section && <PresentedSection section={section} view={view} timerText={timer?.section.sectionId === section.sectionId ? timer.text : null} />
      )}
      {/* "You said, we did" from earlier workshops, while the first section gathers ideas. */}
      {!showJoin && !view.wellbeing.paused && section && section.sectionId === view.sections[0]?.sectionId && section.phase === 'gather' && (
        <EarlierCommitmentsPanel workshopId={workshopId} token={token} open />
      )}
    </main>
  )
}

/** How to join, large enough to read and scan from the back of the room. */
function JoinScreen({ workshopId, joinCode, view }: { workshopId: string; joinCode: string | null; view: StateView }) {
  const id = useId()
  const url = joinUrlFor(workshopId)
  const joined = view.workshop?.participantCount ?? 0
  return (
    <section className="present-join" aria-labelledby={`${id}-h`} data-testid="present-join">
      <h2 id={`${id}-h`}>Join on your phone or laptop</h2>
      <div className="present-join-ways">
        <JoinQr url={url} size={480} />
        <div>
          {joinCode && (
            <>
              <p>
                Go to <strong className="present-address">{shortAddress()}</strong> and type the code:
              </p>
              <p className="join-code present-code" aria-label={`Join code: ${spokenJoinCode(joinCode)}`}>
                {formatJoinCode(joinCode)}
              </p>
            </>
          )}
          <p>Or scan the code with your camera, or type this link:</p>
          <p className="present-url">{url}</p>
          {view.workshop?.joinMode === 'invite' && <p>You also need the invite code you were given.</p>}
          <p className="present-count" data-testid="present-joined">
            {joined === 1 ? '1 person has joined.' : `${joined} people have joined.`}
          </p>
        </div>
      </div>
    </section>
  )
}

function PresentedSection({ section, view, timerText }: { section: Section; view: StateView; timerText: string | null }) {
  const id = useId()
  const ideas = view.ideas.filter((idea) => idea.sectionId === section.sectionId && idea.status === 'published' && idea.kind === 'idea')
  const results = view.results[section.sectionId]
  const proposals = view.proposals.filter((proposal) => proposal.sectionId === section.sectionId)
  const open = proposals.find((proposal) => proposal.status === 'open')
  const lastClosed = proposals.filter((proposal) => proposal.status === 'closed').at(-1)
  const agreed = lastClosed?.outcome === 'agreed' && !open ? lastClosed : null
  const participants = view.workshop?.participantCount ?? 0
  const guide = stepGuide(section, view.sections)
  return (
    <section className="present-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{section.title}</h2>
      {guide === WORKSHOP_FINISHED && (
        <p className="present-finished" data-testid="present-finished">
          {WORKSHOP_FINISHED.label}. {WORKSHOP_FINISHED.now}
        </p>
      )}
      {agreed ? (
        <AgreedStatement proposal={agreed} />
      ) : (
        <p className="present-prompt">{section.prompt}</p>
      )}
      <p className="present-step">
        Step {PHASE_ORDER.indexOf(section.phase) + 1} of {PHASE_ORDER.length}: {guide.label}. {guide.now}
      </p>
      <p className="present-next">{guide.next}</p>
      {timerText && <p className="present-timer">{timerText}</p>}
      {!agreed && !results && (
        <p className="present-count">
          {plural(ideas.length, 'idea', 'ideas')} shown
          {section.pendingCount > 0 ? `, ${pendingWords(section.pendingCount)} waiting to be shown` : ''}.
          {section.phase === 'vote' && section.vote.status === 'open' && ` ${section.vote.votedCount} of ${participants} have voted.`}
          {open && ` ${open.respondedCount} of ${participants} have answered the draft.`}
        </p>
      )}
      {agreed ? null : results ? (
        <ResultsChart results={results} ideas={ideas} />
      ) : (
        ideas.length > 0 && <ProjectedIdeas ideas={ideas} themes={view.themes.filter((theme) => theme.sectionId === section.sectionId)} />
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

/** The agreed words themselves, as large as the screen allows: this is what the room made. */
function AgreedStatement({ proposal }: { proposal: PublicProposal }) {
  const id = useId()
  return (
    <div className="present-agreed" aria-labelledby={`${id}-h`} role="group" data-testid="present-agreed">
      <h3 id={`${id}-h`}>We agreed</h3>
      {proposal.text ? (
        <blockquote className="present-statement">{proposal.text}</blockquote>
      ) : (
        <ol className="present-statement">{proposal.items?.map((item, index) => <li key={index}>{item}</li>)}</ol>
      )}
    </div>
  )
}

/**
 * Ranked results as a bar chart. Rank, text and dots are written on every row, so the bars only
 * repeat what the words say: nothing is told by colour or length alone.
 */
function ResultsChart({ results, ideas }: { results: PublicResults; ideas: PublicIdea[] }) {
  const rows = rankedRows(results, ideas)
  const top = Math.max(1, ...rows.map((row) => row.dots))
  return (
    <>
      <h3>{results.final ? (results.subject === 'themes' ? 'Themes ranked by dots' : 'Ranked by dots') : 'Results so far (the vote is still open)'}</h3>
      <p className="present-count">
        {plural(results.voterCount, 'person', 'people')} voted, with {plural(results.budget, 'dot', 'dots')} each.
      </p>
      <ol className="present-results" data-testid="present-results">
        {rows.map((row) => {
          return (
            <li key={row.key} value={row.rank}>
              <div className="present-result-text">
                {row.theme ? `Theme: ${row.theme.name}` : row.idea ? <ProjectedText idea={row.idea} /> : 'An idea'} — {plural(row.dots, 'dot', 'dots')}
                {row.tied ? ' (tied)' : ''}
                {row.theme && (
                  <ul className="present-theme-ideas">
                    {row.theme.ideas.map((idea) => (
                      <li key={idea.ideaId}>
                        <ProjectedText idea={idea} />
                      </li>
                    ))}
                  </ul>
                )}
              </div>
              <span className="present-bar" aria-hidden="true">
                <span style={{ width: `${(row.dots / top) * 100}%` }} />
              </span>
            </li>
          )
        })}
      </ol>
    </>
  )
}

/** The section's ideas, grouped the same way as on the board and in the list: themes first. */
function ProjectedIdeas({ ideas, themes }: { ideas: PublicIdea[]; themes: PublicTheme[] }) {
  const { grouped, loose } = groupByTheme(ideas, themes)
  return (
    <>
      {grouped.map(({ theme, ideas: members }) => (
        <section key={theme.themeId} className="present-theme" aria-label={`Theme: ${theme.name}`}>
          <h3>Theme: {theme.name}</h3>
          <ul className="present-ideas">
            {members.map((idea) => (
              <li key={idea.ideaId}>
                <ProjectedText idea={idea} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {loose.length > 0 && (
        <ul className="present-ideas">
          {loose.map((idea) => (
            <li key={idea.ideaId}>
              <ProjectedText idea={idea} />
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/** On a shared screen a content note stays folded: the room did not choose to read it. */
function ProjectedText({ idea }: { idea: PublicIdea }) {
  if (idea.contentNote) return <>(Content note: {idea.contentNote}. Folded on this screen.)</>
  return <>{idea.text}</>
}
