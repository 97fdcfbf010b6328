import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react'
import { atom, createTLStore, DefaultStylePanel, defaultShapeUtils, Tldraw, useEditor, useValue, type Editor, type TLComponents, type TLRecord, type TLShapeId, type TLStore } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import 'tldraw/tldraw.css'
import { IDEA_CARD_TYPE, sectionFrameId } from '../../shared/boardRecords.ts'
import { phaseAllows } from '../../shared/phases.ts'
import type { StateView } from '../../shared/stateDoc.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { pageSettings } from '../config.ts'
import { saveBlob } from '../download.ts'
import { announce } from '../announce/announcer.ts'
import { useOpenedNotes } from '../participate/openedNotes.ts'
import { FACILITATOR_PRESENCE_NAME } from '../../shared/presence.ts'
import { myPresenceIdentity } from '../session.ts'
import { bindBoard, boardRecords, type BoardBinding } from '../sync/bindBoard.ts'
import { bindPresence, type PresenceControls } from '../sync/bindPresence.ts'
import { currentSection } from '../wellbeing/NowNext.tsx'
import type { DocConnection } from '../sync/useWorkshopSync.ts'
import { BoardAnnouncer } from './BoardAnnouncer.tsx'
import { BOARD_OPTIONS, BoardOutline, useLeaveCanvasHint } from './boardAccessibility.tsx'
import { parityThemes } from './boardTheme.ts'
import { ADD_IDEA_EVENT, FACILITATOR_OVERRIDES, PARTICIPANT_BOARD_OPTIONS, PARTICIPANT_OVERRIDES } from './boardUi.ts'
import { ideaLookupChanged, IdeaCardShapeUtil, IdeaLookupContext, setIdeaLookup, withoutOwnDots, type IdeaLookup } from './IdeaCardShape.tsx'
import { createCanvasExit } from './leaveCanvas.ts'
import { OthersPointers, PointerLayer, PointerLayerContext } from './othersPointers.tsx'
import { drawRemoteMoves } from './remoteMoves.ts'
import { SelectedCardPanel, type PutWith } from './SelectedCardPanel.tsx'
import { sidePanelCover } from './clearArea.ts'
import { ParticipantQuickActions } from './participantActions.tsx'
import { groupOnDrop } from './groupOnDrop.ts'
import { useNarrow } from '../ui/narrow.ts'
import { protectServerShapes, SectionFrameShapeUtil } from './serverShapes.ts'

// Fonts, icons and translations come from our own server, never a CDN.
const assetUrls = getAssetUrlsByImport()
// SectionFrameShapeUtil stands in for tldraw's frame (same type, same records).
const shapeUtils = [IdeaCardShapeUtil, SectionFrameShapeUtil]
const storeShapeUtils = [...defaultShapeUtils.filter((util) => !shapeUtils.some((own) => own.type === util.type)), ...shapeUtils]
const HIDE_CURSOR_KEY = 'parity:hide-cursor'
/**
 * tldraw's style panel only while it has something to style (a drawing tool, or a drawn shape
 * selected): at rest it would sit over the section frames.
 */
function StylePanelWhenUseful() {
  const editor = useEditor()
  const useful = useValue(
    'style panel useful',
    () => !['select', 'hand'].includes(editor.getCurrentToolId()) || editor.getSelectedShapes().some((shape) => shape.type !== IDEA_CARD_TYPE && shape.type !== 'frame'),
    [editor],
  )
  return useful ? <DefaultStylePanel /> : null
}
const facilitatorComponents: TLComponents = { A11y: BoardAnnouncer, OnTheCanvas: BoardOutline, InFrontOfTheCanvas: OthersPointers, StylePanel: StylePanelWhenUseful }
// Participants get a calmer board: no style panel over the cards (their notes use the default
// colour), and none of the drawing program's own menus (Edit, View, Export, "Toggle debug mode",
// pages, its shortcut list in its own words): the board's help (below) says what keys do here.
const participantComponents: TLComponents = {
  ...facilitatorComponents,
  StylePanel: null,
  MainMenu: null,
  PageMenu: null,
  HelpMenu: null,
  ActionsMenu: null,
  // Delete and Duplicate stay for a participant's own notes, but are off on idea cards.
  QuickActions: ParticipantQuickActions,
  KeyboardShortcutsDialog: null,
  DebugMenu: null,
  DebugPanel: null,
}

