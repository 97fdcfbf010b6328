import { lazy, Suspense, useState } from 'react'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { useMyIdeas } from '../participate/myIdeas.ts'
import { SectionCard } from '../participate/SectionCard.tsx'
import { useStateView } from '../sync/useStateView.ts'
import { useWorkshopSync } from '../sync/useWorkshopSync.ts'
import { ConnectionStatus } from '../ui/ConnectionStatus.tsx'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { Loading } from '../ui/Loading.tsx'
import { AddSectionForm } from '../facilitate/AddSectionForm.tsx'

// tldraw is most of the bundle: load it only for people who open the board.
const Board = lazy(() => import('../board/Board.tsx'))

type View = 'list' | 'board'
const VIEW_KEY = 'parity:view'

function initialView(): View {
  const saved = localStorage.getItem(VIEW_KEY)
  if (saved === 'list' || saved === 'board') return saved
  // Phones get the list: the canvas is fiddly on a small screen.
  return window.matchMedia('(max-width: 700px)').matches ? 'list' : 'board'
}

export function WorkshopPage({ workshopId }: { workshopId: string }) {
  const participantToken = session.participantToken(workshopId)
  const facilitatorKey = session.facilitatorKey(workshopId)
  const sync = useWorkshopSync(workshopId, participantToken ?? facilitatorKey)
  const view = useStateView(sync.status === 'ready' ? sync.state.doc : null)
  const myIdeas = useMyIdeas(workshopId, participantToken, view)
  const [mode, setMode] = useState<View>(initialView)
  usePageTitle(view?.workshop?.title ?? 'Workshop')

  if (sync.status === 'loading') return <Loading label="Connecting to the workshop…" />
  if (sync.status === 'error')
    return (
      <main className="page narrow" id="main">
        <h1>We could not open the workshop</h1>
        <ErrorPanel title={sync.message}>
          <p>
            <a className="button primary" href={`/w/${workshopId}/join`}>
              Join the workshop
            </a>
          </p>
        </ErrorPanel>
      </main>
    )

  const choose = (next: View) => {
    setMode(next)
    localStorage.setItem(VIEW_KEY, next)
  }
  const sections = view?.sections ?? []
  const cards = sections.map((section) => (
    <SectionCard
      key={section.sectionId}
      workshopId={workshopId}
      section={section}
      ideas={view?.ideas.filter((idea) => idea.sectionId === section.sectionId) ?? []}
      moderation={view?.moderation.filter((line) => line.sectionId === section.sectionId) ?? []}
      results={view?.results[section.sectionId]}
      proposals={view?.proposals.filter((proposal) => proposal.sectionId === section.sectionId) ?? []}
      participantCount={view?.workshop?.participantCount ?? 0}
      myIdeas={participantToken ? myIdeas : null}
      participantToken={participantToken}
      facilitatorKey={facilitatorKey}
    />
  ))

  return (
    <div className={`workshop-layout view-${mode}`}>
      <a className="skip-link" href="#main">
        Skip to the workshop
      </a>
      <header className="workshop-header">
        <h1>{view?.workshop?.title ?? 'Workshop'}</h1>
        <ConnectionStatus state={sync.connection} />
        <a href={`/w/${workshopId}/agreed`}>What we agreed</a>
        <div className="view-switch" role="group" aria-label="How to show the workshop">
          <button type="button" aria-pressed={mode === 'list'} onClick={() => choose('list')}>
            List
          </button>
          <button type="button" aria-pressed={mode === 'board'} onClick={() => choose('board')}>
            Board
          </button>
        </div>
        {!participantToken && facilitatorKey && (
          <p className="role-note">
            You are the facilitator. To add ideas or vote, <a href={`/w/${workshopId}/join`}>join as a participant</a> — with the same vote as everyone.
          </p>
        )}
      </header>
      <main id="main" className="workshop-main">
        {mode === 'board' && view && (
          <Suspense fallback={<Loading label="Opening the board…" />}>
            <Board board={sync.board} view={view} />
          </Suspense>
        )}
        <div className="section-list">
          {cards}
          {facilitatorKey && <AddSectionForm workshopId={workshopId} facilitatorKey={facilitatorKey} sections={sections} />}
        </div>
      </main>
    </div>
  )
}
