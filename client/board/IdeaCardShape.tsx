import { createContext, useContext, useId, useSyncExternalStore } from 'react'
import { atom, BaseBoxShapeUtil, computed, HTMLContainer, Rectangle2d, T, useValue, type Editor, type RecordProps, type Signal, type TLShape } from 'tldraw'
import type { PublicResults } from '../../shared/ballots.ts'
import { IDEA_CARD_TYPE } from '../../shared/boardRecords.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { ownDotsOn, subscribeBallots } from '../participate/ballot.ts'
import { setNoteOpen } from '../participate/openedNotes.ts'
import { cardElementId } from './boardAccessibility.tsx'
import { cardDots, cardVoteItem, ownDotsWords } from './cardDots.ts'

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [IDEA_CARD_TYPE]: { ideaId: string; w: number; h: number }
  }
}

export type IdeaCardShape = TLShape<typeof IDEA_CARD_TYPE>

export interface IdeaLookup {
  ideas: Map<string, PublicIdea>
  sections: Map<string, Section>
  /** Per section, once tallies are visible: dots are part of a card's description. */
  results: Record<string, PublicResults>
  /** Content-noted ideas this reader chose to open. */
  opened: ReadonlySet<string>
  /** The theme each idea is in, if any. */
  themes: ReadonlyMap<string, PublicTheme>
  /** Every theme as the list has them: a theme vote's items are made from these (cardVoteItem). */
  themeList?: readonly PublicTheme[]
  /** The board's workshop: own dots come from this workshop's ballots only. */
  workshopId?: string
}

const EMPTY_LOOKUP: IdeaLookup = { ideas: new Map(), sections: new Map(), results: {}, opened: new Set(), themes: new Map() }

/**
 * Card text comes from the state doc, never from the board: the server is its only author.
 * Null outside the board's provider — tldraw renders exported pictures (PNG, SVG) there — so
 * cards then read the module's copy instead of showing nothing.
 */
export const IdeaLookupContext = createContext<IdeaLookup | null>(null)

// Shape utils are not React: tldraw asks them for text, sizes and aria descriptions directly.
let currentLookup: IdeaLookup = EMPTY_LOOKUP
// Read by getGeometry, so a card's height follows its text when ideas arrive after the card.
const lookupVersion = atom('idea lookup version', 0)
// A card grows a line for the person's own dots: sizes follow their ballot, kept in this page only.
subscribeBallots(() => ideaLookupChanged())
/** Called while rendering: the plain copy is current at once; sizes update after the render. */
export const setIdeaLookup = (lookup: IdeaLookup) => {
  currentLookup = lookup
}
export const ideaLookupChanged = (): void => {
  lookupVersion.set(lookupVersion.get() + 1)
}
/** The board's lookup; outside its provider (exported pictures) the module's copy. */
export const useIdeaLookup = () => useContext(IdeaLookupContext) ?? currentLookup

