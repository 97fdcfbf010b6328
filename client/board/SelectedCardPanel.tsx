import { useEffect, useId, useState } from 'react'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import { IDEA_CARD_TYPE } from '../../shared/boardRecords.ts'
import { announce } from '../announce/announcer.ts'
import { setNoteOpen } from '../participate/openedNotes.ts'
import { describeIdeaCard, isUnfolded, type IdeaCardShape, type IdeaLookup } from './IdeaCardShape.tsx'

const GAP = 20
/** Matches `.selected-card` in styles.css. */
const PANEL_WIDTH = 288
const MARGIN = 12

/**
 * Where the panel floats: beside the card on screen (right, else left), kept inside the canvas.
 * It floats over the canvas, so opening it never moves the card that was just dropped.
 */
function besideCard(editor: Editor, shapeId: TLShapeId): { left: number; top: number } | null {
  const bounds = editor.getShapePageBounds(shapeId)
  if (!bounds) return null
  const screen = editor.getViewportScreenBounds()
  const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
  const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
  const fitsRight = bottomRight.x + MARGIN + PANEL_WIDTH <= screen.w - MARGIN
  const left = fitsRight ? bottomRight.x + MARGIN : Math.max(MARGIN, topLeft.x - MARGIN - PANEL_WIDTH)
  const top = Math.min(Math.max(MARGIN, topLeft.y), Math.max(MARGIN, screen.h - 240))
  return { left: Math.round(left), top: Math.round(top) }
}

/**
 * The card chosen last on the canvas, in words, with a way to move it that needs no dragging
 * (L5): put it next to another card of the same section. It stays after Escape, so keyboard
 * users can leave the canvas (Escape, Shift+Tab) and find it here.
 */
export function SelectedCardPanel({
  editor,
  lookup,
  onPutWith,
}: {
  editor: Editor
  lookup: IdeaLookup
  onPutWith: ((sectionId: string, ideaId: string, withIdeaId: string) => void) | null
}) {
  const id = useId()
  const [target, setTarget] = useState('')
  const [chosenId, setChosenId] = useState<string | null>(null)
  const selectedId = useValue(
    'selected idea card',
    () => {
      const shapes = editor.getSelectedShapes()
      const only = shapes.length === 1 ? shapes[0] : undefined
      return only?.type === IDEA_CARD_TYPE ? only.id : null
    },
    [editor],
  )
  // Not while a pointer is down: a panel appearing under the pointer would catch the drag.
  const pointing = useValue('pointing', () => editor.inputs.getIsPointing(), [editor])
  useEffect(() => {
    if (selectedId && !pointing) setChosenId(selectedId)
  }, [selectedId, pointing])
  const selected = useValue('chosen idea card', () => (chosenId ? (editor.getShape(chosenId as TLShapeId) as IdeaCardShape | undefined) : undefined), [editor, chosenId])
  const place = useValue('selected card place', () => (selected ? besideCard(editor, selected.id) : null), [editor, selected])
  if (!selected) return null
  const idea = lookup.ideas.get(selected.props.ideaId)
  if (!idea) return null
  const label = (ideaId: string) => {
    const other = lookup.ideas.get(ideaId)
    if (!other) return 'an idea'
    return isUnfolded(other, lookup) ? other.text.slice(0, 80) : `an idea with a content note: ${other.contentNote}`
  }
  const neighbours = editor
    .getCurrentPageShapes()
    .filter((shape): shape is IdeaCardShape => shape.type === IDEA_CARD_TYPE && shape.id !== selected.id && shape.parentId === selected.parentId)
    .filter((shape) => lookup.ideas.has(shape.props.ideaId))

  const moveNextTo = () => {
    const other = neighbours.find((shape) => shape.id === target)
    if (!other) return announce('Choose a card to put it next to first.', 'assertive')
    // Not re-selected: tldraw would read the card out again over "Moved next to…".
    editor.updateShape({ id: selected.id, type: IDEA_CARD_TYPE, x: other.x + other.props.w + GAP, y: other.y })
    announce(`Moved next to: ${label(other.props.ideaId)}.`)
  }

  return (
    <section className="selected-card" aria-labelledby={`${id}-h`} data-testid="selected-card" style={place ?? undefined}>
      <h2 id={`${id}-h`}>{selectedId === selected.id ? 'Selected card' : 'The card you chose last'}</h2>
      <p>{describeIdeaCard(idea.ideaId, lookup)}</p>
      {!isUnfolded(idea, lookup) && (
        <button type="button" onClick={() => setNoteOpen(idea.ideaId, true)}>
          Show the idea
        </button>
      )}
      {neighbours.length > 0 && (
        <div className="move-row">
          <label htmlFor={`${id}-target`}>Put it next to</label>
          <select id={`${id}-target`} value={target} onChange={(event) => setTarget(event.target.value)}>
            <option value="">Choose a card…</option>
            {neighbours.map((shape) => (
              <option key={shape.id} value={shape.id}>
                {label(shape.props.ideaId)}
              </option>
            ))}
          </select>
          <button type="button" onClick={moveNextTo}>
            Move the card
          </button>
          {onPutWith && (
            <button
              type="button"
              onClick={() => {
                const other = neighbours.find((shape) => shape.id === target)
                if (!other) return announce('Choose a card to put it with first.', 'assertive')
                onPutWith(idea.sectionId, idea.ideaId, other.props.ideaId)
              }}
            >
              Put in a theme with it
            </button>
          )}
        </div>
      )}
      <button
        type="button"
        onClick={() => {
          setChosenId(null)
          editor.selectNone()
        }}
      >
        Close
      </button>
    </section>
  )
}
