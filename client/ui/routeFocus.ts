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
