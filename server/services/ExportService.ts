import type * as Y from 'yjs'
import type { ConsentResponse, PublicProposal } from '../../shared/consent.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { EXPORT_SCHEMA_VERSION, type ExportModel, type ExportRound, type ExportSection } from '../../shared/exportModel.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import { readState, type StateView } from '../../shared/stateDoc.ts'
import type { Section } from '../../shared/sections.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import { ServerDoc } from '../rooms/ServerDoc.ts'
import type { WorkshopStore } from '../storage/WorkshopStore.ts'
import { LEFT_OUT_OF_EXPORTS } from './ExportOptOutService.ts'

/**
 * Builds the export model from the workshop's public state only (what everyone can already see),
 * so no export can contain anything private: no names, ids, tokens, times or submission order.
 */
export class ExportService {
  /**
   * The sections of the last models built, by workshop, with what they were built from (a
   * snapshot of the state doc and the ideas left out). Any participant may ask for the outcome page as
   * often as they like, and building it walks the whole state: 30–120 ms at 15,000 ideas.
   * Shared between callers, so nothing may change a model it is given (the renderers copy first).
   */
  private readonly built = new Map<string, { from: string; sections: ExportSection[] }>()

  /** `rooms` only lends a loaded room; the operator CLI lends one it loaded itself. */
  constructor(
    private readonly deps: {
      rooms: Pick<RoomRegistry, 'readState'>
      workshops: WorkshopStore
      /** Ideas whose authors asked for their text to be left out (issue 18). */
      leftOut?: (workshopId: string) => Set<string>
      today?: () => string
    },
  ) {}

  /** `use`: asked by someone in the workshop (see RoomRegistry.readState), not a share link or a programme's page. */
  model(workshopId: string, use = false): Result<ExportModel> {
    const workshop = this.deps.workshops.get(workshopId)
    if (!workshop) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    const leftOut = this.deps.leftOut?.(workshopId) ?? new Set<string>()
    const sections = this.deps.rooms.readState(workshopId, (doc) => {
      const revision = revisionOf(doc)
      const from = `${revision}|${[...leftOut].sort().join(',')}`
      const cached = this.built.get(workshopId)
      if (revision !== null && cached?.from === from) return cached.sections
      const state = readState(doc)
      // The one place an opted-out idea loses its text: every part of the export reads `view.ideas`.
      const view: StateView = { ...state, ideas: state.ideas.map((idea) => (leftOut.has(idea.ideaId) ? { ...idea, text: LEFT_OUT_OF_EXPORTS } : idea)) }
      const built = view.sections.map((section) => exportSection(section, view))
      // A doc read from storage is new each time: nothing to match it against later.
      if (revision === null) return built
      this.built.delete(workshopId)
      if (this.built.size >= BUILT_MODELS_KEPT) this.built.delete(this.built.keys().next().value!)
      this.built.set(workshopId, { from, sections: built })
      return built
    }, use)
    return ok({
      schemaVersion: EXPORT_SCHEMA_VERSION,
      workshop: {
        title: workshop.title,
        exportedOn: this.deps.today?.() ?? new Date().toISOString().slice(0, 10),
        createdOn: workshop.createdDay,
        participantCount: this.deps.workshops.countParticipants(workshopId),
      },
      sections,
    })
  }

  /** Drops what was built for a workshop (deleted: its text must not stay in memory). */
  forget(workshopId: string): void {
    this.built.delete(workshopId)
  }
}

/**
 * What a built model is keyed on: the doc and its count of updates. Not the state vector: a
 * change that only deletes leaves it as it was. Not a snapshot of the doc either: making one walks
 * every struct, 35 ms a request at 1,000 ideas, on a page anyone with a share link may load in a
 * loop (December robustness review). A doc read from storage is new each time: null, not kept.
 */
function revisionOf(doc: Y.Doc): string | null {
  return doc instanceof ServerDoc ? `${doc.serial}.${doc.updates}` : null
}

/** Workshops whose last built model is kept (the oldest goes first). */
const BUILT_MODELS_KEPT = 16

