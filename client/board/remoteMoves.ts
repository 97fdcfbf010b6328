import { Mat, type Editor, type TLRecord, type TLShapeId } from 'tldraw'
import type { MoveDrawer } from '../sync/bindBoard.ts'

/** What a drawn card's element said before, given back when the canvas takes it over again. */
interface Drawn {
  element: HTMLElement
  transform: string
  clipPath: string
  willChange: string
}

/**
 * Draws other people's moves of a card straight onto its element, so a drag seen from afar costs
 * a style change instead of a pass of the whole canvas (tldraw checks every shape and re-renders
 * its shapes layer on each store change; at 300 cards that was most of a slow laptop's frame).
 * bindBoard decides when the moves reach the store; this only draws and undraws.
 *
 * Only cards nobody here is using: a selected or edited shape, one with children (a section:
 * its cards are separate elements) or one out of view goes through the store as before.
 */
export function drawRemoteMoves(editor: Editor): MoveDrawer {
  const drawn = new Map<TLRecord['id'], Drawn>()

  const elementOf = (id: TLShapeId): HTMLElement | null =>
    editor.getContainer().querySelector<HTMLElement>(`.tl-shape:not(.tl-shape-background)[data-shape-id="${CSS.escape(id)}"]`)

  const inUseHere = (id: TLShapeId) =>
    editor.getSelectedShapeIds().includes(id) ||
    editor.getEditingShapeId() === id ||
    editor.getCulledShapes().has(id) ||
    editor.getSortedChildIdsForParent(id).length > 0

  const release = (id: TLRecord['id']) => {
    const known = drawn.get(id)
    if (!known) return
    drawn.delete(id)
    // tldraw only writes a style when its own value changes, so the element must show the
    // store's value again before the move goes in: it then writes the new one, or keeps this.
    known.element.style.transform = known.transform
    known.element.style.clipPath = known.clipPath
    known.element.style.willChange = known.willChange
  }

  return {
    draw(next) {
      if (inUseHere(next.id)) return false
      let known = drawn.get(next.id)
      if (!known?.element.isConnected) {
        const element = elementOf(next.id)
        if (!element) return false
        known = { element, transform: element.style.transform, clipPath: element.style.clipPath, willChange: element.style.willChange }
        drawn.set(next.id, known)
        // Its own layer while it moves, so the compositor shifts it and the page is not repainted;
        // a clip for sticking out of its section was cut for where it was, so it goes until it rests.
        element.style.willChange = 'transform'
        element.style.clipPath = 'none'
      }
      // The same matrix tldraw would write once the store has the move (its parent does not move).
      const local = Mat.Identity().translate(next.x, next.y).rotate(next.rotation)
      known.element.style.transform = Mat.toCssString(Mat.Compose(editor.getShapeParentTransform(next.id), local))
      return true
    },
    release,
    stop() {
      for (const id of [...drawn.keys()]) release(id)
    },
  }
}
