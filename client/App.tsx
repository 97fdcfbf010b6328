import { lazy, Suspense } from 'react'
import { FacilitatePage } from './facilitate/FacilitatePage.tsx'
import { HomePage } from './home/HomePage.tsx'
import { JoinPage } from './participate/JoinPage.tsx'
import { useRoute } from './router.tsx'
import { Loading } from './ui/Loading.tsx'
import { NotFoundPage } from './ui/NotFoundPage.tsx'

// tldraw is most of the bundle: load it only when someone opens a board.
const BoardPage = lazy(() => import('./board/BoardPage.tsx'))

export function App() {
  const route = useRoute()
  switch (route.page) {
    case 'home':
      return <HomePage />
    case 'join':
      return <JoinPage workshopId={route.workshopId} />
    case 'facilitate':
      return <FacilitatePage workshopId={route.workshopId} />
    case 'board':
      return (
        <Suspense fallback={<Loading label="Opening the board…" />}>
          <BoardPage workshopId={route.workshopId} />
        </Suspense>
      )
    case 'not-found':
      return <NotFoundPage />
  }
}