function exportSection(section: Section, view: StateView): ExportSection {
  const ideas = view.ideas.filter((idea) => idea.sectionId === section.sectionId)
  const proposals = view.proposals.filter((proposal) => proposal.sectionId === section.sectionId)
  const results = view.results[section.sectionId]
  const final = results?.final ? results : undefined
  const textOf = new Map(ideas.map((idea) => [idea.ideaId, idea.text]))
  const themeVote = final?.subject === 'themes'
  // In a theme vote an idea's own dots exist only if it was voted on as itself; ideas in a theme
  // have none of their own (`null`), and the theme's row carries them.
  const dotsOf = new Map(
    themeVote ? (final.rankedThemes ?? []).filter((row) => row.themeId === null).map((row) => [row.itemId, row.dots]) : (final?.ranked.map((row) => [row.ideaId, row.dots]) ?? []),
  )
  const hidden = ideas.filter((idea) => idea.status === 'hidden')
  const shownText = new Map(ideas.filter((idea) => idea.kind === 'idea' && idea.status === 'published').map((idea) => [idea.ideaId, idea.text]))
  // Only ideas still shown count: a theme never brings back a hidden idea's words.
  const themes = view.themes
    .filter((theme) => theme.sectionId === section.sectionId)
    .map((theme) => ({ name: theme.name, ideas: theme.ideaIds.flatMap((id) => shownText.get(id) ?? []).sort((a, b) => a.localeCompare(b)) }))
    .filter((theme) => theme.ideas.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name))
  const themeOf = new Map(view.themes.flatMap((theme) => theme.ideaIds.map((id) => [id, theme.name] as const)))
  return {
    sectionId: section.sectionId,
    kind: section.kind,
    title: section.title,
    prompt: section.prompt,
    phase: section.phase,
    voteHeld: section.vote.status !== 'not-started',
    agreement: agreementOf(proposals),
    rounds: proposals.map((proposal) => exportRound(proposal, textOf)),
    results: final
      ? {
          voterCount: final.voterCount,
          budget: final.budget,
          maxPerIdea: final.maxPerIdea,
          ...(themeVote
            ? {
                subject: 'themes' as const,
                ranked: (final.rankedThemes ?? []).map((row) => ({
                  rank: row.rank,
                  text: row.name ?? textOf.get(row.itemId) ?? '',
                  dots: row.dots,
                  tied: row.tied,
                  // Only ideas still shown: a theme never brings back a hidden idea's words.
                  ...(row.themeId === null ? {} : { ideas: row.ideaIds.flatMap((id) => shownText.get(id) ?? []).sort((a, b) => a.localeCompare(b)) }),
                })),
              }
            : { ranked: final.ranked.map((row) => ({ rank: row.rank, text: textOf.get(row.ideaId) ?? '', dots: row.dots, tied: row.tied })) }),
        }
      : null,
    ideas: ideas
      .filter((idea): idea is PublicIdea => idea.kind === 'idea' && (idea.status === 'published' || idea.status === 'merged'))
      .map((idea) => ({
        text: idea.text,
        dots: !final ? null : themeVote ? (dotsOf.get(idea.ideaId) ?? null) : (dotsOf.get(idea.ideaId) ?? 0),
        mergedInto: idea.mergedInto ? (textOf.get(idea.mergedInto) ?? null) : null,
        theme: themeOf.get(idea.ideaId) ?? null,
      }))
      // Never submission order: by dots, then alphabetically.
      .sort((a, b) => (b.dots ?? 0) - (a.dots ?? 0) || a.text.localeCompare(b.text)),
    hidden: { count: hidden.length, reasons: hidden.map((idea) => idea.hiddenReason ?? 'no reason given').sort() },
    themes,
  }
}

function agreementOf(proposals: PublicProposal[]): ExportSection['agreement'] {
  const agreed = [...proposals].reverse().find((proposal) => proposal.outcome === 'agreed')
  if (agreed) return { status: 'agreed', note: null, text: agreed.text, items: agreed.items }
  if (proposals.length === 0) return { status: 'no-proposal', note: 'Nobody has been asked to agree a wording yet.', text: null, items: null }
  const open = proposals.find((proposal) => proposal.status === 'open')
  const last = proposals.at(-1)!
  return {
    status: 'not-agreed',
    note: open ? `Round ${open.roundNumber} is still open for answers.` : `Round ${last.roundNumber} did not reach agreement.`,
    text: null,
    items: null,
  }
}

function exportRound(proposal: PublicProposal, textOf: Map<string, string>): ExportRound {
  return {
    roundNumber: proposal.roundNumber,
    draft: { text: proposal.text, items: proposal.items },
    adoptedSuggestion: proposal.adoptedSuggestionId ? (textOf.get(proposal.adoptedSuggestionId) ?? null) : null,
    revisionNote: proposal.revisionNote,
    counts: proposal.counts ?? { agree: 0, canLiveWith: 0, object: 0 },
    reasons: proposal.reasons.map((reason) => ({ response: reason.response as ConsentResponse, text: reason.text })),
    outcome: proposal.outcome ?? 'open',
    threshold: proposal.threshold,
    perspectives: proposal.perspectives,
  }
}
