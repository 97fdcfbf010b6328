import * as Y from 'yjs'
import { StateRoot } from './docs.ts'
import type { ModerationLine, PublicIdea } from './ideas.ts'
import type { Section } from './sections.ts'

/**
 * The `state` doc's shape, in one place. Only the server writes it; clients read it. Values
 * are plain JSON replaced whole: the server writes rarely, so tombstones stay few.
 */
export interface WorkshopInfo {
  title: string
  joinMode: 'open' | 'invite'
}

export interface StateView {
  workshop: WorkshopInfo | null
  /** Sorted by `order`. */
  sections: Section[]
  /** Sorted by section, then the shuffled `position`. */
  ideas: PublicIdea[]
  moderation: ModerationLine[]
}

const workshopMap = (doc: Y.Doc) => doc.getMap<unknown>(StateRoot.workshop)
const sectionsMap = (doc: Y.Doc) => doc.getMap<Section>(StateRoot.sections)
const ideasMap = (doc: Y.Doc) => doc.getMap<PublicIdea>(StateRoot.ideas)
const moderationArray = (doc: Y.Doc) => doc.getArray<ModerationLine>(StateRoot.moderation)

export function writeWorkshopInfo(doc: Y.Doc, info: WorkshopInfo): void {
  const map = workshopMap(doc)
  map.set('title', info.title)
  map.set('joinMode', info.joinMode)
}

export function writeSection(doc: Y.Doc, section: Section): void {
  sectionsMap(doc).set(section.sectionId, { ...section })
}

export function removeSection(doc: Y.Doc, sectionId: string): void {
  sectionsMap(doc).delete(sectionId)
  for (const idea of readIdeas(doc)) if (idea.sectionId === sectionId) ideasMap(doc).delete(idea.ideaId)
}

export function readSections(doc: Y.Doc): Section[] {
  return [...sectionsMap(doc).values()].sort((a, b) => a.order - b.order)
}

export function readSection(doc: Y.Doc, sectionId: string): Section | undefined {
  return sectionsMap(doc).get(sectionId)
}

export function writeIdea(doc: Y.Doc, idea: PublicIdea): void {
  ideasMap(doc).set(idea.ideaId, { ...idea })
}

export function removeIdea(doc: Y.Doc, ideaId: string): void {
  ideasMap(doc).delete(ideaId)
}

export function readIdea(doc: Y.Doc, ideaId: string): PublicIdea | undefined {
  return ideasMap(doc).get(ideaId)
}

export function readIdeas(doc: Y.Doc, sectionId?: string): PublicIdea[] {
  const all = [...ideasMap(doc).values()]
  const filtered = sectionId === undefined ? all : all.filter((idea) => idea.sectionId === sectionId)
  return filtered.sort((a, b) => a.sectionId.localeCompare(b.sectionId) || a.position - b.position)
}

export function appendModeration(doc: Y.Doc, line: ModerationLine): void {
  moderationArray(doc).push([{ ...line }])
}

export function readState(doc: Y.Doc): StateView {
  const map = workshopMap(doc)
  const title = map.get('title')
  const joinMode = map.get('joinMode')
  return {
    workshop: typeof title === 'string' ? { title, joinMode: joinMode === 'invite' ? 'invite' : 'open' } : null,
    sections: readSections(doc),
    ideas: readIdeas(doc),
    moderation: moderationArray(doc).toArray(),
  }
}
