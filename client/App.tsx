import { FacilitatePage } from './facilitate/FacilitatePage.tsx'
import { HomePage } from './home/HomePage.tsx'
import { LeftPage } from './leave/LeftPage.tsx'
import { AgreedPage } from './outcome/AgreedPage.tsx'
import { JoinPage } from './participate/JoinPage.tsx'
import { MyIdeasPage } from './coproduction/MyIdeasPage.tsx'
import { ProgrammePage } from './programme/ProgrammePage.tsx'
import { PresentPage } from './present/PresentPage.tsx'
import { useRoute, workshopIdOf, type Route } from './router.tsx'
import { NotFoundPage } from './ui/NotFoundPage.tsx'
import { useFocusHeadingOnRouteChange } from './ui/routeFocus.ts'
import { SupportBar } from './ui/SupportBar.tsx'
import { WorkshopPage } from './workshop/WorkshopPage.tsx'

/** Routes where "Leave" makes sense: someone is taking part, not watching a projector. */
const LEAVE_PAGES: ReadonlySet<Route['page']> = new Set(['join', 'facilitate', 'board', 'agreed'])

export function App() {
  const route = useRoute()
  useFocusHeadingOnRouteChange(JSON.stringify(route))
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <SupportBar workshopId={workshopIdOf(route)} canLeave={LEAVE_PAGES.has(route.page)} />
      <Page route={route} />
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
      return <LeftPage workshopId={route.workshopId} />
    case 'my-ideas':
      return <MyIdeasPage workshopId={route.workshopId} />
    case 'programme':
      return <ProgrammePage programmeId={route.programmeId} />
    case 'not-found':
      return <NotFoundPage />
  }
}
