import { useId, useRef, useState, type ReactNode } from 'react'

/**
 * The header's actions: in a row on wider screens; on phones (issue 14, item 7) behind one
 * "Menu: take a break, …" button that names what it holds, so the header stays short and the first section starts on the first screen at
 * 320 px (400 % zoom). "Get support" stays outside, first on every screen (SupportBar).
 */
export function HeaderActions({ contents, children }: { contents: string; children: ReactNode }) {
  const id = useId()
  const [open, setOpen] = useState(false)
  const toggle = useRef<HTMLButtonElement>(null)
  return (
    <div className="header-actions" data-open={open}>
      <button type="button" ref={toggle} className="header-menu-toggle" aria-expanded={open} aria-controls={`${id}-items`} onClick={() => setOpen(!open)}>
        {/* What is inside is in the words, so a first-time phone user finds "Take a break" here. */}
        {open ? 'Close the menu' : `Menu: ${contents}`}
      </button>
      <div
        id={`${id}-items`}
        className="header-actions-items"
        onKeyDown={(event) => {
          if (event.key !== 'Escape' || !open) return
          setOpen(false)
          toggle.current?.focus()
        }}
      >
        {children}
      </div>
    </div>
  )
}
