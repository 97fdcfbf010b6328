import { lazy, Suspense, useState } from 'react'
import { JoinPage } from './participate/JoinPage.tsx'
import { useRoute, workshopIdOf, type Route } from './router.tsx'
import { Loading } from './ui/Loading.tsx'
import { NotFoundPage } from './ui/NotFoundPage.tsx'
import { PageLoadFailed } from './ui/PageLoadFailed.tsx'
import { useFocusHeadingOnRouteChange, useFocusRescue } from './ui/routeFocus.ts'
import { loadWorkshopChunk, workshopChunkIfLoaded } from './workshop/workshopChunk.ts'
import { SupportBar } from './ui/SupportBar.tsx'

// A participant's path (join, then the list) loads only its own code: on a slow phone every
// kilobyte of script costs time to fetch and to parse. The other pages load when opened.
const FacilitatePage = lazy(() => import('./facilitate/FacilitatePage.tsx').then((m) => ({ default: m.FacilitatePage })))
const HomePage = lazy(() => import('./home/HomePage.tsx').then((m) => ({ default: m.HomePage })))
const LeftPage = lazy(() => import('./leave/LeftPage.tsx').then((m) => ({ default: m.LeftPage })))
const AgreedPage = lazy(() => import('./outcome/AgreedPage.tsx').then((m) => ({ default: m.AgreedPage })))
const MyIdeasPage = lazy(() => import('./coproduction/MyIdeasPage.tsx').then((m) => ({ default: m.MyIdeasPage })))
const ProgrammePage = lazy(() => import('./programme/ProgrammePage.tsx').then((m) => ({ default: m.ProgrammePage })))
const PresentPage = lazy(() => import('./present/PresentPage.tsx').then((m) => ({ default: m.PresentPage })))
const PrivacyPage = lazy(() => import('./privacy/PrivacyPage.tsx').then((m) => ({ default: m.PrivacyPage })))
// The join page fetches this one as soon as it is drawn (`JoinPage`), so after joining it is
// usually here already and is drawn without suspending (`workshopChunkIfLoaded`).
const LazyWorkshopPage = lazy(() => loadWorkshopChunk().then((m) => ({ default: m.WorkshopPage })))

function WorkshopPage({ workshopId }: { workshopId: string }) {
  // Chosen once: switching from the lazy component to the loaded one would remount the page.
  const [chunk] = useState(workshopChunkIfLoaded)
  return chunk ? <chunk.WorkshopPage workshopId={workshopId} /> : <LazyWorkshopPage workshopId={workshopId} />
}

/** Routes where "Leave" makes sense: someone is taking part, not watching a projector. */
const LEAVE_PAGES: ReadonlySet<Route['page']> = new Set(['join', 'facilitate', 'board', 'agreed'])

export function App() {
  const route = useRoute()
  useFocusHeadingOnRouteChange(JSON.stringify(route))
  useFocusRescue()
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <SupportBar workshopId={workshopIdOf(route)} canLeave={LEAVE_PAGES.has(route.page)} />
      {/* A new boundary per route: a page that failed to load does not keep the next one away, and
          the old page goes at once, so focus waits for the new page's heading, not the old one's
          (it was focused, then removed with its page, and focus fell to the body). */}
      <PageLoadFailed key={JSON.stringify(route)}>
        <Suspense fallback={<Loading label="Loading the page…" />}>
          <Page route={route} />
        </Suspense>
      </PageLoadFailed>
      <footer className="site-footer">
        <a href="/privacy">Privacy: what Parity keeps and for how long</a>
      </footer>
    </>
  )
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <HomePage />
    case 'join':
      return <JoinPage workshopId={route.workshopId} />
    case 'facilitate':
      return <FacilitatePage workshopId={route.workshopId} />
    case 'board':
      return <WorkshopPage workshopId={route.workshopId} />
    case 'agreed':
      return <AgreedPage workshopId={route.workshopId} />
    case 'present':
      return <PresentPage workshopId={route.workshopId} />
    case 'left':
      return <LeftPage />
    case 'privacy':
      return <PrivacyPage />
    case 'my-ideas':
      return <MyIdeasPage workshopId={route.workshopId} />
    case 'programme':
      return <ProgrammePage programmeId={route.programmeId} />
    case 'not-found':
      return <NotFoundPage />
  }
}
