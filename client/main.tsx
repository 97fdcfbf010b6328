import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { guardAfterQuickExit } from './leave/deviceData.ts'
import { parseRoute } from './router.tsx'
import { loadWorkshopChunk } from './workshop/workshopChunk.ts'
import './styles.css'

// After a quick exit, Back must not draw the workshop even for a moment.
if (!guardAfterQuickExit()) {
  // The workshop's code is a chunk of its own. On the join page it is fetched once the page has
  // loaded (asked for earlier, it would hold back the load event and the entry's own download);
  // opening a workshop directly, at once.
  const { page } = parseRoute(window.location.pathname)
  const prefetch = () => void loadWorkshopChunk().catch(() => undefined)
  if (page === 'board' || (page === 'join' && document.readyState === 'complete')) prefetch()
  else if (page === 'join') window.addEventListener('load', prefetch, { once: true })
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
}
