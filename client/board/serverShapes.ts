import { createElement } from 'react'
import { FrameShapeUtil, type Editor, type TLEditStartInfo, type TLFrameShape, type TLShape, type TLShapeId } from 'tldraw'
import { IDEA_CARD_TYPE, isSectionFrameId, isServerShapeId } from '../../shared/boardRecords.ts'

/**
 * Section frames are laid out by the facilitator through the workshop controls, not on the
 * canvas. They are not locked (tldraw would then move nothing inside them, cards included), so
 * they simply offer no handles and no title editing. Frames people draw themselves are unchanged.
 */
export class SectionFrameShapeUtil extends FrameShapeUtil {
  override canResize(shape: TLFrameShape) {
    return !isSectionFrameId(shape.id) && super.canResize(shape)
  }
  override hideResizeHandles(shape: TLFrameShape) {
    return isSectionFrameId(shape.id) || super.hideResizeHandles(shape)
  }
  override hideRotateHandle(shape: TLFrameShape) {
    return isSectionFrameId(shape.id) || super.hideRotateHandle(shape)
  }
  override canEdit(shape: TLFrameShape, info: TLEditStartInfo) {
    return !isSectionFrameId(shape.id) && super.canEdit(shape, info)
  }
  /**
   * A section cuts off only what sticks out of it. A card wholly inside gets no clip path: the
   * path is written in the card's own coordinates, so every move of a clipped card changes it,
   * and the browser then rebuilds the clipping for the whole canvas on that frame.
   */
  override shouldClipChild(child: TLShape) {
    if (!super.shouldClipChild(child)) return false
    // Section frames sit on the page, so a child's parent is the only frame that could clip it.
    const frame = isSectionFrameId(child.parentId) ? this.editor.getShape<TLFrameShape>(child.parentId as TLShapeId) : undefined
    if (!frame || child.rotation !== 0) return true
    const bounds = this.editor.getShapeGeometry(child).bounds
    return child.x + bounds.minX < 0 || child.y + bounds.minY < 0 || child.x + bounds.maxX > frame.props.w || child.y + bounds.maxY > frame.props.h
  }
  // A section's title is read once, as the name of its group (boardAccessibility.tsx), not again
  // as loose text among the shapes.
  override component(shape: TLFrameShape) {
    const frame = super.component(shape)
    return isSectionFrameId(shape.id) ? createElement('div', { 'aria-hidden': true, style: { display: 'contents' } }, frame) : frame
  }
}

/**
 * The one rule for what a person cannot delete or copy: the server's own shapes (idea cards,
 * sections) and any group or frame of their own with a card inside, which would take the card
 * with it. The guard below and the toolbar (participantActions.tsx) both ask this.
 */
export function isKeptShape(editor: Editor, id: TLShapeId): boolean {
  if (isServerShapeId(id) || editor.getShape(id)?.type === IDEA_CARD_TYPE) return true
  let found = false
  editor.visitDescendants(id, (child) => {
    if (editor.getShape(child)?.type === IDEA_CARD_TYPE) found = true
  })
  return found
}

/**
 * Keeps this person's edits within what the board guard accepts, so no ordinary gesture gets
 * their connection closed (4405): section frames stay exactly as the server wrote them, and idea
 * cards can be moved (into another frame too) but not deleted or copied. Only edits made here
 * are held back; the server's own changes arrive as remote ones and always apply.
 */
export function protectServerShapes(editor: Editor): () => void {
  const { sideEffects } = editor
  const stops = [
    // Moving, resizing, renaming, re-parenting: the previous record wins, so nothing is sent.
    sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => (source === 'user' && isSectionFrameId(prev.id) ? prev : next)),
    // Deleting a group or frame of one's own would take the cards inside with it.
    sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
      if (source === 'user' && isKeptShape(editor, shape.id)) return false
    }),
    // Copies (duplicate, paste, Alt+drag, undo after the server removed a card) vanish in the
    // same change, so they never reach the board.
    sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
      if (source === 'user' && shape.type === IDEA_CARD_TYPE) editor.store.remove([shape.id])
    }),
  ]
  return () => stops.forEach((stop) => stop())
}
