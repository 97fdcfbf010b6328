import { DefaultQuickActions, TldrawUiMenuActionItem, useCanRedo, useCanUndo, useEditor, useValue, type Editor, type TLShapeId, type TLUiOverrides } from 'tldraw'
import { isKeptShape } from './serverShapes.ts'
import { announce } from '../announce/announcer.ts'

export const ONLY_FACILITATOR_HIDES = 'Only the facilitator can hide an idea.'
export const CARDS_NOT_COPIED = 'An idea card cannot be copied: each idea is on the board once.'

/** The selected shapes the board guard keeps: deleting or copying them does nothing. */
function keptInSelection(editor: Editor): Set<TLShapeId> {
  return new Set(editor.getSelectedShapeIds().filter((id) => isKeptShape(editor, id)))
}

/**
 * Delete and Duplicate (keys and buttons) on a participant's board: on an idea card they did
 * nothing and said nothing (WCAG 2.2 audit), so they say why. The rest of a mixed selection (a
 * person's own notes, say) is still deleted or copied, as before.
 */
export const participantActions: NonNullable<TLUiOverrides['actions']> = (editor, actions) => {
  const refuse = (id: 'delete' | 'duplicate', words: string) => {
    const action = actions[id]
    if (!action) return {}
    return {
      [id]: {
        ...action,
        onSelect(source: Parameters<typeof action.onSelect>[0]) {
          const kept = keptInSelection(editor)
          if (kept.size === 0) return action.onSelect(source)
          announce(words, 'assertive')
          const rest = editor.getSelectedShapeIds().filter((shapeId) => !kept.has(shapeId))
          if (rest.length === 0) return
          editor.setSelectedShapes(rest)
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
  const canChange = useValue('delete or duplicate possible', () => editor.isIn('select') && editor.getSelectedShapeIds().length > keptInSelection(editor).size, [editor])
  return (
    <DefaultQuickActions>
      <TldrawUiMenuActionItem actionId="undo" disabled={!canUndo} />
      <TldrawUiMenuActionItem actionId="redo" disabled={!canRedo} />
      <TldrawUiMenuActionItem actionId="delete" disabled={!canChange} />
      <TldrawUiMenuActionItem actionId="duplicate" disabled={!canChange} />
    </DefaultQuickActions>
  )
}
