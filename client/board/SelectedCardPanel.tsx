import { useEffect, useId, useRef, useState, useSyncExternalStore, type CSSProperties, type KeyboardEvent as ReactKeyboardEvent } from 'react'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import { IDEA_CARD_TYPE } from '../../shared/boardRecords.ts'
import { announce } from '../announce/announcer.ts'
import { ballotsVersion, subscribeBallots } from '../participate/ballot.ts'
import { setNoteOpen } from '../participate/openedNotes.ts'
import type { PutWithTarget } from '../participate/themes.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { phaseAllows } from '../../shared/phases.ts'
import { focusCanvasQuietly } from './boardAccessibility.tsx'
import { CardVote } from './cardVote.tsx'
import { describeIdeaCard, isUnfolded, type IdeaCardShape, type IdeaLookup } from './IdeaCardShape.tsx'
import { sightShift } from './sightShift.ts'
import { SIDE_PANEL_BODY, sidePanelCover } from './clearArea.ts'

/** Puts an idea with another idea or into a theme; resolves to whether it worked (and says why not). */
export type PutWith = (sectionId: string, ideaId: string, target: PutWithTarget) => Promise<boolean>

/**
 * The named key for "Put with…" on the canvas: with one card selected, it opens the card panel's
 * "Put with" choice, so grouping never needs dragging. tldraw binds no plain P.
 */
export const PUT_WITH_KEY = 'p'

const GAP = 20
/** `.selected-card`'s width in styles.css, in rem: it grows with the reader's text size. */
const PANEL_REMS = 18
const MARGIN = 12

/** What the panel's place depends on besides the card, measured in the browser. */
interface PanelRoom {
  /** The panel's width beside a card. */
  width: number
  height: number
  /** Kept free at the foot of the canvas for tldraw's toolbar (Select, Hand, Note, Undo). */
  toolbar: number
  /** Kept free at the right for the open side panel, which is drawn over this one. */
  sidePanel: number
}

/**
 * Where the panel floats, wholly inside the canvas and clear of tldraw's toolbar and the open side
 * panel (which covered its "Put with…" at 1280 × 800, WCAG 2.2 audit): beside the card
 * on screen (right, else left). On a canvas less than two panels wide it takes the whole width
 * instead, under the card if there is room, else at the foot. It floats over the canvas, so
 * opening it never moves the card that was just dropped.
 */
function besideCard(editor: Editor, shapeId: TLShapeId, room: PanelRoom): CSSProperties | null {
  const bounds = editor.getShapePageBounds(shapeId)
  if (!bounds) return null
  const screen = editor.getViewportScreenBounds()
  const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
  const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
  // The lowest the panel's foot may go; the panel scrolls inside rather than grow past it.
  const floor = screen.h - room.toolbar - MARGIN
  const maxHeight = Math.max(0, Math.floor(Math.min(0.6 * screen.h, floor - MARGIN)))
  const top = (wanted: number) => Math.round(Math.max(MARGIN, Math.min(wanted, floor - room.height)))
  // Where a phone's side panel leaves no room for this one, it covers the board anyway.
  const cover = screen.w - room.sidePanel >= room.width + 2 * MARGIN ? room.sidePanel : 0
  const width = screen.w - cover
  if (width < 2 * room.width) {
    // Under the card, scrolling inside if need be, while that leaves it a useful height: pushed up
    // to its full height instead, it covered the card on a phone with large text.
    const below = Math.round(bottomRight.y + MARGIN)
    const docked = { left: MARGIN, right: MARGIN + cover, width: 'auto' }
    if (below >= MARGIN && floor + MARGIN - below >= dockedPanelRoom(room)) return { ...docked, top: below, maxHeight: Math.min(maxHeight, floor - below) }
    return { ...docked, top: top(below), maxHeight }
  }
  const fitsRight = bottomRight.x + MARGIN + room.width <= width - MARGIN
  const left = fitsRight ? bottomRight.x + MARGIN : topLeft.x - MARGIN - room.width
  return { left: Math.round(Math.max(MARGIN, Math.min(left, width - MARGIN - room.width))), top: top(topLeft.y), maxHeight }
}

/** Room a panel docked under a card needs below it (its gap included): its height, or half its width if taller. */
const dockedPanelRoom = (room: PanelRoom): number => MARGIN + Math.min(room.height, room.width / 2)

/** What floats over the board and could hide a card: tools, the panel's button, tldraw's toolbar. */
const FLOATING = '.board-tools, .panel-toggle, .tlui-layout__bottom'

