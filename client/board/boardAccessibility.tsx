import { useEffect, useId, useLayoutEffect, useMemo, useState } from 'react'
import { useEditor, useValue, type Editor, type TLPageId, type TLShape, type TLShapeId } from 'tldraw'
import { IDEA_CARD_TYPE, sectionFrameId } from '../../shared/boardRecords.ts'
import { announce } from '../announce/announcer.ts'
import { useIdeaLookup } from './IdeaCardShape.tsx'
import './boardAccessibility.css'

/**
 * What the canvas is to a screen reader (issue 14, L2). tldraw renders shapes as one flat layer
 * sorted by id, so neither the sections nor the reading order survive in the DOM. Here the
 * accessibility tree gets them back: one group per section, in the workshop's order, titled,
 * owning (`aria-owns`) its idea cards in the order they sit on the board.
 */

/** The canvas's accessible name. Module-level: tldraw rebuilds its editor when `options` changes. */
export const BOARD_OPTIONS = { branding: 'Ideas board' } as const

/** Said once when focus moves into the canvas; not also its description, which was read on top of it. */
export const LEAVE_CANVAS_HINT =
  'You are on the ideas board. Tab moves between sections and cards. To leave the board, press Escape, then Tab. The List button at the top shows the same ideas as a list. On a selected card, P puts it with another card or in a theme.'

/** The DOM id of an idea card's element, for `aria-owns`. */
export const cardElementId = (shapeId: string) => `board-card-${shapeId.replace(/[^A-Za-z0-9_-]/g, '-')}`

interface Placed {
  id: string
  x: number
  y: number
  h: number
}

/** Top to bottom, then left to right: cards whose tops are within half a card of each other share a row. */
export function readingOrder(cards: readonly Placed[]): string[] {
  const byTop = [...cards].sort((a, b) => a.y - b.y || a.x - b.x)
  const rows: Placed[][] = []
  for (const card of byTop) {
    const row = rows.at(-1)
    if (row && Math.abs(card.y - row[0]!.y) < row[0]!.h / 2) row.push(card)
    else rows.push([card])
  }
  return rows.flatMap((row) => row.sort((a, b) => a.x - b.x).map((card) => card.id))
}

/** Idea cards directly inside `parentId`, in reading order, as element ids. */
function cardsIn(editor: Editor, parentId: TLShapeId | TLPageId): string[] {
  const cards = editor
    .getSortedChildIdsForParent(parentId)
    .map((id) => editor.getShape(id))
    .filter((shape): shape is TLShape => shape?.type === IDEA_CARD_TYPE)
    .map((shape) => ({ id: shape.id, x: shape.x, y: shape.y, h: (shape.props as { h: number }).h }))
  return readingOrder(cards).map(cardElementId)
}

interface OutlineGroup {
  key: string
  title: string
  owns: string[]
}

/** How soon the outline follows cards that moved. */
const OUTLINE_INTERVAL_MS = 250

/**
 * Rendered as tldraw's `OnTheCanvas`, first in the shapes layer: one titled group per section
 * (and one for cards moved out of every section), each owning its cards in reading order.
 */
export function BoardOutline() {
  const editor = useEditor()
  const lookup = useIdeaLookup()
  const id = useId()
  const pageId = useValue('current page', () => editor.getCurrentPageId(), [editor])
  const sectionsKey = [...lookup.sections.values()].map((s) => `${s.sectionId}:${s.title}`).join('|')
  // The same sections while their ids and titles are: a new lookup alone need not re-read the board.
  const sections = useMemo(() => [...lookup.sections.values()], [sectionsKey])
  // As text, so an unchanged outline re-renders nothing.
  const outlineNow = () => {
    const listed: OutlineGroup[] = sections.map((section) => ({ key: section.sectionId, title: section.title, owns: cardsIn(editor, sectionFrameId(section.sectionId) as TLShapeId) }))
    const loose = cardsIn(editor, pageId)
    return JSON.stringify(loose.length > 0 ? [...listed, { key: 'loose', title: 'Cards outside the sections', owns: loose }] : listed)
  }
  const [outline, setOutline] = useState(outlineNow)
  useLayoutEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const update = () => {
      timer = null
      setOutline(outlineNow())
    }
    update()
    // While people drag, cards move on every frame; reading all 300 each time cost more than
    // anything else of ours. The order is read again a few times a second instead.
    const stop = editor.store.listen(() => (timer ??= setTimeout(update, OUTLINE_INTERVAL_MS)), { scope: 'document' })
    return () => {
      stop()
      if (timer) clearTimeout(timer)
    }
  }, [editor, pageId, sections])
  const groups = useMemo(() => JSON.parse(outline) as OutlineGroup[], [outline])
  return (
    <div className="board-outline">
      {groups.map((group, index) => (
        <div key={group.key} role="group" aria-labelledby={`${id}-${index}`} aria-owns={group.owns.join(' ') || undefined} data-section-group={group.key}>
          <h2 id={`${id}-${index}`} className="visually-hidden">
            {group.title}
          </h2>
        </div>
      ))}
    </div>
  )
}

let quietReturn = false
/** A second entry within this long is the same visit. */
const HINT_REPEAT_MS = 1000

/**
 * Focus back on the canvas from the card panel ("Put with", Escape), without the "how to leave"
 * hint over what was just said. focusin fires inside `focus()`, so the flag covers exactly it.
 */
export function focusCanvasQuietly(editor: Editor): void {
  quietReturn = true
  try {
    editor.getContainer().focus()
  } finally {
    quietReturn = false
  }
}

/**
 * When focus enters the canvas from outside, say once how to get out again (no keyboard trap,
 * L4) and where the list is. The words also stay in the page, next to the canvas, to read again.
 */
export function useLeaveCanvasHint(wrapper: HTMLElement | null, editor: Editor | null): void {
  const hintId = useId()
  useEffect(() => {
    if (!wrapper || !editor) return
    const hint = document.createElement('p')
    hint.id = `${hintId}-leave`
    hint.className = 'visually-hidden'
    hint.textContent = LEAVE_CANVAS_HINT
    wrapper.append(hint)
    // "Go to the board" focuses the canvas twice in quick succession: one visit, said once.
    let saidAt = -Infinity
    const onFocusIn = (event: FocusEvent) => {
      const from = event.relatedTarget
      if (from instanceof Node && wrapper.contains(from)) return
      // Back from the card's own panel: the person is still working on the board.
      if (quietReturn || (from instanceof Element && from.closest('.selected-card'))) return
      if (performance.now() - saidAt < HINT_REPEAT_MS) return
      saidAt = performance.now()
      announce(LEAVE_CANVAS_HINT)
    }
    wrapper.addEventListener('focusin', onFocusIn)
    return () => {
      wrapper.removeEventListener('focusin', onFocusIn)
      hint.remove()
    }
  }, [wrapper, editor, hintId])
}
