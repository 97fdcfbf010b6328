import { notAgreedLine, type ExportIdea, type ExportModel, type ExportResults, type ExportRound, type ExportSection } from '../../shared/exportModel.ts'
import { agreementRule } from '../../shared/consent.ts'
import { PHASE_LABEL } from '../../shared/phases.ts'
import { formatDay } from '../../shared/days.ts'

/**
 * The words every export uses, in one place, and the outline (a list of blocks) that the document
 * formats (Markdown, PDF, Word) render in the same order: agreed texts, then how they were agreed,
 * then every idea, then hidden ideas as counts. UK English, short sentences, plain words.
 */

/** A document covering one of the standard parts is titled after it. */
const PART_TITLE: Record<Exclude<ExportSection['kind'], 'custom'>, string> = {
  vision: 'Our shared vision',
  values: 'Our shared values',
  'ground-rules': 'Our ground rules',
}
const PART_NAME: Record<keyof typeof PART_TITLE, string> = { vision: 'vision', values: 'values', 'ground-rules': 'ground rules' }

/** For a workshop whose sections are not only the standard parts (or none at all). */
export const WORKSHOP_DOCUMENT_TITLE = 'What our workshop agreed'

/**
 * The document's title, after what it covers: every document was "Our shared vision", even one
 * holding only values or ground rules. One part gives its own title ("Our shared values", or a
 * section the facilitator added by its name); the standard parts together are named
 * ("Our shared vision, values and ground rules"); anything else reads "What our workshop agreed".
 */
