import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { isNarrow as narrow } from '../ui/narrow.ts'

/**
 * On the board, the sections, voting and facilitator tools float over the canvas in a panel
 * that can be folded away: it never takes room from the canvas. It starts folded on phones,
 * where the board fills the screen. In the list view it is just the page.
 */
export function FloatingPanel({ floating, followSectionId = null, children }: { floating: boolean; followSectionId?: string | null; children: ReactNode }) {
  const id = useId()
  const [open, setOpen] = useState(() => !narrow())
  const toggle = useRef<HTMLButtonElement>(null)
  const body = useRef<HTMLDivElement>(null)
  // The section the room is on comes to the panel's top when it changes: the panel stayed on
  // the first section ("Done") while the header said another was voting (December UX review).
  // Only when it changes, and not while someone works or reads in the panel: their place is theirs.
  const readAt = useRef(-Infinity)
  useEffect(() => {
    const panel = body.current
    if (!floating || !followSectionId || !panel || panel.contains(document.activeElement) || performance.now() - readAt.current < READING_MS) return
    const card = panel.querySelector<HTMLElement>(`[data-section="${CSS.escape(followSectionId)}"]`)
    if (card) panel.scrollTop += card.getBoundingClientRect().top - panel.getBoundingClientRect().top
  }, [floating, followSectionId])
  const reading = () => {
    readAt.current = performance.now()
  }
  // On phones the board's tools sit just under this button (styles.css, .board-tools), which
  // grows with the text size: its bottom edge, kept up to date, for the layout beside it.
  useEffect(() => {
    const button = toggle.current
    const holder = button?.parentElement?.parentElement
    if (!floating || !button || !holder) return
    const observer = new ResizeObserver(() => {
      holder.style.setProperty('--panel-toggle-bottom', `${Math.ceil(button.getBoundingClientRect().bottom - holder.getBoundingClientRect().top)}px`)
    })
    observer.observe(button)
    return () => {
      observer.disconnect()
      holder.style.removeProperty('--panel-toggle-bottom')
    }
  }, [floating])
  if (!floating) return <>{children}</>
  return (
    <aside className={`floating-panel${open ? ' open' : ''}`} aria-label="Sections and tools">
      <button type="button" ref={toggle} className="panel-toggle" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen(!open)}>
        {open ? 'Fold the panel away' : 'Show sections and tools'}
      </button>
      <div id={`${id}-body`} ref={body} className="floating-panel-body" hidden={!open} onWheel={reading} onTouchMove={reading} onPointerDown={reading}>
        {children}
      </div>
    </aside>
  )
}

/** Someone who scrolled or touched the panel this recently is reading it: it does not jump. */
const READING_MS = 10_000
