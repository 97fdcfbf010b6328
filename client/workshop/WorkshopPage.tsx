import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import type { SignalKind } from '../../shared/intents.ts'
import type { StateView } from '../../shared/stateDoc.ts'
import { describeChanges, summarise } from '../announce/activity.ts'
import { announce, setAnnouncementsMuted } from '../announce/announcer.ts'
import { useActivityAnnouncements } from '../announce/useActivityAnnouncements.ts'
import { ideasVersion, useMyIdeas } from '../participate/myIdeas.ts'
import { RemoveMyIdeas } from '../participate/RemoveMyIdeas.tsx'
import { RetentionNotice } from '../ui/RetentionNotice.tsx'
import { useRetention } from '../ui/useRetention.ts'
import { SectionCard } from '../participate/SectionCard.tsx'
import { WordsOnBoard } from '../participate/WordsOnBoard.tsx'
import { putWith, type PutWithTarget } from '../participate/themes.ts'
import { usePageTitle } from '../router.tsx'
import { session } from '../session.ts'
import { isNarrow } from '../ui/narrow.ts'
import { useHeldView } from '../sync/useHeldView.ts'
import { useStateView } from '../sync/useStateView.ts'
import { useWorkshopSync } from '../sync/useWorkshopSync.ts'
import { ConnectionStatus } from '../ui/ConnectionStatus.tsx'
import { BoardRefusedNotice, BoardResetNotice } from '../ui/BoardRefusedNotice.tsx'
import { Loading } from '../ui/Loading.tsx'
import { usePreferences } from '../ui/preferences.ts'
import { BreakScreen } from '../wellbeing/BreakScreen.tsx'
import { useOnBreak } from '../wellbeing/breakState.ts'
import { FollowBanner, goToSection } from '../wellbeing/FollowBanner.tsx'
import { currentSection, NowNext } from '../wellbeing/NowNext.tsx'
import { RoomPausedScreen, useRoomPauseAnnouncements } from '../wellbeing/RoomPausedScreen.tsx'
import { useMySignals } from '../wellbeing/useMySignals.ts'
import { useTimer } from '../wellbeing/useTimer.ts'
import { AddIdeaDialog } from './AddIdeaDialog.tsx'
import { FloatingPanel } from './FloatingPanel.tsx'
import { HeaderActions } from './HeaderActions.tsx'
import './header.css'
import { SettingsPanel } from './SettingsPanel.tsx'
import { WellbeingButtons } from './WellbeingButtons.tsx'
import { WorkshopUnavailable } from './WorkshopUnavailable.tsx'

// tldraw is most of the bundle: load it only for people who open the board.
const Board = lazy(() => import('../board/Board.tsx'))
// Facilitators' tools (QR codes, timers, exports) load only on a facilitator's device.
const FacilitatorConsole = lazy(() => import('../facilitate/console/FacilitatorConsole.tsx').then((m) => ({ default: m.FacilitatorConsole })))
const WellbeingControls = lazy(() => import('../facilitate/WellbeingControls.tsx').then((m) => ({ default: m.WellbeingControls })))
const AddSectionForm = lazy(() => import('../facilitate/AddSectionForm.tsx').then((m) => ({ default: m.AddSectionForm })))

type View = 'list' | 'board'
const VIEW_KEY = 'parity:view'

function initialView(): View {
  const saved = localStorage.getItem(VIEW_KEY)
  if (saved === 'list' || saved === 'board') return saved
  // Phones get the list: the canvas is fiddly on a small screen.
  return isNarrow() ? 'list' : 'board'
}

