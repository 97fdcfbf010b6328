import type { VoteState } from './ballots.ts'
import type { Phase } from './phases.ts'

export const SectionKind = {
  vision: 'vision',
  values: 'values',
  groundRules: 'ground-rules',
  custom: 'custom',
} as const
export type SectionKind = (typeof SectionKind)[keyof typeof SectionKind]

export const SECTION_TITLE_MAX_CHARS = 80
export const SECTION_PROMPT_MAX_CHARS = 300

/** The public view of a section, as the state doc carries it. */
export interface Section {
  sectionId: string
  kind: SectionKind
  title: string
  prompt: string
  phase: Phase
  /** Position on the board and in lists, ascending. */
  order: number
  /** Ideas are held back until the facilitator reveals them. */
  hiddenUntilReveal: boolean
  revealed: boolean
  /** Ideas waiting (not yet published). A count only: the ideas stay on the server. */
  pendingCount: number
  vote: VoteState
}

export interface SectionTemplate {
  kind: SectionKind
  title: string
  prompt: string
}

/** Every new workshop starts with these three, with these ids. */
export const STANDARD_SECTIONS: readonly (SectionTemplate & { sectionId: string })[] = [
  {
    sectionId: 'vision',
    kind: SectionKind.vision,
    title: 'Our shared vision',
    prompt: 'What would good mental health support look like, if we got it right together?',
  },
  {
    sectionId: 'values',
    kind: SectionKind.values,
    title: 'Our values',
    prompt: 'What matters most to us in how we work together and treat each other?',
  },
  {
    sectionId: 'ground-rules',
    kind: SectionKind.groundRules,
    title: 'Our ground rules',
    prompt: 'What do we all agree to do so everyone feels safe and heard in this group?',
  },
]

/** Starting points for sections the facilitator adds. */
export const CUSTOM_SECTION_TEMPLATES: Record<string, SectionTemplate> = {
  barriers: {
    kind: SectionKind.custom,
    title: 'What gets in the way',
    prompt: 'What makes it hard for people to take part, or to get the support they need?',
  },
  change: {
    kind: SectionKind.custom,
    title: 'What we can and cannot change',
    prompt: 'What can this group change, what can it not change, and why?',
  },
  reflection: {
    kind: SectionKind.custom,
    title: 'Looking back',
    prompt: 'What worked well in how we did this, and what could we do better next time?',
  },
  blank: {
    kind: SectionKind.custom,
    title: 'New section',
    prompt: 'Write a question for the group here.',
  },
}
