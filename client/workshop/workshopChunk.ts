import type * as Chunk from './workshopEntry.ts'

let loading: Promise<typeof Chunk> | null = null
let loaded: typeof Chunk | null = null

/**
 * The workshop page and the code that opens its docs (Yjs) are one chunk, out of the entry
 * script: a phone on the join page draws the form without them, then fetches them while the
 * person reads and presses "Join the workshop". One promise shared by every caller; a failed
 * fetch is asked again next time.
 */
export function loadWorkshopChunk(): Promise<typeof Chunk> {
  loading ??= import('./workshopEntry.ts').then(
    (chunk) => (loaded = chunk),
    (error: unknown) => {
      loading = null
      throw error
    },
  )
  return loading
}

/**
 * The chunk if it has arrived. Rendering it directly, rather than through `React.lazy`, matters:
 * a lazy component suspends at least once even when its code is here, and React then holds the
 * page back for up to 300 ms after showing the fallback (it throttles Suspense reveals).
 */
export const workshopChunkIfLoaded = (): typeof Chunk | null => loaded

/**
 * Fetches the chunk once the page has loaded: asked for earlier, its preload links would hold
 * back the load event and share the slow link with the entry script.
 */
export function prefetchWorkshopChunk(): void {
  const prefetch = () => void loadWorkshopChunk().catch(() => undefined)
  if (document.readyState === 'complete') prefetch()
  else window.addEventListener('load', prefetch, { once: true })
}