export function documentTitle(sections: readonly Pick<ExportSection, 'kind' | 'title'>[]): string {
  const [only] = sections
  if (sections.length === 1 && only) return only.kind === 'custom' ? only.title : PART_TITLE[only.kind]
  const kinds = sections.map((section) => section.kind)
  const standard = kinds.filter((kind): kind is keyof typeof PART_TITLE => kind !== 'custom')
  if (sections.length === 0 || standard.length !== kinds.length || new Set(standard).size !== standard.length) return WORKSHOP_DOCUMENT_TITLE
  const names = standard.map((kind) => PART_NAME[kind])
  return `Our shared ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

export const PART = {
  agreed: 'What we agreed',
  provenance: 'How we agreed it',
  ideas: 'Every idea',
  hidden: 'Hidden ideas',
} as const

export type Block =
  | { type: 'title'; text: string }
  | { type: 'subtitle'; text: string }
  | { type: 'heading'; level: 1 | 2 | 3; text: string }
  /** `statement` is an agreed text; `note` is something not there yet or an aside. */
  | { type: 'paragraph'; text: string; style: 'normal' | 'statement' | 'note'; dir?: TextDirection }
  | { type: 'list'; ordered: boolean; items: string[]; dir?: TextDirection }

/**
 * `auto` marks text that is only people's own words (an agreed statement, a list item): it reads
 * in the direction of its first letters, so an Arabic or Urdu statement is right-to-left. Lines
 * our wording wraps around people's words stay left-to-right, with their words reordered inside.
 * Titles are always `auto`.
 */
export type TextDirection = 'auto' | 'ltr'

/** "2026-03-14" → "14 March 2026" (one rule, shared with the client). */
export { formatDay }

export const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

export const dotsLabel = (dots: number | null): string => (dots === null ? 'not voted on yet' : plural(dots, 'dot', 'dots'))

function ordinal(n: number): string {
  const tens = n % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'
  return `${n}${suffix}`
}

/** "1st", or "Joint 2nd" when the place is shared. */
export const rankLabel = (rank: number, tied: boolean): string => (tied ? `Joint ${ordinal(rank)}` : ordinal(rank))

export function participantsLine(count: number): string {
  if (count === 0) return 'Nobody has joined yet.'
  return `${plural(count, 'person', 'people')} took part.`
}

export function introLine(model: ExportModel): string {
  const { createdOn, exportedOn, participantCount } = model.workshop
  return `This copy was made on ${formatDay(exportedOn)}. The workshop started on ${formatDay(createdOn)}. ${participantsLine(participantCount)}`
}

export const ANONYMITY_LINE = 'Every idea and every vote was anonymous. This document does not name anyone.'

export const phaseLine = (section: ExportSection): string => `Stage now: ${PHASE_LABEL[section.phase]}.`

export { notAgreedLine }

export function isAgreed(section: ExportSection): boolean {
  return section.agreement.status === 'agreed'
}

export function agreementStatusLine(section: ExportSection): string {
  if (!isAgreed(section)) return notAgreedLine(section)
  const round = [...section.rounds].reverse().find((r) => r.outcome === 'agreed')
  return round ? `Agreed in round ${round.roundNumber}.` : 'Agreed.'
}

export function resultsLine(results: ExportResults): string {
  return (
    `${plural(results.voterCount, 'person', 'people')} voted. ` +
    `Everyone had ${plural(results.budget, 'dot', 'dots')} and could put up to ${plural(results.maxPerIdea, 'dot', 'dots')} on one idea.`
  )
}

export const NO_RESULTS_LINE = 'The vote results are not ready yet.'
export const NO_VOTE_LINE = 'No vote was held for this part.'

/** Moved on to agreeing or finished without a vote: "not ready yet" and "not voted on yet" read as unfinished work. */
export const withoutVote = (section: Pick<ExportSection, 'voteHeld' | 'phase'>): boolean => !section.voteHeld && (section.phase === 'agree' || section.phase === 'done')

export const rankedLine = (r: ExportResults['ranked'][number]): string =>
  `${rankLabel(r.rank, r.tied)}: ${r.ideas ? `theme “${closeRtl(r.text)}”` : closeRtl(r.text)} — ${dotsLabel(r.dots)}${r.ideas && r.ideas.length > 0 ? ` (its ideas: ${r.ideas.map((idea) => `“${closeRtl(idea)}”`).join(', ')})` : ''}`

export const NO_ROUNDS_LINE = 'Nobody has been asked to agree a wording yet.'

export const roundTitle = (round: ExportRound): string => `Round ${round.roundNumber}`

export function countsLine(round: ExportRound): string {
  const { agree, canLiveWith, object } = round.counts
  const counts = `${agree} agreed, ${canLiveWith} could live with it, ${object} objected.`
  return round.outcome === 'open' ? `So far: ${counts}` : counts
}

const OUTCOME_LINE: Record<ExportRound['outcome'], string> = {
  agreed: 'Result: agreed.',
  'not-agreed': 'Result: not agreed.',
  open: 'This round is still open.',
}
export const outcomeLine = (round: ExportRound): string => `${OUTCOME_LINE[round.outcome]} The rule: agreed ${agreementRule(round.threshold)}.`

export const adoptedLine = (suggestion: string): string => `This draft used a suggestion from the group: “${suggestion}”`

export const revisionLine = (note: string): string => `What we changed to answer objections: ${note}`

export function perspectivesLine(round: ExportRound): string | null {
  const p = round.perspectives
  if (!p) return null
  if ('withheld' in p) return `Support across perspectives is not shown. ${p.withheld}`
  return `Supported across ${p.supportedAcross} of ${plural(p.of, 'perspective', 'perspectives')}.`
}

const RESPONSE_LABEL: Record<ExportRound['reasons'][number]['response'], string> = {
  object: 'Objected',
  'can-live-with': 'Could live with it',
  agree: 'Agreed',
}
const RESPONSE_ORDER = ['object', 'can-live-with', 'agree'] as const

export const REASONS_INTRO = 'Reasons people gave:'
export const DRAFT_INTRO = 'The draft:'

const collator = new Intl.Collator('en-GB')

/** Objections first, then A to Z: never the order people answered in. */
export function orderedReasons(round: ExportRound): ExportRound['reasons'] {
  return [...round.reasons].sort(
    (a, b) => RESPONSE_ORDER.indexOf(a.response) - RESPONSE_ORDER.indexOf(b.response) || collator.compare(a.text, b.text),
  )
}

export const reasonLine = (reason: ExportRound['reasons'][number]): string => `${RESPONSE_LABEL[reason.response]}: ${reason.text}`

/** Most dots first, then A to Z. The builder already orders them; sorting again here keeps
 * every format safe from an order that could follow submission. */
export function orderedIdeas(ideas: ExportIdea[]): ExportIdea[] {
  return [...ideas].sort((a, b) => (b.dots ?? -1) - (a.dots ?? -1) || collator.compare(a.text, b.text))
}

/** `themeVote`: people voted on themes, so an idea in a theme has no dots of its own. `noVote`: no dots to speak of. */
export function ideaLine(idea: ExportIdea, themeVote = false, noVote = false): string {
  const merged = idea.mergedInto === null ? '' : ` (joined with “${closeRtl(idea.mergedInto)}”)`
  const theme = idea.theme ? ` — theme: “${closeRtl(idea.theme)}”` : ''
  return `${closeRtl(idea.text)}${noVote ? '' : ` — ${ideaDotsLabel(idea, themeVote)}`}${merged}${theme}`
}

export const ideaDotsLabel = (idea: ExportIdea, themeVote: boolean): string => (themeVote && idea.dots === null ? 'voted on as part of its theme' : dotsLabel(idea.dots))

const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u

/**
 * Ends right-to-left words with an invisible left-to-right mark before our words follow them.
 * Without it the bidi algorithm pulls " — 4 dots" into the Urdu text, showing "4 — … dots".
 */
export const closeRtl = (text: string): string => (RTL_LETTER.test(text) ? `${text}\u200E` : text)

export const IDEAS_INTRO = 'Every idea people shared, with its dots. Ideas are listed by dots, then A to Z, so nobody can tell who wrote what or when.'
export const NO_IDEAS_LINE = 'No ideas shared yet.'
export const NO_HIDDEN_LINE = 'The facilitator did not hide any ideas.'

/** Reasons with how many ideas each covers, most first; ideas hidden without one are counted too. */
export function hiddenReasonCounts(hidden: ExportSection['hidden']): { reason: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const raw of hidden.reasons) {
    const reason = raw.trim() || 'no reason given'
    counts.set(reason, (counts.get(reason) ?? 0) + 1)
  }
  const unexplained = hidden.count - hidden.reasons.length
  if (unexplained > 0) counts.set('no reason given', (counts.get('no reason given') ?? 0) + unexplained)
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || collator.compare(a.reason, b.reason))
}

/** "3 ideas hidden by the facilitator: off-topic (2), duplicate (1)." — null when none. */
export function hiddenLine(hidden: ExportSection['hidden']): string | null {
  if (hidden.count <= 0) return null
  const reasons = hiddenReasonCounts(hidden).map(({ reason, count }) => `${reason} (${count})`)
  const head = `${plural(hidden.count, 'idea', 'ideas')} hidden by the facilitator`
  return reasons.length > 0 ? `${head}: ${reasons.join(', ')}.` : `${head}.`
}

/** The document outline every document format renders, top to bottom. */
export function buildOutline(model: ExportModel): Block[] {
  const blocks: Block[] = [
    { type: 'title', text: documentTitle(model.sections) },
    { type: 'subtitle', text: model.workshop.title },
    { type: 'paragraph', text: introLine(model), style: 'normal' },
    { type: 'paragraph', text: ANONYMITY_LINE, style: 'note' },
    { type: 'heading', level: 1, text: PART.agreed },
  ]
  for (const section of model.sections) blocks.push(...agreedBlocks(section))

  blocks.push({ type: 'heading', level: 1, text: PART.provenance })
  for (const section of model.sections) blocks.push(...provenanceBlocks(section))

  blocks.push({ type: 'heading', level: 1, text: PART.ideas }, { type: 'paragraph', text: IDEAS_INTRO, style: 'note' })
  for (const section of model.sections) {
    blocks.push({ type: 'heading', level: 2, text: section.title })
    const ideas = orderedIdeas(section.ideas)
    blocks.push(
      ideas.length > 0 ? { type: 'list', ordered: false, items: ideas.map((idea) => ideaLine(idea, section.results?.subject === 'themes', withoutVote(section))) } : { type: 'paragraph', text: NO_IDEAS_LINE, style: 'note' },
    )
  }

  blocks.push({ type: 'heading', level: 1, text: PART.hidden })
  const hidden = model.sections.flatMap((s) => {
    const line = hiddenLine(s.hidden)
    return line ? [`${s.title}: ${line}`] : []
  })
  blocks.push(hidden.length > 0 ? { type: 'list', ordered: false, items: hidden } : { type: 'paragraph', text: NO_HIDDEN_LINE, style: 'note' })
  return blocks
}

function agreedBlocks(section: ExportSection): Block[] {
  const blocks: Block[] = [{ type: 'heading', level: 2, text: section.title }]
  if (section.prompt.trim()) blocks.push({ type: 'paragraph', text: `We asked: ${section.prompt}`, style: 'note' })
  const { text, items } = section.agreement
  if (!isAgreed(section)) {
    blocks.push({ type: 'paragraph', text: notAgreedLine(section), style: 'note' })
    return blocks
  }
  if (text) blocks.push({ type: 'paragraph', text, style: 'statement', dir: 'auto' })
  if (items && items.length > 0) blocks.push({ type: 'list', ordered: true, items, dir: 'auto' })
  if (!text && !items?.length) blocks.push({ type: 'paragraph', text: agreementStatusLine(section), style: 'note' })
  return blocks
}

function provenanceBlocks(section: ExportSection): Block[] {
  const blocks: Block[] = [
    { type: 'heading', level: 2, text: section.title },
    { type: 'paragraph', text: `${agreementStatusLine(section)} ${phaseLine(section)}`, style: 'normal' },
  ]
  if (section.results) {
    blocks.push(
      { type: 'paragraph', text: resultsLine(section.results), style: 'normal' },
      { type: 'list', ordered: false, items: section.results.ranked.map(rankedLine) },
    )
  } else {
    blocks.push({ type: 'paragraph', text: withoutVote(section) ? NO_VOTE_LINE : NO_RESULTS_LINE, style: 'note' })
  }
  if (section.rounds.length === 0) blocks.push({ type: 'paragraph', text: NO_ROUNDS_LINE, style: 'note' })
  for (const round of section.rounds) blocks.push(...roundBlocks(round))
  return blocks
}

function roundBlocks(round: ExportRound): Block[] {
  const blocks: Block[] = [{ type: 'heading', level: 3, text: roundTitle(round) }]
  if (round.revisionNote) blocks.push({ type: 'paragraph', text: revisionLine(round.revisionNote), style: 'normal' })
  if (round.adoptedSuggestion) blocks.push({ type: 'paragraph', text: adoptedLine(round.adoptedSuggestion), style: 'normal' })
  blocks.push({ type: 'paragraph', text: DRAFT_INTRO, style: 'normal' })
  if (round.draft.text) blocks.push({ type: 'paragraph', text: round.draft.text, style: 'statement', dir: 'auto' })
  if (round.draft.items?.length) blocks.push({ type: 'list', ordered: true, items: round.draft.items, dir: 'auto' })
  blocks.push(
    { type: 'paragraph', text: countsLine(round), style: 'normal' },
    { type: 'paragraph', text: outcomeLine(round), style: 'normal' },
  )
  const perspectives = perspectivesLine(round)
  if (perspectives) blocks.push({ type: 'paragraph', text: perspectives, style: 'normal' })
  const reasons = orderedReasons(round)
  if (reasons.length > 0) {
    blocks.push({ type: 'paragraph', text: REASONS_INTRO, style: 'normal' }, { type: 'list', ordered: false, items: reasons.map(reasonLine) })
  }
  return blocks
}