/** Slides the view so the chosen card is clear of what floats over the board (see sightShift). */
function slideIntoSight(editor: Editor, shapeId: TLShapeId, covers: readonly DOMRect[], dockedRoom: number | null): void {
  const bounds = editor.getShapePageBounds(shapeId)
  if (!bounds) return
  const canvas = editor.getContainer().getBoundingClientRect()
  const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
  const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
  const card = { left: canvas.left + topLeft.x, right: canvas.left + bottomRight.x, top: canvas.top + topLeft.y, bottom: canvas.top + bottomRight.y }
  const shift = sightShift(card, canvas, covers, dockedRoom, MARGIN)
  if (Math.abs(shift) < 1) return
  const camera = editor.getCamera()
  editor.setCamera({ x: camera.x, y: camera.y + shift / camera.z, z: camera.z })
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
  workshopId,
}: {
  editor: Editor
  lookup: IdeaLookup
  onPutWith: PutWith | null
  /** For voting from the card (participants, while its section's vote is open). */
  workshopId?: string
}) {
  const id = useId()
  const [target, setTarget] = useState('')
  const [together, setTogether] = useState('')
  const [chosenId, setChosenId] = useState<string | null>(null)
  const [wantFocus, setWantFocus] = useState(false)
  const togetherBox = useRef<HTMLSelectElement>(null)
  const [panel, setPanel] = useState<HTMLElement | null>(null)
  const [room, setRoom] = useState<PanelRoom>({ width: 288, height: 240, toolbar: 0, sidePanel: 0 })
  /** Why "Put with" has nothing to offer for the chosen card, said when P finds no choice. */
  const nothingToChoose = useRef('There is no other card or theme in this section to put it with.')
  const onPutWithRef = useRef(onPutWith)
  onPutWithRef.current = onPutWith
  // The card's description includes the reader's own dots: it follows their ballot.
  useSyncExternalStore(subscribeBallots, ballotsVersion)

  // P on the canvas with one card selected: open "Put with" for that card (caught before tldraw).
  useEffect(() => {
    const container = editor.getContainer()
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== PUT_WITH_KEY || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return
      if (editor.getEditingShapeId()) return
      const shapes = editor.getSelectedShapes()
      const only = shapes.length === 1 ? shapes[0] : undefined
      if (only?.type !== IDEA_CARD_TYPE) return
      event.preventDefault()
      event.stopPropagation()
      if (!onPutWithRef.current) return announce('Putting ideas together is not open on this board.', 'assertive')
      setChosenId(only.id)
      setWantFocus(true)
    }
    container.addEventListener('keydown', onKey, true)
    return () => container.removeEventListener('keydown', onKey, true)
  }, [editor])
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
  // "The card you chose last" stays for a Tab into it, not once the person has gone elsewhere (the
  // side panel, the page): it stayed over the cards through later steps (December review).
  useEffect(() => {
    if (!chosenId || chosenId === selectedId) return
    const onFocus = (event: FocusEvent) => {
      const target = event.target as Node | null
      if (!target || panel?.contains(target) || editor.getContainer().contains(target)) return
      setChosenId(null)
    }
    document.addEventListener('focusin', onFocus)
    return () => document.removeEventListener('focusin', onFocus)
  }, [editor, panel, chosenId, selectedId])
  // The panel's real size (it grows with the text size and its contents), tldraw's toolbar and the
  // side panel (measured again as it opens or folds), for besideCard.
  useEffect(() => {
    if (!panel) return
    const container = editor.getContainer()
    const measure = () => {
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
      const toolbar = container.querySelector('.tlui-layout__bottom')
      const next: PanelRoom = {
        width: Math.ceil(PANEL_REMS * rem),
        height: panel.offsetHeight,
        toolbar: toolbar ? Math.max(0, Math.ceil(container.getBoundingClientRect().bottom - toolbar.getBoundingClientRect().top)) : 0,
        sidePanel: Math.ceil(sidePanelCover(container.getBoundingClientRect())),
      }
      setRoom((old) => (old.width === next.width && old.height === next.height && old.toolbar === next.toolbar && old.sidePanel === next.sidePanel ? old : next))
    }
    const observer = new ResizeObserver(measure)
    observer.observe(panel)
    observer.observe(container)
    const sidePanel = document.querySelector(SIDE_PANEL_BODY)
    if (sidePanel) observer.observe(sidePanel)
    return () => observer.disconnect()
  }, [editor, panel])
  const selected = useValue('chosen idea card', () => (chosenId ? (editor.getShape(chosenId as TLShapeId) as IdeaCardShape | undefined) : undefined), [editor, chosenId])
  const place = useValue('selected card place', () => (selected ? besideCard(editor, selected.id, room) : null), [editor, selected, room])
  // Once per card chosen (and when the panel's size settles), not on every move of the view: a
  // person panning on purpose is not pulled back.
  const selectedShapeId = selected?.id
  const docked = useRef(false)
  docked.current = place?.width === 'auto'
  useEffect(() => {
    if (!selectedShapeId || !panel || editor.inputs.getIsPointing()) return
    // Not the panel itself: docked, it goes under the card (besideCard); beside it, it never overlaps.
    const covers = [...document.querySelectorAll(FLOATING)].map((element) => element.getBoundingClientRect())
    slideIntoSight(editor, selectedShapeId, covers, docked.current ? dockedPanelRoom(room) : null)
  }, [editor, selectedShapeId, panel, room.width])
  // After P: into the "Put with" choice, saying what to do there (or why there is nothing to choose).
  useEffect(() => {
    if (!wantFocus) return
    setWantFocus(false)
    const box = togetherBox.current
    if (!box) return announce(nothingToChoose.current, 'assertive')
    box.focus()
    announce('Put with: choose another card or a theme with the arrow keys, then press Enter. Escape goes back to the card.')
  }, [wantFocus])
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

  // "Put with": the section's other themes, and its shown ideas in no theme (putting with an
  // idea that is in a theme is putting into that theme, so the theme stands for them).
  const current = lookup.themes.get(idea.ideaId)
  const sectionThemes = [...new Map([...lookup.themes.values()].filter((theme) => theme.sectionId === idea.sectionId).map((theme) => [theme.themeId, theme])).values()]
  const otherThemes = sectionThemes.filter((theme) => theme.themeId !== current?.themeId).sort((a, b) => a.name.localeCompare(b.name))
  const loneIdeas = [...lookup.ideas.values()].filter(
    (other) => other.ideaId !== idea.ideaId && other.sectionId === idea.sectionId && other.kind === 'idea' && other.status === 'published' && !lookup.themes.has(other.ideaId),
  )
  // Themes are settled before the vote: afterwards there is nothing to choose.
  const section = lookup.sections.get(idea.sectionId)
  const canGroup = onPutWith !== null && section !== undefined && phaseAllows(section.phase, 'group')
  const choices: { value: string; text: string; target: PutWithTarget }[] = canGroup
    ? [
        ...otherThemes.map((theme: PublicTheme) => ({ value: `theme:${theme.themeId}`, text: `Theme: ${theme.name}`, target: { themeId: theme.themeId } })),
        ...loneIdeas.map((other) => ({ value: `idea:${other.ideaId}`, text: label(other.ideaId), target: { withIdeaId: other.ideaId } })),
      ]
    : []
  nothingToChoose.current = canGroup
    ? 'There is no other card or theme in this section to put it with.'
    : `Ideas can be put together only before the vote: “${section?.title ?? 'this section'}” is past that step.`

  const putTogether = async () => {
    const choice = choices.find((c) => c.value === together)
    if (!choice || !onPutWith) return announce('Choose a card or a theme to put it with first.', 'assertive')
    if (await onPutWith(idea.sectionId, idea.ideaId, choice.target)) {
      setTogether('')
      // Back to the card, still selected, to carry on from there.
      focusCanvasQuietly(editor)
    }
  }
  const backToCard = (event: ReactKeyboardEvent) => {
    if (event.key !== 'Escape') return
    event.preventDefault()
    focusCanvasQuietly(editor)
    announce(`Back on the card: ${label(idea.ideaId)}.`)
  }

  const moveNextTo = () => {
    const other = neighbours.find((shape) => shape.id === target)
    if (!other) return announce('Choose a card to put it next to first.', 'assertive')
    // Not re-selected: tldraw would read the card out again over "Moved next to…".
    editor.updateShape({ id: selected.id, type: IDEA_CARD_TYPE, x: other.x + other.props.w + GAP, y: other.y })
    announce(`Moved next to: ${label(other.props.ideaId)}.`)
  }

  return (
    <section ref={setPanel} className="selected-card" aria-labelledby={`${id}-h`} data-testid="selected-card" style={place ?? undefined} onKeyDown={backToCard}>
      <h2 id={`${id}-h`}>{selectedId === selected.id ? 'Selected card' : 'The card you chose last'}</h2>
      <p>{describeIdeaCard(idea.ideaId, lookup)}</p>
      {!isUnfolded(idea, lookup) && (
        <button type="button" onClick={() => setNoteOpen(idea.ideaId, true)}>
          Show the idea
        </button>
      )}
      {workshopId && <CardVote workshopId={workshopId} idea={idea} lookup={lookup} />}
      {choices.length > 0 && (
        <div className="move-row put-with-row">
          <label htmlFor={`${id}-together`}>
            Put with… <kbd aria-hidden="true">P</kbd>
          </label>
          <select
            id={`${id}-together`}
            ref={togetherBox}
            value={together}
            aria-keyshortcuts="P"
            aria-describedby={`${id}-together-hint`}
            onChange={(event) => setTogether(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault()
                void putTogether()
              }
            }}
          >
            <option value="">Choose a card or a theme…</option>
            {choices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.text}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void putTogether()}>
            Put them together
          </button>
          <p className="hint" id={`${id}-together-hint`}>
            {current ? `In the theme “${current.name}” now. ` : ''}On the board, press P on a selected card to come here. Escape goes back to the card.
          </p>
        </div>
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
