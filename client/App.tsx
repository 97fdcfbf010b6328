import { FacilitatePage } from './facilitate/FacilitatePage.tsx'
import { HomePage } from './home/HomePage.tsx'
import { AgreedPage } from './outcome/AgreedPage.tsx'
import { JoinPage } from './participate/JoinPage.tsx'
import { useRoute } from './router.tsx'
import { NotFoundPage } from './ui/NotFoundPage.tsx'
import { WorkshopPage } from './workshop/WorkshopPage.tsx'


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
      return <WorkshopPage workshopId={route.workshopId} />
    case 'agreed':
      return <AgreedPage workshopId={route.workshopId} />
    case 'not-found':
      return <NotFoundPage />
  }
}
