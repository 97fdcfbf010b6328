import { useEffect, useRef } from 'react'

/** Long enough for a workshop to connect; after that, someone has surely moved on. */
const WAIT_FOR_HEADING_MS = 30_000

/** Focus `heading` as a place to start from (not a control): it takes focus without joining the Tab order. */
export function focusHeading(heading: HTMLElement | null): void {
  if (!heading) return
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1
  heading.focus()
}

/** Nobody has put focus anywhere yet (it fell to the page when the last view went away). */
const focusIsLost = () => document.activeElement === null || document.activeElement === document.body

/**
 * After an in-page route change (2.4.3, 4.1.3) focus would fall to `body` and nothing would be
 * read: move it to the new view's heading as soon as that is on screen (a workshop shows one only
 * once it has connected), so it is read and Tab starts from there. Never pulls focus away from
 * something the person already chose. A full page load is left to the browser.
 */
export function useFocusHeadingOnRouteChange(routeKey: string): void {
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    const root = document.getElementById('root') ?? document.body
    const tryFocus = () => {
      const heading = root.querySelector<HTMLElement>('h1')
      if (!heading) return false
      if (focusIsLost()) focusHeading(heading)
      return true
    }
    if (tryFocus()) return
    const observer = new MutationObserver(() => {
      if (tryFocus()) stop()
    })
    const timeout = setTimeout(() => stop(), WAIT_FOR_HEADING_MS)
    const stop = () => {
      observer.disconnect()
      clearTimeout(timeout)
    }
    observer.observe(root, { childList: true, subtree: true })
    return stop
  }, [routeKey])
}

/**
 * For a view that covers the page for a while (a break): on the way out, focus goes back to the
 * control that opened it, or to the page heading if that is gone, instead of falling to `body`.
 */
export function useReturnFocusOnClose(): void {
  const opener = useRef<Element | null>(typeof document === 'undefined' ? null : document.activeElement)
  useEffect(
    () => () => {
      // After the cover is gone and the page is no longer inert.
      queueMicrotask(() => {
        const back = opener.current
        if (back instanceof HTMLElement && back.isConnected && !back.closest('[inert]') && back !== document.body) back.focus()
        else if (focusIsLost()) focusHeading(document.querySelector<HTMLElement>('h1'))
      })
    },
    [],
  )
}

/** Where a heading stands for the part of the page around it. */
const PART_OF_PAGE = 'section, article, [role="region"], [role="group"], [role="dialog"], dialog, li, main'
const CONTROLS = 'button:not([disabled]), a[href], input:not([disabled]), textarea:not([disabled]), select:not([disabled])'

const isDisabled = (element: Element) => element.matches(':disabled')
const isShown = (element: Element) => element.getClientRects().length > 0
const canTakeFocus = (element: Element): element is HTMLElement =>
  element instanceof HTMLElement && element.isConnected && !isDisabled(element) && isShown(element) && !element.closest('[inert]')

/** The control after `element` in its part of the page (or else the one before), to carry on from. */
function neighbour(element: Element, part: Element): HTMLElement | null {
  const controls = [...part.querySelectorAll<HTMLElement>(CONTROLS)].filter(canTakeFocus)
  const after = controls.find((control) => element.compareDocumentPosition(control) & Node.DOCUMENT_POSITION_FOLLOWING)
  return after ?? controls.reverse().find((control) => element.compareDocumentPosition(control) & Node.DOCUMENT_POSITION_PRECEDING) ?? null
}

/**
 * When the control that had focus is taken off the page (a button that swaps for a question, a
 * row that moves to another list, a box that closes, something the facilitator ended), focus
 * fell to `body`: the next Tab started at the top and a screen reader said nothing. This puts
 * it back on the control if it only moved (a row reordered), on the next control beside it if
 * it became disabled or hidden, or else on the nearest part of the page still there: its first
 * control or heading. It acts only while focus is lost, so a view that places focus itself
 * (later, in an effect) still wins. Installed once, for every page (App.tsx).
 */
export function useFocusRescue(): void {
  useEffect(() => {
    const root = document.getElementById('root') ?? document.body
    let focused: Element | null = null
    let ancestors: Element[] = []
    const remember = (event: FocusEvent) => {
      focused = event.target as Element | null
      ancestors = []
      for (let at = focused?.parentElement; at && at !== root; at = at.parentElement) ancestors.push(at)
    }
    const forget = (event: FocusEvent) => {
      // Focus that left on purpose (a click on empty space, another window) stays where it went:
      // the control is still there, usable and shown. Chrome also says "focusout" just before it
      // takes a control off the page, so look once the change is done (before the observer does).
      const target = event.target as Element | null
      if (event.relatedTarget !== null || !target || target !== focused) return
      queueMicrotask(() => {
        if (focused === target && canTakeFocus(target)) {
          focused = null
          ancestors = []
        }
      })
    }
    const rescue = () => {
      if (!focusIsLost() || !focused) return
      const was = focused
      const kept = ancestors
      focused = null
      ancestors = []
      if (was.isConnected) {
        if (was.closest('[inert]')) return
        // Moved (a list reordered): the same control, where it is now.
        if (canTakeFocus(was)) return was.focus()
        const part = was.closest<HTMLElement>(PART_OF_PAGE)
        const next = part && neighbour(was, part)
        if (next) return next.focus()
      }
      // Only when the control itself left the page: focus that fell to the page because someone
      // clicked empty space stays where they put it.
      const remaining = kept.find((element) => element.isConnected)
      const part = remaining?.closest<HTMLElement>(PART_OF_PAGE)
      if (!part || part.closest('[inert]')) return
      const heading = part.querySelector<HTMLElement>('h1, h2, h3, h4')
      if (heading) return focusHeading(heading)
      part.querySelector<HTMLElement>(CONTROLS)?.focus()
    }
    // A disabled or hidden control loses focus when the browser next lays the page out, after
    // the change itself: look again once that has happened.
    let later: ReturnType<typeof setTimeout> | undefined
    const observer = new MutationObserver(() => {
      rescue()
      clearTimeout(later)
      later = setTimeout(rescue, 50)
    })
    document.addEventListener('focusin', remember)
    document.addEventListener('focusout', forget)
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled', 'hidden'] })
    return () => {
      document.removeEventListener('focusin', remember)
      document.removeEventListener('focusout', forget)
      observer.disconnect()
      clearTimeout(later)
    }
  }, [])
}
