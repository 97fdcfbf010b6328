import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { guardAfterQuickExit } from './leave/deviceData.ts'
import { parseRoute } from './router.tsx'
import { loadWorkshopChunk } from './workshop/workshopChunk.ts'
import './styles.css'

// After a quick exit, Back must not draw the workshop even for a moment.
if (!guardAfterQuickExit()) {
  // Opening a workshop directly: its code (a chunk of its own) downloads while React starts.
  if (parseRoute(window.location.pathname).page === 'board') void loadWorkshopChunk().catch(() => undefined)
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
}