/** The board's shortcuts use Cmd on Apple devices and Ctrl elsewhere (tldraw's accelerator key). */
const ACCEL_KEY = typeof navigator !== 'undefined' && /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent) ? 'Cmd' : 'Ctrl'

/** Brings a section's frame into view; false if the board has no such frame. */
function zoomToSection(editor: Editor, sectionId: string): boolean {
  const bounds = editor.getShapePageBounds(sectionFrameId(sectionId) as TLShapeId)
  if (bounds) editor.zoomToBounds(bounds, { inset: 40, ...(prefersReducedMotion() ? {} : { animation: { duration: 300 } }) })
  return bounds !== undefined
}

/** Space kept between the sections and the screen's edges or the tools, in screen pixels. */
const FIT_MARGIN = 16
/** A section's title sits above its frame, at the same size on screen whatever the zoom. */
const TITLE_SPACE = 36

/**
 * Every section in view, in the part of the screen the tools and the side panel leave clear:
 * fitted to the whole screen, the tools covered the first section's title and the panel the last
 * section (1366 × 768, December UX review). Phones, where little is left clear, fit the whole screen.
 */
function fitClearOfTools(editor: Editor): void {
  const bounds = editor.getCurrentPageBounds()
  const container = editor.getContainer().getBoundingClientRect()
  const tools = editor.getContainer().closest('.board-wrap')?.querySelector('.board-tools')?.getBoundingClientRect()
  const top = (tools ? Math.max(0, tools.bottom - container.top) : 0) + FIT_MARGIN + TITLE_SPACE
  const right = sidePanelCover(container) + FIT_MARGIN
  const width = container.width - FIT_MARGIN - right
  const height = container.height - top - FIT_MARGIN
  if (!bounds || bounds.w === 0 || bounds.h === 0 || width < 320 || height < 240) {
    editor.zoomToFit({ animation: { duration: 0 } })
    return
  }
  const z = Math.min(1, width / bounds.w, height / bounds.h)
  editor.setCamera({ x: FIT_MARGIN / z - bounds.minX, y: top / z - bounds.minY, z }, { immediate: true })
}

const prefersReducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches

export interface BoardProps {
  workshopId: string
  board: DocConnection
  view: StateView
  role: 'facilitator' | 'participant'
  /** Live updates paused or on a break: other people's changes wait (L18). */
  held: boolean
  hideOthersPointers: boolean
  /** Set only for people who chose to follow the facilitator (W10). */
  followSectionId: string | null
  /** A section to bring into view now (a new object for each request). */
  showSection?: { sectionId: string } | null
  /** Told when `showSection` has been handled, so the request can be let go. */
  onSectionShown?: () => void
  /** Opens the idea form for a section, without a pointer (L5). */
  onAddIdea: ((sectionId: string) => void) | null
  /** Puts one idea in a theme with another (a card dropped on a card, or the card panel). */
  /** Puts an idea with another idea or into a theme; resolves to whether it worked (it says why not). */
  onPutWith: PutWith | null
}

/** The theme of each shown idea: a theme's hidden or combined ideas drop out of it. */
function shownThemes(view: StateView): Map<string, PublicTheme> {
  const shown = new Set(view.ideas.filter((idea) => idea.status === 'published').map((idea) => idea.ideaId))
  const themes = new Map<string, PublicTheme>()
  for (const theme of view.themes) {
    const members = theme.ideaIds.filter((id) => shown.has(id))
    if (members.length < 2) continue
    for (const id of members) themes.set(id, theme)
  }
  return themes
}

