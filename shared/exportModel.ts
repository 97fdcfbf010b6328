import type { Phase } from './phases.ts'
import type { SectionKind } from './sections.ts'

/**
 * Everything an export contains, built on the server from the workshop's public outcome. It is
 * anonymous by construction: no participant ids, pseudonyms, tokens, times finer than a day, or
 * any order that follows submission. Renderers (Markdown, PDF, Word, JSON, CSV) only format it.
 * The JSON export is this object; docs/export-schema.md documents it. Bump the version on change.
 */
export const EXPORT_SCHEMA_VERSION = 1

export interface ExportModel {
  schemaVersion: typeof EXPORT_SCHEMA_VERSION
  workshop: {
    title: string
    /** Day the export was made, YYYY-MM-DD. */
    exportedOn: string
    /** Day the workshop was created, YYYY-MM-DD. */
    createdOn: string
    /** People who joined (a count only). */
    participantCount: number
  }
  sections: ExportSection[]
}

export type AgreementStatus = 'agreed' | 'not-agreed' | 'no-proposal'

export interface ExportSection {
  sectionId: string
  kind: SectionKind
  title: string
  prompt: string
  phase: Phase
  /** The outcome: a statement (vision) or an ordered list (values, ground rules, custom). */
  agreement: {
    status: AgreementStatus
    /** Plain-language reason when not agreed, e.g. "The vote has not closed yet." */
    note: string | null
    text: string | null
    items: string[] | null
  }
  /** Consent rounds in the order they were held (provenance). */
  rounds: ExportRound[]
  /** Vote results, once the vote has closed; null before. */
  results: ExportResults | null
  /** False while no vote has been opened: a part agreed without one then says so, not "not ready yet". */
  voteHeld: boolean
  /** Every published idea (not withdrawn), ordered by dots then text — never by submission. */
  ideas: ExportIdea[]
  /** Ideas the facilitator hid: counts and reasons only, never their text. */
  hidden: { count: number; reasons: string[] }
  /** Themes people put ideas into, by name (A to Z), each with its ideas' words (A to Z). */
  themes: ExportTheme[]
}

export interface ExportTheme {
  name: string
  ideas: string[]
}

export interface ExportRound {
  roundNumber: number
  draft: { text: string | null; items: string[] | null }
  /** Anonymous suggestion the draft adopted, if any. */
  adoptedSuggestion: string | null
  /** What the facilitator said changed since the last round, answering objections. */
  revisionNote: string | null
  counts: { agree: number; canLiveWith: number; object: number }
  /** Reasons given, in shuffled order, without who gave them. */
  reasons: { response: 'agree' | 'can-live-with' | 'object'; text: string }[]
  outcome: 'agreed' | 'not-agreed' | 'open'
  /** Share of answers that had to agree or live with it; null: agreed only if nobody objected. */
  threshold: number | null
  /**
   * Support across self-declared perspectives, only when every counted group has at least
   * 3 people; otherwise `withheld` explains why.
   */
  perspectives: { supportedAcross: number; of: number } | { withheld: string } | null
}

export interface ExportResults {
  voterCount: number
  budget: number
  maxPerIdea: number
  /** `themes` when people voted on themes (absent for a vote on single ideas). */
  subject?: 'themes'
  /**
   * Most dots first. In a theme vote a row is a theme (`text` its name, `ideas` its shown ideas,
   * A to Z, as provenance) or an idea in no theme, voted on as itself (no `ideas`).
   */
  ranked: { rank: number; text: string; dots: number; tied: boolean; ideas?: string[] }[]
}

export interface ExportIdea {
  text: string
  dots: number | null
  /** Set when the idea was merged into another one. */
  mergedInto: string | null
  /** The name of the theme the idea was put in, if any. */
  theme: string | null
}

const DEFAULT_NOT_AGREED: Record<'not-agreed' | 'no-proposal', string> = {
  'no-proposal': 'Nobody has proposed a wording yet.',
  'not-agreed': 'The last round did not reach agreement.',
}

/**
 * Says plainly that a section is not agreed, and why when we know. A finished section says so:
 * "not agreed yet" promised more rounds that would never come.
 */
export function notAgreedLine(section: Pick<ExportSection, 'agreement' | 'phase'>): string {
  const { status, note } = section.agreement
  if (section.phase === 'done') return `Finished without an agreement. ${status === 'no-proposal' ? 'Nobody was asked to agree a wording.' : (note?.trim() ?? '')}`.trim()
  const why = note?.trim() || (status === 'agreed' ? '' : DEFAULT_NOT_AGREED[status])
  return `Not agreed yet. ${why}`.trim()
}
