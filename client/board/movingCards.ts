import type { Editor, TLShape, TLShapeId } from 'tldraw'

/** A card someone else moved keeps its own layer this long after their last move. */
const MOVING_FOR_MS = 1000

/**
 * While other people drag cards, each of their moves changes a card's position on the canvas.
 * For a card drawn on the canvas's shared layer, the browser repaints that layer and rebuilds its
 * list of layers on every such move; a card on a layer of its own is only shifted by the compositor.
 * So a card moved remotely gets its own layer (`will-change: transform`) until it rests again.
 * Only moving cards: giving all 300 cards layers made every frame slower (docs/performance.md).
 */
export function layerRemoteMoves(editor: Editor): () => void {
  const movedAt = new Map<TLShapeId, number>()
  const elements = new Map<TLShapeId, HTMLElement>()
  let timer: ReturnType<typeof setTimeout> | null = null

  const elementOf = (id: TLShapeId): HTMLElement | null => {
    const known = elements.get(id)
    if (known?.isConnected) return known
    const found = editor.getContainer().querySelector<HTMLElement>(`.tl-shape[data-shape-id="${CSS.escape(id)}"]`)
    if (found) elements.set(id, found)
    else elements.delete(id)
    return found
  }
  const settle = () => {
    timer = null
    const now = performance.now()
    for (const [id, at] of movedAt) {
      if (now - at < MOVING_FOR_MS) continue
      movedAt.delete(id)
      const element = elementOf(id)
      if (element) element.style.removeProperty('will-change')
      elements.delete(id)
    }
    if (movedAt.size > 0) timer = setTimeout(settle, MOVING_FOR_MS / 2)
  }
  const moved = (before: TLShape, after: TLShape) => before.x !== after.x || before.y !== after.y || before.rotation !== after.rotation

  const stop = editor.store.listen(
    ({ changes }) => {
      const now = performance.now()
      for (const [before, after] of Object.values(changes.updated)) {
        if (after.typeName !== 'shape' || before.typeName !== 'shape' || !moved(before, after)) continue
        if (!movedAt.has(after.id)) elementOf(after.id)?.style.setProperty('will-change', 'transform')
        movedAt.set(after.id, now)
      }
      if (movedAt.size > 0) timer ??= setTimeout(settle, MOVING_FOR_MS / 2)
    },
    { source: 'remote', scope: 'document' },
  )
  return () => {
    stop()
    if (timer) clearTimeout(timer)
    for (const id of movedAt.keys()) elementOf(id)?.style.removeProperty('will-change')
    movedAt.clear()
    elements.clear()
  }
}