export function WorkshopPage({ workshopId }: { workshopId: string }) {
  const participantToken = session.participantToken(workshopId)
  const facilitatorKey = session.facilitatorKey(workshopId)
  const sync = useWorkshopSync(workshopId, participantToken ?? facilitatorKey)
  const live = useStateView(sync.status === 'ready' ? sync.state.doc : null)
  const preferences = usePreferences()
  const [onBreak, setOnBreak] = useOnBreak(workshopId)
  const [updatesPaused, setUpdatesPaused] = useState(false)
  const held = useHeldView(live, onBreak || updatesPaused)
  const view = held.shown
  // My own ideas stay live even while the rest of the screen is held still: they are mine.
  const myIdeas = useMyIdeas(workshopId, participantToken, ideasVersion(live))
  const retention = useRetention(workshopId, participantToken ?? facilitatorKey)
  const signals = useMySignals(workshopId, participantToken ?? facilitatorKey)
  const timer = useTimer(live ? live.wellbeing.timer : undefined, live?.sections ?? [], signals.clockOffsetMs, onBreak)
  const [mode, setMode] = useState<View>(initialView)
  const [addingTo, setAddingTo] = useState<string | null>(null)
  usePageTitle(view?.workshop?.title ?? 'Workshop')

  useEffect(() => {
    setAnnouncementsMuted(onBreak)
    return () => setAnnouncementsMuted(false)
  }, [onBreak])
  useActivityAnnouncements(live, preferences.announcements, onBreak || updatesPaused)
  useRoomPauseAnnouncements(live?.wellbeing.paused)
  useAnsweredSignals(live, signals.answered)

  const endBreak = () => {
    setAnnouncementsMuted(false)
    const news = held.heldFrom && live ? summarise(describeChanges(held.heldFrom, live)) : ''
    announce(`Welcome back.${news ? ` While you were away: ${news}` : ' Nothing changed while you were away.'}`)
    setOnBreak(false)
  }
  const groupToken = participantToken ?? facilitatorKey
  const putTogether = useCallback(
    async (sectionId: string, ideaId: string, target: PutWithTarget): Promise<boolean> => {
      if (!groupToken) return false
      const result = await putWith(workshopId, groupToken, sectionId, ideaId, target)
      announce(result.ok ? `Put in the theme “${result.value.name}”.` : result.message, result.ok ? 'polite' : 'assertive')
      return result.ok
    },
    [workshopId, groupToken],
  )
  const [shownOnBoard, setShownOnBoard] = useState<{ sectionId: string } | null>(null)
  const go = useCallback((sectionId: string) => {
    if (mode === 'list') goToSection(sectionId)
    else setShownOnBoard({ sectionId })
  }, [mode])

  if (sync.status === 'loading') return <Loading label="Connecting to the workshop…" />
  if (sync.status === 'error') return <WorkshopUnavailable workshopId={workshopId} reason={sync.reason} message={sync.message} />

  const choose = (next: View) => {
    setMode(next)
    localStorage.setItem(VIEW_KEY, next)
    // On a phone the header scrolls away: bring the whole board on screen.
    if (next === 'board' && isNarrow())
      requestAnimationFrame(() => document.getElementById('main')?.scrollIntoView({ block: 'start' }))
  }
  const sections = view?.sections ?? []
  const spotlight = live?.sections.find((section) => section.sectionId === live.wellbeing.spotlightSectionId) ?? null
  const roomPaused = (live?.wellbeing.paused ?? false) && !facilitatorKey
  const covered = onBreak || roomPaused
  const cards = sections.map((section) => (
    <SectionCard
      key={section.sectionId}
      workshopId={workshopId}
      section={section}
      sections={sections}
      ideas={view?.ideas.filter((idea) => idea.sectionId === section.sectionId) ?? []}
      themes={view?.themes.filter((theme) => theme.sectionId === section.sectionId) ?? []}
      allSections={sections}
      moderation={view?.moderation.filter((line) => line.sectionId === section.sectionId) ?? []}
      results={view?.results[section.sectionId]}
      proposals={view?.proposals.filter((proposal) => proposal.sectionId === section.sectionId) ?? []}
      participantCount={view?.workshop?.participantCount ?? 0}
      myIdeas={participantToken ? myIdeas : null}
      participantToken={participantToken}
      facilitatorKey={facilitatorKey}
      timerText={timer?.section.sectionId === section.sectionId ? timer.text : null}
    />
  ))

  return (
    <>
      {/* Drafts under a calm screen stay exactly as they were: the page is inert, not removed. */}
      <div className={`workshop-layout view-${mode}`} inert={covered}>
        <header className="workshop-header">
          <div className="header-top">
            <h1>{view?.workshop?.title ?? 'Workshop'}</h1>
            <ConnectionStatus state={sync.connection} />
          </div>
          {sync.boardRefused && <BoardRefusedNotice />}
          {sync.boardReset && <BoardResetNotice />}
          {view && <NowNext view={view} timer={timer} recordsHref={participantToken ? `/w/${workshopId}/agreed` : undefined} />}
          <HeaderActions contents={participantToken ? 'take a break, ask for a pause, list or board, settings' : 'take a break, list or board, settings'}>
            <WellbeingButtons
              signals={participantToken ? signals : null}
              timerRunning={timer !== null && timer.leftMs > 0}
              onBreak={() => {
                announce('You are on a break. Nothing will be read out until you come back.')
                setOnBreak(true)
              }}
              updatesPaused={updatesPaused}
              onPauseUpdates={setUpdatesPaused}
              waiting={held.waiting}
              onShowLatest={() => {
                held.showLatest()
                announce('Showing the latest. Live updates are still paused.')
              }}
            />
            <div className="view-switch" role="group" aria-label="How to show the workshop">
              <button type="button" aria-pressed={mode === 'list'} onClick={() => choose('list')}>
                List
              </button>
              <button type="button" aria-pressed={mode === 'board'} onClick={() => choose('board')}>
                Board
              </button>
            </div>
            <a className="header-link" href={`/w/${workshopId}/agreed`}>
              What we agreed
            </a>
            <SettingsPanel showBoardChoices={mode === 'board'} />
          </HeaderActions>
          {/* On the board the facilitator's console says this, so the header stays slim. */}
          {!participantToken && facilitatorKey && mode === 'list' && (
            <p className="role-note">
              You are the facilitator. To add ideas or vote, <a href={`/w/${workshopId}/join`}>join as a participant</a> — with the same vote as everyone.
            </p>
          )}
          {live?.wellbeing.paused && facilitatorKey && (
            <p className="paused-note" data-testid="facilitator-paused-note">
              The room is paused: everyone else sees a calm break screen.
            </p>
          )}
        </header>
        {spotlight && <FollowBanner section={spotlight} onGo={go} />}
        <main id="main" className="workshop-main">
          {mode === 'board' && view && !sync.boardSynced && <p className="loading">Opening the board…</p>}
          {mode === 'board' && view && sync.boardSynced && (
            <Suspense fallback={<p className="loading">Opening the board…</p>}>
              <Board
                workshopId={workshopId}
                board={sync.board}
                view={view}
                role={facilitatorKey ? 'facilitator' : 'participant'}
                held={onBreak || updatesPaused}
                hideOthersPointers={preferences.hideOthersPointers}
                followSectionId={preferences.followFacilitator ? (spotlight?.sectionId ?? null) : null}
                showSection={shownOnBoard}
                onSectionShown={() => setShownOnBoard(null)}
                onAddIdea={participantToken ? setAddingTo : null}
                onPutWith={putTogether}
              />
            </Suspense>
          )}
          <FloatingPanel floating={mode === 'board'} followSectionId={live && !facilitatorKey ? (currentSection(live)?.sectionId ?? null) : null}>
            <div className="section-list">
              {facilitatorKey && live && (
                <Suspense fallback={<p className="loading">Loading the facilitator’s tools…</p>}>
                  <FacilitatorConsole workshopId={workshopId} facilitatorKey={facilitatorKey} live={live} timer={timer}>
                    <p className="button-row">
                      <a href={`/w/${workshopId}/facilitate`}>Facilitator page: invites and settings</a>
                      <a href={`/w/${workshopId}/present`}>Presenter view</a>
                    </p>
                  </FacilitatorConsole>
                  <WellbeingControls workshopId={workshopId} facilitatorKey={facilitatorKey} wellbeing={live.wellbeing} sections={live.sections} timer={timer} />
                </Suspense>
              )}
              {cards}
              {mode === 'list' && <WordsOnBoard doc={sync.board.doc} sections={sections} />}
              {facilitatorKey && (
                <Suspense fallback={null}>
                  <AddSectionForm workshopId={workshopId} facilitatorKey={facilitatorKey} sections={sections} />
                </Suspense>
              )}
              {participantToken && <RemoveMyIdeas myIdeas={myIdeas} sections={live?.sections ?? []} />}
              <RetentionNotice info={retention.info} />
            </div>
          </FloatingPanel>
        </main>
      </div>
      {/* Not over a break: a modal dialog sits above everything, the calm screen included. Its words are kept as a draft. */}
      {addingTo && participantToken && !onBreak && !roomPaused && (
        <AddIdeaDialog workshopId={workshopId} sections={live?.sections ?? []} sectionId={addingTo} myIdeas={myIdeas} onClose={() => setAddingTo(null)} />
      )}
      {onBreak ? <BreakScreen onBack={endBreak} workshopId={workshopId} /> : roomPaused && <RoomPausedScreen workshopId={workshopId} />}
    </>
  )
}

/** The facilitator paused, cleared the requests or added time: my own request is answered. */
function useAnsweredSignals(live: StateView | null, answered: (kind: SignalKind) => void): void {
  const previous = useRef<{ pause: number; moreTime: number; paused: boolean } | null>(null)
  useEffect(() => {
    if (!live) return
    const now = { pause: live.wellbeing.pauseRequests, moreTime: live.wellbeing.moreTimeRequests, paused: live.wellbeing.paused }
    const before = previous.current
    previous.current = now
    if (!before) return
    if ((before.pause > 0 && now.pause === 0) || (!before.paused && now.paused)) answered('pause')
    if (before.moreTime > 0 && now.moreTime === 0) answered('more-time')
  }, [live, answered])
}
