import type { Editor, TLShapeId } from 'tldraw'
import { IDEA_CARD_TYPE, sectionIdOfFrame } from '../../shared/boardRecords.ts'
import type { IdeaCardShape } from './IdeaCardShape.tsx'

/**
 * Grouping by dragging, as on a wall: a card let go with its middle over another card of the
 * same section goes into a theme with it. The server decides (and refuses after the vote opens).
 * The card is then laid just below the one it joined, as people stack notes on a wall: left
 * where it was dropped, it covered that card and the theme looked like one idea (December UX review).
 */
export function groupOnDrop(editor: Editor, putWith: (sectionId: string, ideaId: string, withIdeaId: string) => void): () => void {
  let dragged: TLShapeId[] = []
  const onEvent = (info: { type: string; name: string }) => {
    if (info.type !== 'pointer') return
    if (info.name === 'pointer_down') dragged = []
    if (info.name === 'pointer_move' && editor.isIn('select.translating')) dragged = editor.getSelectedShapeIds()
    if (info.name !== 'pointer_up' || dragged.length !== 1) return
    const moved = editor.getShape(dragged[0]!) as IdeaCardShape | undefined
    dragged = []
    if (!moved || moved.type !== IDEA_CARD_TYPE) return
    const centre = editor.getShapePageBounds(moved.id)?.center
    if (!centre) return
    const target = editor
      .getCurrentPageShapes()
      .find((shape): shape is IdeaCardShape => shape.type === IDEA_CARD_TYPE && shape.id !== moved.id && shape.parentId === moved.parentId && (editor.getShapePageBounds(shape.id)?.containsPoint(centre) ?? false))
    const sectionId = sectionIdOfFrame(moved.parentId)
    if (!target || !sectionId) return
    putWith(sectionId, moved.props.ideaId, target.props.ideaId)
    layBelow(editor, moved, target)
  }
  editor.on('event', onEvent)
  return () => {
    editor.off('event', onEvent)
  }
}

/** Gap between stacked cards, in board units. */
const STACK_GAP = 12

/** Moves `moved` under `target`, past any card already there, so neither covers the other. */
function layBelow(editor: Editor, moved: IdeaCardShape, target: IdeaCardShape): void {
  const own = editor.getShapePageBounds(moved.id)
  const under = editor.getShapePageBounds(target.id)
  if (!own || !under) return
  const others = editor
    .getCurrentPageShapes()
    .filter((shape) => shape.type === IDEA_CARD_TYPE && shape.id !== moved.id && shape.parentId === moved.parentId)
    .flatMap((shape) => editor.getShapePageBounds(shape.id) ?? [])
  let top = under.maxY + STACK_GAP
  // Past the cards already stacked there (a bounded number of steps: a section holds few cards).
  for (let step = 0; step < 50; step++) {
    const blocking = others.find((bounds) => bounds.minX < under.minX + own.w && bounds.maxX > under.minX && bounds.minY < top + own.h && bounds.maxY > top)
    if (!blocking) break
    top = blocking.maxY + STACK_GAP
  }
  editor.updateShape({ id: moved.id, type: moved.type, x: moved.x + (under.minX - own.minX), y: moved.y + (top - own.minY) })
}
