import { useId, useState, type ReactNode } from 'react'

const narrow = () => window.matchMedia('(max-width: 700px)').matches

/**
 * On the board, the sections, voting and facilitator tools float over the canvas in a panel
 * that can be folded away: it never takes room from the canvas. It starts folded on phones,
 * where the board fills the screen. In the list view it is just the page.
 */
export function FloatingPanel({ floating, children }: { floating: boolean; children: ReactNode }) {
  const id = useId()
  const [open, setOpen] = useState(() => !narrow())
  if (!floating) return <>{children}</>
  return (
    <aside className={`floating-panel${open ? ' open' : ''}`} aria-label="Sections and tools">
      <button type="button" className="panel-toggle" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)}>
        {open ? 'Fold the panel away' : 'Show sections and tools'}
      </button>
      <div id={`${id}-body`} className="floating-panel-body" hidden={!open}>
        {children}
      </div>
    </aside>
  )
}
