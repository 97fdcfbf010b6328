import * as Y from 'yjs'
import { StateRoot } from './docs.ts'
import type { PublicResults } from './ballots.ts'
import type { PublicProposal } from './consent.ts'
import type { ModerationLine, PublicIdea } from './ideas.ts'
import type { Section } from './sections.ts'
import type { PublicTheme } from './themes.ts'
import { INITIAL_WELLBEING, type SoftTimer, type WellbeingState } from './wellbeing.ts'

/**
 * The `state` doc's shape, in one place. Only the server writes it; clients read it. Values
 * are plain JSON replaced whole: the server writes rarely, so tombstones stay few.
 */
export interface WorkshopInfo {
  title: string
  joinMode: 'open' | 'invite'
  /** People who have joined: the "m" in "n of m have voted". */
  participantCount: number
}

export interface StateView {
  workshop: WorkshopInfo | null
  /** Sorted by `order`. */
  sections: Section[]
  /** Sorted by section, then the shuffled `position`. */
  ideas: PublicIdea[]
  moderation: ModerationLine[]
  /** Per section, once visible. */
  results: Record<string, PublicResults>
  /** Every consent round, in order per section. */
  proposals: PublicProposal[]
  /** Room pause, pause-request counts, the soft timer, support contacts. */
  wellbeing: WellbeingState
  /** Ideas put together under a name, by section. */
  themes: PublicTheme[]
}

const workshopMap = (doc: Y.Doc) => doc.getMap<unknown>(StateRoot.workshop)
const sectionsMap = (doc: Y.Doc) => doc.getMap<Section>(StateRoot.sections)
const ideasMap = (doc: Y.Doc) => doc.getMap<PublicIdea>(StateRoot.ideas)
const moderationArray = (doc: Y.Doc) => doc.getArray<ModerationLine>(StateRoot.moderation)
const resultsMap = (doc: Y.Doc) => doc.getMap<PublicResults>(StateRoot.results)
const proposalsMap = (doc: Y.Doc) => doc.getMap<PublicProposal>(StateRoot.proposals)
const wellbeingMap = (doc: Y.Doc) => doc.getMap<unknown>(StateRoot.wellbeing)
const themesMap = (doc: Y.Doc) => doc.getMap<PublicTheme>(StateRoot.themes)

export function writeTheme(doc: Y.Doc, theme: PublicTheme): void {
  themesMap(doc).set(theme.themeId, { ...theme, ideaIds: [...theme.ideaIds] })
}

export function removeTheme(doc: Y.Doc, themeId: string): void {
  themesMap(doc).delete(themeId)
}

/** Sorted by section, then name, so every screen lists them the same way. */
export function readThemes(doc: Y.Doc, sectionId?: string): PublicTheme[] {
  return [...themesMap(doc).values()]
    .filter((theme) => sectionId === undefined || theme.sectionId === sectionId)
    .sort((a, b) => a.sectionId.localeCompare(b.sectionId) || a.name.localeCompare(b.name) || a.themeId.localeCompare(b.themeId))
}

export function writeWorkshopInfo(doc: Y.Doc, info: WorkshopInfo): void {
  const map = workshopMap(doc)
  map.set('title', info.title)
  map.set('joinMode', info.joinMode)
  map.set('participantCount', info.participantCount)
}

export function writeParticipantCount(doc: Y.Doc, count: number): void {
  workshopMap(doc).set('participantCount', count)
}

export function writeResults(doc: Y.Doc, sectionId: string, results: PublicResults | null): void {
  if (results) resultsMap(doc).set(sectionId, results)
  else resultsMap(doc).delete(sectionId)
}

export function readResults(doc: Y.Doc, sectionId: string): PublicResults | undefined {
  return resultsMap(doc).get(sectionId)
}

export function writeProposal(doc: Y.Doc, proposal: PublicProposal): void {
  proposalsMap(doc).set(proposal.proposalId, { ...proposal })
}

export function readProposals(doc: Y.Doc, sectionId?: string): PublicProposal[] {
  return [...proposalsMap(doc).values()]
    .filter((proposal) => sectionId === undefined || proposal.sectionId === sectionId)
    .sort((a, b) => a.sectionId.localeCompare(b.sectionId) || a.roundNumber - b.roundNumber)
}

export function writeSection(doc: Y.Doc, section: Section): void {
  sectionsMap(doc).set(section.sectionId, { ...section })
}

export function removeSection(doc: Y.Doc, sectionId: string): void {
  sectionsMap(doc).delete(sectionId)
  for (const idea of readIdeas(doc)) if (idea.sectionId === sectionId) ideasMap(doc).delete(idea.ideaId)
  for (const theme of readThemes(doc, sectionId)) themesMap(doc).delete(theme.themeId)
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
  const participantCount = map.get('participantCount')
  return {
    workshop:
      typeof title === 'string'
        ? { title, joinMode: joinMode === 'invite' ? 'invite' : 'open', participantCount: typeof participantCount === 'number' ? participantCount : 0 }
        : null,
    sections: readSections(doc),
    ideas: readIdeas(doc),
    moderation: moderationArray(doc).toArray(),
    results: Object.fromEntries(resultsMap(doc).entries()),
    proposals: readProposals(doc),
    wellbeing: readWellbeing(doc),
    themes: readThemes(doc),
  }
}

/** Writes only the given wellbeing fields; each is replaced whole. */
export function writeWellbeing(doc: Y.Doc, patch: Partial<WellbeingState>): void {
  const map = wellbeingMap(doc)
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    map.set(key, value !== null && typeof value === 'object' ? structuredClone(value) : value)
  }
}

/** The wellbeing fields with defaults for a workshop that has never used them. */
export function readWellbeing(doc: Y.Doc): WellbeingState {
  const map = wellbeingMap(doc)
  const count = (key: string) => {
    const value = map.get(key)
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0
  }
  const contacts = map.get('supportContacts')
  const note = map.get('contentNote')
  const spotlight = map.get('spotlightSectionId')
  return {
    paused: map.get('paused') === true,
    pauseRequests: count('pauseRequests'),
    moreTimeRequests: count('moreTimeRequests'),
    timer: readTimer(map.get('timer')),
    spotlightSectionId: typeof spotlight === 'string' ? spotlight : null,
    supportContacts: Array.isArray(contacts) ? contacts.filter((line): line is string => typeof line === 'string') : [...INITIAL_WELLBEING.supportContacts],
    contentNote: typeof note === 'string' ? note : INITIAL_WELLBEING.contentNote,
  }
}

function readTimer(value: unknown): SoftTimer | null {
  if (typeof value !== 'object' || value === null) return null
  const timer = value as Partial<SoftTimer>
  if (typeof timer.timerId !== 'string' || typeof timer.sectionId !== 'string' || typeof timer.durationMs !== 'number') return null
  return {
    timerId: timer.timerId,
    sectionId: timer.sectionId,
    phase: timer.phase ?? 'gather',
    durationMs: timer.durationMs,
    endsAt: typeof timer.endsAt === 'number' ? timer.endsAt : null,
    remainingMs: typeof timer.remainingMs === 'number' ? timer.remainingMs : null,
  }
}