/** Card text: 15 px with 1.35 line height, inside a 2 px border and 10 px padding (styles.css). */
const CARD_FONT = { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif", fontSize: 15, lineHeight: 1.35 }
const CARD_INSET = 12
const FOOTER_HEIGHT = 28
const THEME_LINE_HEIGHT = 24
const NOTE_BUTTON_HEIGHT = 44
/** Cards grow to fit their words up to this; longer ideas end in "…more". */
export const MAX_CARD_HEIGHT = 320
/** Remembered text heights (one per card text and width). */
const MEASURED_LIMIT = 5000

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** Whether the card shows its words: no content note, or the reader opened it (W9). */
export const isUnfolded = (idea: PublicIdea, lookup: IdeaLookup) => !idea.contentNote || lookup.opened.has(idea.ideaId)

/** Ends `text` with a full stop unless it already ends a sentence (no "mówić.."). */
const asSentence = (text: string) => (/[.!?…:;]["”’)]*$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)

/** A card's name: its words, or only its content note while folded (W9). */
export function ideaCardName(idea: PublicIdea, lookup: IdeaLookup): string {
  return isUnfolded(idea, lookup) ? idea.text : `Content note: ${idea.contentNote}`
}

/**
 * The reader's own dots on a card during an open vote, from their ballot in this page's memory
 * (ballot.ts), never from the shared board: nobody else's screen can show them.
 */
function ownDots(idea: PublicIdea, lookup: IdeaLookup): { dots: number; theme: string | null } | null {
  if (!ownDotsShown) return null
  const section = lookup.sections.get(idea.sectionId)
  const item = cardVoteItem(idea.ideaId, section, lookup.ideas, lookup.themeList ?? [...new Set(lookup.themes.values())])
  if (!section || !item || !lookup.workshopId) return null
  const dots = ownDotsOn(lookup.workshopId, section.sectionId, section.vote.round, item.itemId)
  return dots > 0 ? { dots, theme: item.theme } : null
}

let ownDotsShown = true
/**
 * Draws a picture of the board with nobody's own dots on the cards: not in their words, not in
 * their descriptions, not in their heights (a card grew a line for them, and a saved picture
 * showed which cards this person had voted for; December diff review).
 */
export async function withoutOwnDots<T>(draw: () => Promise<T>): Promise<T> {
  ownDotsShown = false
  ideaLookupChanged()
  try {
    return await draw()
  } finally {
    ownDotsShown = true
    ideaLookupChanged()
  }
}

/** Re-renders a card when the reader's own dots on it change. */
function useOwnDots(idea: PublicIdea | undefined, lookup: IdeaLookup): { dots: number; theme: string | null } | null {
  const key = useSyncExternalStore(subscribeBallots, () => {
    const own = idea ? ownDots(idea, lookup) : null
    return own ? `${own.dots} ${own.theme ?? ''}` : ''
  })
  return key && idea ? ownDots(idea, lookup) : null
}

/** What a card says beyond its words and section: folding, group, own dots, and dots once results are out. */
function ideaCardExtras(idea: PublicIdea, lookup: IdeaLookup): string[] {
  const parts: string[] = []
  if (!isUnfolded(idea, lookup)) parts.push('Its words are folded away; open it from the selected card panel.')
  if (idea.mergedFrom.length > 0) parts.push(`Combines ${plural(idea.mergedFrom.length + 1, 'idea', 'similar ideas')}.`)
  const theme = lookup.themes.get(idea.ideaId)
  if (theme) parts.push(`In the theme “${theme.name}”.`)
  const own = ownDots(idea, lookup)
  if (own) parts.push(`${ownDotsWords(own.dots, own.theme)}.`)
  const results = lookup.results[idea.sectionId]
  const row = cardDots(idea.ideaId, results)
  if (results && row)
    parts.push(`${row.theme ? `Its theme “${row.theme}” got ` : ''}${plural(row.dots, 'dot', 'dots')}, ranked ${row.rank} of ${row.of}${row.tied ? ', tied' : ''}${results.final ? '' : ' so far'}.`)
  return parts
}

const sectionTitle = (idea: PublicIdea, lookup: IdeaLookup) => lookup.sections.get(idea.sectionId)?.title ?? 'a section'

/** A card's description on the board, its name being its words: section, folding, group, dots. */
export function ideaCardDetails(ideaId: string, lookup: IdeaLookup = currentLookup): string {
  const idea = lookup.ideas.get(ideaId)
  if (!idea) return ''
  return [`In ${sectionTitle(idea, lookup)}.`, ...ideaCardExtras(idea, lookup)].join(' ')
}

/**
 * What a screen reader hears when a card is selected (L2): its words, its section, its group
 * (ideas combined into it) and its dots once results are out. A folded card gives only its note.
 */
export function describeIdeaCard(ideaId: string, lookup: IdeaLookup = currentLookup): string {
  const idea = lookup.ideas.get(ideaId)
  if (!idea) return 'Idea card'
  return [`Idea in ${sectionTitle(idea, lookup)}: ${asSentence(ideaCardName(idea, lookup))}`, ...ideaCardExtras(idea, lookup)].join(' ')
}

export class IdeaCardShapeUtil extends BaseBoxShapeUtil<IdeaCardShape> {
  static override type = IDEA_CARD_TYPE
  static override props: RecordProps<IdeaCardShape> = { ideaId: T.string, w: T.number, h: T.number }

  override getDefaultProps(): IdeaCardShape['props'] {
    return { ideaId: '', w: 220, h: 140 }
  }
  /**
   * How tall the card is drawn: tall enough for its words and its dots, between the size the
   * server gave it and MAX_CARD_HEIGHT. The board record keeps the server's size; only the
   * drawing grows, so nobody's edit is needed.
   */
  cardLayout(shape: IdeaCardShape): { height: number; overflows: boolean } {
    lookupVersion.get()
    const idea = currentLookup.ideas.get(shape.props.ideaId)
    if (!idea) return { height: shape.props.h, overflows: false }
    const unfolded = isUnfolded(idea, currentLookup)
    const text = unfolded ? idea.text : `Content note: ${idea.contentNote}`
    const textHeight = this.textHeight(text, shape.props.w - 2 * CARD_INSET)
    const hasDots = cardDots(idea.ideaId, currentLookup.results[idea.sectionId]) !== null
    const hasOwnDots = ownDots(idea, currentLookup) !== null
    const inTheme = currentLookup.themes.has(idea.ideaId)
    const natural = 2 * CARD_INSET + textHeight + (hasDots ? FOOTER_HEIGHT : 0) + (hasOwnDots ? FOOTER_HEIGHT : 0) + (unfolded ? 0 : NOTE_BUTTON_HEIGHT) + (inTheme ? THEME_LINE_HEIGHT : 0)
    const overflows = natural > MAX_CARD_HEIGHT
    return { height: Math.max(shape.props.h, Math.min(MAX_CARD_HEIGHT, Math.ceil(natural))), overflows }
  }
  /**
   * Measuring reads layout (getBoundingClientRect), which forces the browser to lay out the
   * whole page whenever anything changed since the last frame. The height depends only on the
   * words and the width, so each pair is measured once.
   */
  private readonly measured = new Map<string, number>()
  private textHeight(text: string, maxWidth: number): number {
    const key = `${maxWidth}\n${text}`
    let height = this.measured.get(key)
    if (height !== undefined) return height
    try {
      height = this.editor.textMeasure.measureText(text, { ...CARD_FONT, fontStyle: 'normal', fontWeight: 'normal', maxWidth, padding: '0px' }).h
    } catch {
      // No layout engine (tests without a DOM): about 26 characters a line.
      height = Math.ceil([...text].length / 26) * CARD_FONT.fontSize * CARD_FONT.lineHeight
    }
    // Bounded: ideas edited over a long workshop leave old texts behind.
    if (this.measured.size >= MEASURED_LIMIT) this.measured.clear()
    this.measured.set(key, height)
    return height
  }
  override getGeometry(shape: IdeaCardShape) {
    return new Rectangle2d({ width: shape.props.w, height: this.cardLayout(shape).height, isFilled: true })
  }
  override canResize() {
    return false
  }
  override hideRotateHandle() {
    return true
  }
  override canEdit() {
    return false
  }
  override getText(shape: IdeaCardShape) {
    const idea = currentLookup.ideas.get(shape.props.ideaId)
    return idea ? ideaCardName(idea, currentLookup) : ''
  }
  override getAriaDescriptor(shape: IdeaCardShape) {
    return describeIdeaCard(shape.props.ideaId)
  }

  component(shape: IdeaCardShape) {
    const { overflows } = this.cardLayout(shape)
    const editor = this.editor
    return (
      <HTMLContainer className="idea-card-container">
        <IdeaCardBody ideaId={shape.props.ideaId} shapeId={shape.id} onMore={overflows ? () => editor.select(shape.id) : null} farAway={cardsTooFarToRead(editor)} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: IdeaCardShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, this.cardLayout(shape).height, 10)
    return path
  }
}

/**
 * Below this zoom a card's 15 px words are under 5 px high, too small for anyone to read. On a
 * board with many cards they are then drawn without them: painting 300 cards' words held a
 * phone's frames at 50–80 ms (docs/performance.md). Names, descriptions and buttons stay, for
 * screen readers and keyboards; zooming in brings the words back; saved pictures always have them.
 * A board with few cards costs little to draw, so it keeps them at any zoom.
 */
const READABLE_ZOOM = 0.3
const MANY_SHAPES = 60
const tooFarToRead = new WeakMap<Editor, Signal<boolean>>()
/** One signal per board, shared by every card: it changes only when the zoom or count crosses its line. */
function cardsTooFarToRead(editor: Editor): Signal<boolean> {
  let signal = tooFarToRead.get(editor)
  if (!signal) {
    signal = computed('cards too far to read', () => editor.getZoomLevel() < READABLE_ZOOM && editor.getCurrentPageShapeIds().size > MANY_SHAPES)
    tooFarToRead.set(editor, signal)
  }
  return signal
}

/** A press on a button inside a card is not the start of a drag on the canvas. */
const keepFromCanvas = (event: React.PointerEvent) => event.stopPropagation()

/**
 * A card is an article named by its words, described by the rest (section, dots, rank): a role
 * of its own, so both are exposed (a bare div's aria-label is not). Its section's group owns it
 * by `id` (boardAccessibility.tsx).
 */
function IdeaCardBody({ ideaId, shapeId, onMore, farAway }: { ideaId: string; shapeId: string; onMore: (() => void) | null; farAway: Signal<boolean> }) {
  const lookup = useIdeaLookup()
  const descriptionId = useId()
  // Only on the live board: exported pictures always show the words.
  const onBoard = useContext(IdeaLookupContext) !== null
  const outline = useValue(farAway) && onBoard
  const idea = lookup.ideas.get(ideaId)
  // Only on the live board, never in a saved picture: the dots are this person's secret ballot.
  const own = useOwnDots(onBoard ? idea : undefined, lookup)
  return (
    <div
      className={outline ? 'idea-card outline-only' : onMore ? 'idea-card cut-short' : 'idea-card'}
      id={cardElementId(shapeId)}
      role="article"
      aria-roledescription="idea card"
      aria-label={idea ? ideaCardName(idea, lookup) : 'Idea card'}
      aria-describedby={descriptionId}
      data-section-id={idea?.sectionId}
    >
      {/* Hidden outright, not visually hidden: a description is read by reference, and a
          visually hidden element is one more clip for the browser on every frame. */}
      <span id={descriptionId} hidden>
        {ideaCardDetails(ideaId, lookup)}
      </span>
      <IdeaCardWords ideaId={ideaId} onMore={onMore} outline={outline} own={own} />
    </div>
  )
}

/** The card's theme, words (or content note), buttons and dots; from far away, only its buttons. */
function IdeaCardWords({ ideaId, onMore, outline, own }: { ideaId: string; onMore: (() => void) | null; outline: boolean; own: { dots: number; theme: string | null } | null }) {
  const lookup = useIdeaLookup()
  const idea = lookup.ideas.get(ideaId)
  const results = idea ? lookup.results[idea.sectionId] : undefined
  const row = cardDots(ideaId, results)
  const theme = lookup.themes.get(ideaId)
  return (
    <>
      {theme && !outline && <p className="card-theme">Theme: {theme.name}</p>}
      {!idea ? (
        !outline && <p className="card-text">…</p>
      ) : isUnfolded(idea, lookup) ? (
        !outline && <p className="card-text">{idea.text}</p>
      ) : (
        <>
          {!outline && <p className="content-note">Content note: {idea.contentNote}</p>}
          <button
            type="button"
            className="card-open"
            onPointerDown={keepFromCanvas}
            onClick={() => setNoteOpen(ideaId, true)}
          >
            Show the idea
          </button>
        </>
      )}
      {own && !outline && (
        // In words, with the dots drawn beside them (hidden from screen readers, who hear the words).
        <p className="card-dots card-own-dots" style={{ flex: 'none' }}>
          <span aria-hidden="true">{'●'.repeat(own.dots)} </span>
          {ownDotsWords(own.dots, own.theme)}
        </p>
      )}
      {(row || onMore) && (
        // Outside the text's box, so the dots show however long the idea is.
        <div className="card-footer">
          {onMore && (
            <button type="button" className="card-more" onPointerDown={keepFromCanvas} onClick={onMore}>
              …more<span className="visually-hidden"> of this idea</span>
            </button>
          )}
          {row && !outline && (
            <p className="card-dots">
              {plural(row.dots, 'dot', 'dots')}
              {row.theme ? ' for the theme' : ''}
              {results?.final ? '' : ' so far'}
            </p>
          )}
        </div>
      )}
    </>
  )
}
