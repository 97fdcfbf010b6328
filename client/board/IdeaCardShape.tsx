import { createContext, useContext, useId } from 'react'
import { BaseBoxShapeUtil, HTMLContainer, T, type RecordProps, type TLShape } from 'tldraw'
import type { PublicResults } from '../../shared/ballots.ts'
import { IDEA_CARD_TYPE } from '../../shared/boardRecords.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import { setNoteOpen } from '../participate/openedNotes.ts'
import { cardElementId } from './boardAccessibility.tsx'

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
}

const EMPTY_LOOKUP: IdeaLookup = { ideas: new Map(), sections: new Map(), results: {}, opened: new Set() }

/** Card text comes from the state doc, never from the board: the server is its only author. */
export const IdeaLookupContext = createContext<IdeaLookup>(EMPTY_LOOKUP)

// Shape utils are not React: tldraw asks them for text and aria descriptions directly.
let currentLookup: IdeaLookup = EMPTY_LOOKUP
export const setIdeaLookup = (lookup: IdeaLookup) => {
  currentLookup = lookup
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** Whether the card shows its words: no content note, or the reader opened it (W9). */
export const isUnfolded = (idea: PublicIdea, lookup: IdeaLookup) => !idea.contentNote || lookup.opened.has(idea.ideaId)

/** Ends `text` with a full stop unless it already ends a sentence (no "mówić.."). */
const asSentence = (text: string) => (/[.!?…:;]["”’)]*$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)

/** A card's name: its words, or only its content note while folded (W9). */
export function ideaCardName(idea: PublicIdea, lookup: IdeaLookup): string {
  return isUnfolded(idea, lookup) ? idea.text : `Content note: ${idea.contentNote}`
}

/** What a card says beyond its words and section: folding, group, and dots once results are out. */
function ideaCardExtras(idea: PublicIdea, lookup: IdeaLookup): string[] {
  const parts: string[] = []
  if (!isUnfolded(idea, lookup)) parts.push('Its words are folded away; open it from the selected card panel.')
  if (idea.mergedFrom.length > 0) parts.push(`Combines ${plural(idea.mergedFrom.length + 1, 'idea', 'similar ideas')}.`)
  const results = lookup.results[idea.sectionId]
  const row = results?.ranked.find((r) => r.ideaId === idea.ideaId)
  if (results && row) parts.push(`${plural(row.dots, 'dot', 'dots')}, ranked ${row.rank} of ${results.ranked.length}${row.tied ? ', tied' : ''}${results.final ? '' : ' so far'}.`)
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
    return (
      <HTMLContainer className="idea-card-container">
        <IdeaCardBody ideaId={shape.props.ideaId} shapeId={shape.id} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: IdeaCardShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}

/**
 * A card is an article named by its words, described by the rest (section, dots, rank): a role
 * of its own, so both are exposed (a bare div's aria-label is not). Its section's group owns it
 * by `id` (boardAccessibility.tsx).
 */
function IdeaCardBody({ ideaId, shapeId }: { ideaId: string; shapeId: string }) {
  const lookup = useContext(IdeaLookupContext)
  const descriptionId = useId()
  const idea = lookup.ideas.get(ideaId)
  const results = idea ? lookup.results[idea.sectionId] : undefined
  const row = results?.ranked.find((r) => r.ideaId === ideaId)
  return (
    <div
      className="idea-card"
      id={cardElementId(shapeId)}
      role="article"
      aria-roledescription="idea card"
      aria-label={idea ? ideaCardName(idea, lookup) : 'Idea card'}
      aria-describedby={descriptionId}
      data-section-id={idea?.sectionId}
    >
      <span id={descriptionId} className="visually-hidden">
        {ideaCardDetails(ideaId, lookup)}
      </span>
      {!idea ? (
        <p>…</p>
      ) : isUnfolded(idea, lookup) ? (
        <p>{idea.text}</p>
      ) : (
        <>
          <p className="content-note">Content note: {idea.contentNote}</p>
          <button
            type="button"
            className="card-open"
            // The canvas would otherwise take the press as the start of a drag.
            onPointerDown={(event) => event.stopPropagation()}
            onClick={() => setNoteOpen(ideaId, true)}
          >
            Show the idea
          </button>
        </>
      )}
      {row && (
        <p className="card-dots">
          {plural(row.dots, 'dot', 'dots')}
          {results?.final ? '' : ' so far'}
        </p>
      )}
    </div>
  )
}
