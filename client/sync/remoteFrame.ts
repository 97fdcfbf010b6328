import type { TLStore } from 'tldraw'

/**
 * Other people's changes (board records, pointers) are put into the canvas's store once per
 * frame, as one change: every store change makes tldraw re-check its shapes and React re-render
 * the shapes layer, so changes applied together cost that once, not once each.
 */
const queued = new Map<TLStore, Set<() => void>>()
let frame: number | null = null

function applyQueued(): void {
  frame = null
  const batches = [...queued]
  queued.clear()
  for (const [store, applies] of batches)
    store.mergeRemoteChanges(() => {
      for (const apply of applies) {
        // One failing apply (pointers, say) must not lose the board changes batched with it.
        try {
          apply()
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    })
}

/** Runs `apply` (which changes `store`) before the next frame is drawn, once however often asked. */
export function onNextFrame(store: TLStore, apply: () => void): void {
  let applies = queued.get(store)
  if (!applies) queued.set(store, (applies = new Set()))
  applies.add(apply)
  frame ??= requestAnimationFrame(applyQueued)
}

/** Forgets a queued `apply` (its binding stopped, or it already ran some other way). */
export function cancelNextFrame(store: TLStore, apply: () => void): void {
  queued.get(store)?.delete(apply)
}
