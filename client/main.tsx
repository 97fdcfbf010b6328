import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import { guardAfterQuickExit } from './leave/deviceData.ts'
import './styles.css'

// After a quick exit, Back must not draw the workshop even for a moment.
if (!guardAfterQuickExit())
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
