import type { Editor, TLShapeId } from 'tldraw'
import { IDEA_CARD_TYPE, sectionIdOfFrame } from '../../shared/boardRecords.ts'
import type { IdeaCardShape } from './IdeaCardShape.tsx'

/**
 * Grouping by dragging, as on a wall: a card let go with its middle over another card of the
 * same section goes into a theme with it. The server decides (and refuses after the vote opens).
 * The card is then laid just below the one it joined, as people stack notes on a wall: left
 * where it was dropped, it covered that card and the theme looked like one idea (December UX review).
 */
export function groupOnDrop(editor: Editor, putWith: (sectionId: string, ideaId: string, withIdeaId: string) => Promise<boolean>): () => void {
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
    // Laid out only once the server agrees: a refused drop (the vote is open) stays where it fell.
    void putWith(sectionId, moved.props.ideaId, target.props.ideaId).then((grouped) => {
      const card = editor.getShape<IdeaCardShape>(moved.id)
      const under = editor.getShape<IdeaCardShape>(target.id)
      if (grouped && card && under) layBeside(editor, card, under)
    })
  }
  editor.on('event', onEvent)
  return () => {
    editor.off('event', onEvent)
  }
}

/** Gap between stacked cards, in board units. */
const STACK_GAP = 12

/**
 * Moves `moved` just below `target`, or else just to its right, whichever place is free and
 * inside the section's frame (a frame hides what sticks out of it). If neither is, the card
 * stays where it was dropped.
 */
function layBeside(editor: Editor, moved: IdeaCardShape, target: IdeaCardShape): void {
  const own = editor.getShapePageBounds(moved.id)
  const next = editor.getShapePageBounds(target.id)
  const frame = editor.getShapePageBounds(moved.parentId as TLShapeId)
  if (!own || !next || !frame) return
  const others = editor
    .getCurrentPageShapes()
    .filter((shape) => shape.type === IDEA_CARD_TYPE && shape.id !== moved.id && shape.parentId === moved.parentId)
    .flatMap((shape) => editor.getShapePageBounds(shape.id) ?? [])
  const places = [
    { x: next.minX, y: next.maxY + STACK_GAP },
    { x: next.maxX + STACK_GAP, y: next.minY },
  ]
  const fits = ({ x, y }: { x: number; y: number }) =>
    x >= frame.minX && y >= frame.minY && x + own.w <= frame.maxX && y + own.h <= frame.maxY && !others.some((other) => other.minX < x + own.w && other.maxX > x && other.minY < y + own.h && other.maxY > y)
  const place = places.find(fits)
  if (!place) return
  editor.updateShape({ id: moved.id, type: moved.type, x: moved.x + (place.x - own.minX), y: moved.y + (place.y - own.minY) })
}
