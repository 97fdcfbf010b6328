import type { CheckoutSummary, GuardedCount, PerspectiveGroup, PublicCommitment } from './coproduction.ts'
import type { SectionKind } from './sections.ts'

/**
 * What a programme lead sees, and what the evidence pack contains. Anonymous by construction:
 * counts by perspective only at 3 or more, days never times, no ids of people.
 */
export const EVIDENCE_SCHEMA_VERSION = 2

export interface AgreedText {
  text: string | null
  items: string[] | null
}

/** One agreed text (vision, values, ground rules) across the programme's workshops. */
export interface AgreedTextHistory {
  kind: SectionKind
  title: string
  /** The latest agreed wording, or null if none of the workshops agreed one yet. */
  current: AgreedText | null
  /** Each time it was agreed: the workshop's day (never a time) and whether the wording changed. */
  history: { day: string; workshopTitle: string; changed: boolean; agreed: AgreedText }[]
}

export interface ProgrammeWorkshop {
  workshopId: string
  title: string
  day: string
  position: number
}

export const SMALLER_GROUPS = 'smaller-groups' as const
export const SMALLER_GROUPS_LABEL = 'In smaller groups'

export interface WorkshopEvidence {
  title: string
  day: string
  /**
   * People who joined, by perspective: groups of 3 or more each, then every smaller group in one
   * line (`smaller-groups`), itself "fewer than 3" when it is. Listed apart, a small group's line
   * appeared as its first member joined, and so named their perspective to anyone watching.
   */
  takingPart: { group: PerspectiveGroup | typeof SMALLER_GROUPS; label: string; count: GuardedCount }[]
  /**
   * Set (and `takingPart` empty) until the workshop's day is over. Shown while people join, the
   * counts changed by one with each of them, so anyone watching the page and the door could tell
   * each newcomer's perspective. The counts cover joins on the workshop's day only, so once shown
   * they never change.
   */
  takingPartWaits?: true
  checkout: CheckoutSummary
}

export interface ProgrammeView {
  programmeId: string
  title: string
  createdOn: string
  workshops: ProgrammeWorkshop[]
  agreedTexts: AgreedTextHistory[]
  commitments: (PublicCommitment & { workshopTitle: string })[]
  /** Workshop by workshop, in programme order. */
  trend: (WorkshopEvidence & { workshopId: string })[]
}

export interface EvidenceModel {
  schemaVersion: typeof EVIDENCE_SCHEMA_VERSION
  programme: { title: string; createdOn: string; exportedOn: string }
  agreedTexts: AgreedTextHistory[]
  workshops: WorkshopEvidence[]
  commitments: { workshopTitle: string; text: string; ownerRole: string; due: string | null; status: string; updates: { status: string; note: string; day: string }[] }[]
  /** "What changed for you", from every workshop with at least 3 check-outs, in no order that follows time. */
  reflections: string[]
}

/** Why "who took part" is not shown yet (programme page and evidence pack say the same). */
export const TAKING_PART_WAITS = 'Shown from the day after the workshop, so nobody can tell a person’s perspective by watching the numbers change as people join.'