/** The tldraw canvas bound to the workshop's board doc. Loaded only when someone opens it. */
export default function Board({ workshopId, board, view, role, held, hideOthersPointers, followSectionId, showSection = null, onSectionShown, onAddIdea, onPutWith }: BoardProps) {
  const records = useMemo(() => boardRecords(board.doc), [board.doc])
  const store = useMemo<TLStore>(() => {
    // No current user: tldraw then writes no attribution (names, ids) into any shape.
    const created = createTLStore({ shapeUtils: storeShapeUtils, users: { currentUser: atom('no user', null) } })
    // Load the shared board before tldraw mounts, so it never invents a page of its own.
    created.mergeRemoteChanges(() => {
      const initial = [...records.entries()].map(([, record]) => record)
      try {
        created.put(initial)
      } catch {
        for (const record of initial) {
          try {
            created.put([record])
          } catch {
            // A record tldraw cannot validate is left out; the rest of the board still loads.
          }
        }
      }
    })
    return created
  }, [records])
  const presence = useRef<PresenceControls | null>(null)
  const pointers = useMemo(() => new PointerLayer(), [])
  const binding = useRef<BoardBinding | null>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDE_CURSOR_KEY) === 'true')
  const opened = useOpenedNotes()
  const canvasExit = useMemo(createCanvasExit, [])
  const [canvasWrapper, setCanvasWrapper] = useState<HTMLDivElement | null>(null)
  useLeaveCanvasHint(canvasWrapper, editor)
  const lookup = useMemo<IdeaLookup>(
    () => ({
      ideas: new Map(view.ideas.map((idea) => [idea.ideaId, idea])),
      sections: new Map(view.sections.map((s) => [s.sectionId, s])),
      results: view.results,
      opened,
      themes: shownThemes(view),
      themeList: view.themes,
      workshopId,
    }),
    [view, opened, workshopId],
  )
  setIdeaLookup(lookup)
  useLayoutEffect(() => ideaLookupChanged(), [lookup])

  useEffect(() => {
    const bound = bindBoard(store, board.doc, records)
    binding.current = bound
    return () => {
      bound.stop()
      binding.current = null
    }
  }, [store, board.doc, records])
  useEffect(() => () => presence.current?.stop(), [])
  useEffect(() => (editor ? protectServerShapes(editor) : undefined), [editor])
  useEffect(() => {
    const bound = binding.current
    if (!editor || !bound) return
    bound.setDrawer(drawRemoteMoves(editor))
    return () => bound.setDrawer(null)
  }, [editor, store])
  const putWithRef = useRef(onPutWith)
  putWithRef.current = onPutWith
  useEffect(() => (editor ? groupOnDrop(editor, async (sectionId, ideaId, withIdeaId) => (await putWithRef.current?.(sectionId, ideaId, { withIdeaId })) ?? false) : undefined), [editor])
  useEffect(() => binding.current?.setHeld(held), [held, store])
  useEffect(() => presence.current?.setShowOthers(!held && !hideOthersPointers), [held, hideOthersPointers, editor])

  // Follow the facilitator (opt-in): one camera move per change of section, none with reduced motion.
  useEffect(() => {
    if (editor && followSectionId) zoomToSection(editor, followSectionId)
  }, [editor, followSectionId])
  // "Go there" (the facilitator's spotlight banner): each press brings the section into view.
  useEffect(() => {
    if (!editor || !showSection) return
    // Handled once: a board opened again later must not jump back to it.
    onSectionShown?.()
    if (!zoomToSection(editor, showSection.sectionId)) return
    const title = view.sections.find((section) => section.sectionId === showSection.sectionId)?.title
    if (title) announce(`Showing “${title}” on the board.`)
  }, [editor, showSection])

  const onMount = (mounted: Editor) => {
    setEditor(mounted)
    mounted.user.updateUserPreferences({ animationSpeed: prefersReducedMotion() ? 0 : 1 })
    // The facilitator's pointer says so (the server gives that name to no one else).
    const identity = myPresenceIdentity(workshopId)
    presence.current = bindPresence(mounted, board.provider.awareness, role === 'facilitator' ? { ...identity, name: FACILITATOR_PRESENCE_NAME } : identity, hidden, pointers)
    presence.current.setShowOthers(!held && !hideOthersPointers)
    // Start with every section in view; sections are bigger than a screen.
    fitClearOfTools(mounted)
  }

  /** "Add an idea" starts on the section people are working on now, if it takes ideas. */
  const sectionForNewIdea = (): string | null => {
    const now = currentSection(view)
    if (now && phaseAllows(now.phase, 'addIdea')) return now.sectionId
    return view.sections.find((section) => phaseAllows(section.phase, 'addIdea'))?.sectionId ?? now?.sectionId ?? null
  }

  const addIdea = () => {
    const sectionId = sectionForNewIdea()
    if (sectionId) onAddIdea?.(sectionId)
  }
  // The board's own note button and N key ask for this (boardUi.ts).
  const addIdeaRef = useRef(addIdea)
  addIdeaRef.current = addIdea
  useEffect(() => {
    const open = () => addIdeaRef.current()
    window.addEventListener(ADD_IDEA_EVENT, open)
    return () => window.removeEventListener(ADD_IDEA_EVENT, open)
  }, [])

  /** The board as a picture, made by tldraw's own exporter, in the browser. */
  const savePicture = async (format: 'png' | 'svg') => {
    if (!editor) return
    const ids = [...editor.getCurrentPageShapeIds()]
    if (ids.length === 0) return
    await withoutOwnDots(async () => {
      if (format === 'svg') {
        const result = await editor.getSvgString(ids, { background: true })
        if (result) saveBlob(new Blob([result.svg], { type: 'image/svg+xml' }), 'board.svg')
      } else {
        const result = await editor.toImage(ids, { format: 'png', background: true, pixelRatio: 2 })
        saveBlob(result.blob, 'board.png')
      }
    })
  }

  const toggleCursor = () => {
    const next = !hidden
    setHidden(next)
    localStorage.setItem(HIDE_CURSOR_KEY, String(next))
    presence.current?.setHidden(next)
  }

  const narrow = useNarrow()
  // On a phone, closing the tools after a press hides the button that had the focus: it goes back
  // to "Board tools", unless the press sent it somewhere else (the idea form).
  const sheet = useRef<ToolsSheetControls | null>(null)
  const done = () => sheet.current?.close()
  const saveAndClose = (format: 'png' | 'svg') => {
    void savePicture(format)
    done()
  }

  const tools = (
    <>
      {onAddIdea && (
        <button
          type="button"
          className="primary"
          onClick={() => {
            addIdea()
            done()
          }}
        >
          Add an idea
        </button>
      )}
      {/* The state is in the words (and the tick), so there is no aria-pressed. */}
      <button type="button" data-on={hidden} onClick={toggleCursor}>
        {hidden ? 'Others cannot see where I am — show me' : 'Hide where I am from others'}
      </button>
      <button type="button" onClick={() => saveAndClose('png')}>
        Save the board as a picture
      </button>
      <button type="button" onClick={() => saveAndClose('svg')}>
        Save as a picture for printing
      </button>
      {/* Last in the strip on screen as in the page, so Tab meets it where it is seen. */}
      <details
        className="board-keys"
        onToggle={(event) => {
          const details = event.currentTarget
          if (details.open) details.querySelector('summary')?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
        }}
      >
        <summary>Using the board with a keyboard</summary>
        <ul>
          <li>Press “Go to the board”, then Tab to go from section to section.</li>
          <li>
            {ACCEL_KEY} + Shift + Down arrow goes into a section’s cards; {ACCEL_KEY} + Shift + Up arrow comes back out.
          </li>
          <li>Arrow keys move the selected card a little. “Put it next to” in the card’s panel moves it next to another card.</li>
          <li>
            <kbd>P</kbd> (“Put with…”) on a selected card: choose another card or a theme to put it with, then press Enter. Escape goes back to the card.
          </li>
          <li>Escape, then Tab, leaves the board.</li>
        </ul>
      </details>
    </>
  )

  return (
    // Tools and panels float over the canvas: opening one never moves or resizes it.
    <div className="board-wrap">
      {narrow ? (
        <ToolsSheet controls={sheet}>{tools}</ToolsSheet>
      ) : (
        <div className="board-tools">{tools}</div>
      )}
      {editor && <SelectedCardPanel editor={editor} lookup={lookup} onPutWith={onPutWith} workshopId={workshopId} />}
      <div
        className="board-canvas"
        ref={setCanvasWrapper}
        // Moves drawn but not yet in the store go in before this person's press or key acts on them.
        onPointerDownCapture={() => binding.current?.settleMoves()}
        onKeyDownCapture={(event) => {
          binding.current?.settleMoves()
          canvasExit(event)
        }}
      >
        <IdeaLookupContext.Provider value={lookup}>
          <PointerLayerContext.Provider value={pointers}>
            <Tldraw
              store={store}
              shapeUtils={shapeUtils}
              assetUrls={assetUrls}
              onMount={onMount}
              overrides={role === 'participant' ? PARTICIPANT_OVERRIDES : FACILITATOR_OVERRIDES}
              components={role === 'participant' ? participantComponents : facilitatorComponents}
              themes={parityThemes}
              options={role === 'participant' ? PARTICIPANT_BOARD_OPTIONS : BOARD_OPTIONS}
              licenseKey={pageSettings.tldrawLicenseKey ?? undefined}
            />
          </PointerLayerContext.Provider>
        </IdeaLookupContext.Provider>
      </div>
    </div>
  )
}

