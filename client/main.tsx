import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { guardAfterQuickExit } from './leave/deviceData.ts'
import { parseRoute } from './router.tsx'
import { loadWorkshopChunk, prefetchWorkshopChunk } from './workshop/workshopChunk.ts'
import './styles.css'

// After a quick exit, Back must not draw the workshop even for a moment.
if (!guardAfterQuickExit()) {
  // The workshop's code is a chunk of its own: opening a workshop directly, it is fetched at
  // once; on the join page, as soon as the page has loaded (the page's own effect comes later).
  const { page } = parseRoute(window.location.pathname)
  if (page === 'board') void loadWorkshopChunk().catch(() => undefined)
  else if (page === 'join') prefetchWorkshopChunk()
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
}
