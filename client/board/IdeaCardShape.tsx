import { createContext, useContext } from 'react'
import { BaseBoxShapeUtil, HTMLContainer, T, type RecordProps, type TLShape } from 'tldraw'
import { IDEA_CARD_TYPE } from '../../shared/boardRecords.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [IDEA_CARD_TYPE]: { ideaId: string; w: number; h: number }
  }
}

export type IdeaCardShape = TLShape<typeof IDEA_CARD_TYPE>

export interface IdeaLookup {
  ideas: Map<string, PublicIdea>
  sections: Map<string, Section>
}

/** Card text comes from the state doc, never from the board: the server is its only author. */
export const IdeaLookupContext = createContext<IdeaLookup>({ ideas: new Map(), sections: new Map() })

// Shape utils are not React: tldraw asks them for text and aria descriptions directly.
let currentLookup: IdeaLookup = { ideas: new Map(), sections: new Map() }
export const setIdeaLookup = (lookup: IdeaLookup) => {
  currentLookup = lookup
}

export function describeIdeaCard(ideaId: string, lookup: IdeaLookup = currentLookup): string {
  const idea = lookup.ideas.get(ideaId)
  if (!idea) return 'Idea card'
  const section = lookup.sections.get(idea.sectionId)?.title ?? 'a section'
  return `Idea in ${section}: ${idea.text}`
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
    return currentLookup.ideas.get(shape.props.ideaId)?.text ?? ''
  }
  override getAriaDescriptor(shape: IdeaCardShape) {
    return describeIdeaCard(shape.props.ideaId)
  }

  component(shape: IdeaCardShape) {
    return (
      <HTMLContainer className="idea-card-container">
        <IdeaCardBody ideaId={shape.props.ideaId} />
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: IdeaCardShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 10)
    return path
  }
}

function IdeaCardBody({ ideaId }: { ideaId: string }) {
  const lookup = useContext(IdeaLookupContext)
  const idea = lookup.ideas.get(ideaId)
  return (
    <div className="idea-card" aria-label={describeIdeaCard(ideaId, lookup)}>
      <p>{idea?.text ?? '…'}</p>
    </div>
  )
}
