import { DefaultQuickActions, TldrawUiMenuActionItem, useCanRedo, useCanUndo, useEditor, useValue, type Editor, type TLUiOverrides } from 'tldraw'
import { IDEA_CARD_TYPE, isServerShapeId } from '../../shared/boardRecords.ts'
import { announce } from '../announce/announcer.ts'

export const ONLY_FACILITATOR_HIDES = 'Only the facilitator can hide an idea.'
export const CARDS_NOT_COPIED = 'An idea card cannot be copied: each idea is on the board once.'

/**
 * Whether the selection holds what the board guard keeps (protectServerShapes): an idea card, a
 * section, or a group or frame of one's own with a card inside. Deleting or copying it does nothing.
 */
export function selectionIsKept(editor: Editor): boolean {
  return editor.getSelectedShapeIds().some((id) => {
    if (isServerShapeId(id)) return true
    let card = false
    editor.visitDescendants(id, (child) => {
      if (editor.getShape(child)?.type === IDEA_CARD_TYPE) card = true
    })
    return card || editor.getShape(id)?.type === IDEA_CARD_TYPE
  })
}

/**
 * Delete and Duplicate (keys and buttons) on a participant's board: on their own notes as before;
 * on an idea card they did nothing and said nothing (WCAG 2.2 audit), so they say why.
 */
export const participantActions: TLUiOverrides['actions'] = (editor, actions) => {
  const refuse = (id: 'delete' | 'duplicate', words: string) => {
    const action = actions[id]
    if (!action) return {}
    return {
      [id]: {
        ...action,
        onSelect(source: Parameters<typeof action.onSelect>[0]) {
          if (selectionIsKept(editor)) return announce(words, 'assertive')
          return action.onSelect(source)
        },
      },
    }
  }
  return { ...actions, ...refuse('delete', ONLY_FACILITATOR_HIDES), ...refuse('duplicate', CARDS_NOT_COPIED) }
}

/** tldraw's "Actions" bar for participants: Delete and Duplicate are off while they would do nothing. */
export function ParticipantQuickActions() {
  const editor = useEditor()
  const canUndo = useCanUndo()
  const canRedo = useCanRedo()
  const canChange = useValue('delete or duplicate possible', () => editor.isIn('select') && editor.getSelectedShapeIds().length > 0 && !selectionIsKept(editor), [editor])
  return (
    <DefaultQuickActions>
      <TldrawUiMenuActionItem actionId="undo" disabled={!canUndo} />
      <TldrawUiMenuActionItem actionId="redo" disabled={!canRedo} />
      <TldrawUiMenuActionItem actionId="delete" disabled={!canChange} />
      <TldrawUiMenuActionItem actionId="duplicate" disabled={!canChange} />
    </DefaultQuickActions>
  )
}
