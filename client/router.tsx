import { useEffect, useState } from 'react'
import { clearAnnouncements } from './announce/announcer.ts'

/** Tiny history router: a handful of routes do not need a library. */
export type Route =
  | { page: 'home' }
  | { page: 'join'; workshopId: string }
  | { page: 'facilitate'; workshopId: string }
  | { page: 'board'; workshopId: string }
  | { page: 'agreed'; workshopId: string }
  | { page: 'present'; workshopId: string }
  | { page: 'left'; workshopId: string }
  | { page: 'privacy' }
  | { page: 'programme'; programmeId: string }
  | { page: 'my-ideas'; workshopId: string }
  | { page: 'not-found' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' }
  if (pathname === '/privacy' || pathname === '/privacy/') return { page: 'privacy' }
  const programme = pathname.match(/^\/p\/([A-Za-z0-9_-]{1,64})\/?$/)
  if (programme) return { page: 'programme', programmeId: programme[1]! }
  const match = pathname.match(/^\/w\/([A-Za-z0-9_-]{1,64})(?:\/(join|facilitate|agreed|present|left|my-ideas))?\/?$/)
  if (!match) return { page: 'not-found' }
  const workshopId = match[1]!
  if (match[2] === 'join') return { page: 'join', workshopId }
  if (match[2] === 'facilitate') return { page: 'facilitate', workshopId }
  if (match[2] === 'agreed') return { page: 'agreed', workshopId }
  if (match[2] === 'present') return { page: 'present', workshopId }
  if (match[2] === 'left') return { page: 'left', workshopId }
  if (match[2] === 'my-ideas') return { page: 'my-ideas', workshopId }
  return { page: 'board', workshopId }
}

export function navigate(path: string): void {
  window.history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname))
  useEffect(() => {
    const update = () => {
      // What was said on the last page is not left for someone to find on this one.
      clearAnnouncements()
      setRoute(parseRoute(window.location.pathname))
    }
    window.addEventListener('popstate', update)
    return () => window.removeEventListener('popstate', update)
  }, [])
  return route
}

export const workshopIdOf = (route: Route): string | null => ('workshopId' in route ? route.workshopId : null)

/** Sets the tab title for the current view (each view has its own). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} – Parity`
  }, [title])
}
