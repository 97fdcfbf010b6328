import type { Editor, TLShapeId } from 'tldraw'
import { IDEA_CARD_TYPE, sectionIdOfFrame } from '../../shared/boardRecords.ts'
import type { IdeaCardShape } from './IdeaCardShape.tsx'

/**
 * Grouping by dragging, as on a wall: a card let go with its middle over another card of the
 * same section goes into a theme with it. The server decides (and refuses after the vote opens);
 * the board itself only moves the card, as before.
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
    if (target && sectionId) putWith(sectionId, moved.props.ideaId, target.props.ideaId)
  }
  editor.on('event', onEvent)
  return () => {
    editor.off('event', onEvent)
  }
}