interface ToolsSheetControls {
  close(): void
}

/**
 * The board's tools on a phone: one "Board tools" button that opens them as a list, one under
 * another. In a row they ran off the screen sideways at 200 % text, and wrapped (or partly folded
 * away) they covered most of the board (WCAG 2.2 audit, 1.4.10). Shut, only the button floats over
 * the board; Escape, a press outside or focus moving on shuts the list again.
 */
function ToolsSheet({ controls, children }: { controls: RefObject<ToolsSheetControls | null>; children: ReactNode }) {
  const id = useId()
  const [open, setOpen] = useState(false)
  const holder = useRef<HTMLDivElement>(null)
  const toggle = useRef<HTMLButtonElement>(null)
  const close = (focusToggle: boolean) => {
    setOpen(false)
    if (focusToggle) toggle.current?.focus()
  }
  controls.current = {
    close() {
      setOpen(false)
      // After the list is hidden: focus left on a hidden button is on nothing, so it goes back to
      // the toggle; focus already moved on (to the idea form) stays there.
      requestAnimationFrame(() => {
        const focused = document.activeElement
        if (!focused || focused === document.body || holder.current?.contains(focused)) toggle.current?.focus()
      })
    },
  }
  useEffect(
    () => () => {
      controls.current = null
    },
    [controls],
  )
  // tldraw's own menus (top left) go under this button, not under it and the panel's button: its
  // foot, kept up to date as the text grows, for styles.css.
  useEffect(() => {
    const button = toggle.current
    const wrap = holder.current?.parentElement
    if (!button || !wrap) return
    const observer = new ResizeObserver(() => {
      wrap.style.setProperty('--board-tools-bottom', `${Math.ceil(button.getBoundingClientRect().bottom - wrap.getBoundingClientRect().top)}px`)
    })
    observer.observe(button)
    return () => {
      observer.disconnect()
      wrap.style.removeProperty('--board-tools-bottom')
    }
  }, [])
  // Touch browsers may not move the focus on a tap, so a tap elsewhere shuts the list too.
  useEffect(() => {
    if (!open) return
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && !holder.current?.contains(event.target)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown, true)
    return () => document.removeEventListener('pointerdown', onPointerDown, true)
  }, [open])
  return (
    <div
      ref={holder}
      className="board-tools board-tools-narrow"
      data-open={open}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return
        event.stopPropagation()
        close(true)
      }}
      // Shut once the focus has gone elsewhere (the board, the panel): open, the list would hide
      // the card being worked on.
      onBlur={(event) => {
        if (open && event.relatedTarget instanceof Node && !event.currentTarget.contains(event.relatedTarget)) setOpen(false)
      }}
    >
      <button type="button" ref={toggle} className="board-tools-toggle" aria-expanded={open} aria-controls={`${id}-list`} onClick={() => setOpen(!open)}>
        Board tools
      </button>
      <div id={`${id}-list`} className="board-tools-list" hidden={!open}>
        {children}
      </div>
    </div>
  )
}

export type { TLRecord }
