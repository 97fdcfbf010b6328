import type { KeyboardEvent } from 'react'

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])'

/** The next (or previous) focusable element outside `container`, in page order. */
function neighbourOutside(container: HTMLElement, backwards: boolean): HTMLElement | null {
  const all = [...document.querySelectorAll<HTMLElement>(TABBABLE)].filter((element) => !container.contains(element) && element.getClientRects().length > 0 && !element.closest('[inert]'))
  const after = all.filter((element) => container.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING)
  const before = all.filter((element) => container.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_PRECEDING)
  return backwards ? (before.at(-1) ?? null) : (after[0] ?? null)
}

/**
 * No keyboard trap on the canvas (L4): inside it, Tab moves between shapes, as tldraw intends;
 * Escape and then Tab (or Shift+Tab) leaves it for the next control on the page. Runs in the
 * capture phase so tldraw never sees that Tab.
 */
export function createCanvasExit(): (event: KeyboardEvent<HTMLElement>) => void {
  let armed = false
  return (event) => {
    if (event.key === 'Escape') {
      armed = true
      return
    }
    if (event.key !== 'Tab' || !armed) {
      if (event.key !== 'Shift') armed = false
      return
    }
    armed = false
    const target = neighbourOutside(event.currentTarget, event.shiftKey)
    if (!target) return
    event.preventDefault()
    event.stopPropagation()
    target.focus()
  }
}
