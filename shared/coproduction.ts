import { MIN_PERSPECTIVE_GROUP } from './consent.ts'
import type { Perspective } from './intents.ts'

/**
 * Co-production over time (issue 16): programmes, commitments ("you said, we did"), the ladder
 * check-out and involvement records. Pure rules and request shapes, used by server and client.
 */

// ---------------------------------------------------------------------------------------------
// The engagement ladder, in plain words, from the bottom rung to the top.

export interface LadderRung {
  rung: number
  name: string
  /** One line a participant can read on a phone. */
  description: string
}

export const LADDER: readonly LadderRung[] = [
  { rung: 1, name: 'Coercion', description: 'People are made to go along with plans.' },
  { rung: 2, name: 'Educating', description: 'People are told about a plan so they accept it.' },
  { rung: 3, name: 'Informing', description: 'People are told what is going on, but have no say.' },
  { rung: 4, name: 'Consultation', description: 'People are asked what they think, but others decide.' },
  { rung: 5, name: 'Engagement', description: 'People have more say, but others still decide.' },
  { rung: 6, name: 'Co-design', description: 'People help shape plans, as partners.' },
  { rung: 7, name: 'Co-production', description: 'People share power. They decide and do it together, as equals.' },
]

/** Said under the ladder question: what the ladder is, in one plain line. */
export const LADDER_EXPLAINED = 'The ladder goes from being told what will happen (at the bottom) to deciding together as equals (at the top).'

export const ladderRung = (rung: number): LadderRung | undefined => LADDER.find((entry) => entry.rung === rung)

// ---------------------------------------------------------------------------------------------
// Perspective groups and the k threshold.

/** A group is shown only with at least this many answers; fewer shows "fewer than 3". */
export const MIN_GROUP = MIN_PERSPECTIVE_GROUP
export const FEWER_THAN = `fewer than ${MIN_GROUP}`

/** "Prefer not to say" and no answer are one group: neither names a perspective. */
export type PerspectiveGroup = Exclude<Perspective, 'prefer-not-to-say'> | 'not-said'

export const groupOf = (perspective: string | null): PerspectiveGroup =>
  perspective === null || perspective === 'prefer-not-to-say' ? 'not-said' : (perspective as PerspectiveGroup)

export const GROUP_LABEL: Record<PerspectiveGroup, string> = {
  'lived-experience': 'People with lived experience',
  carer: 'Carers and family',
  staff: 'Staff',
  'manager-or-commissioner': 'Managers and commissioners',
  other: 'Other',
  'not-said': 'Did not say',
}

/** A count that is only shown at MIN_GROUP or more. */
export type GuardedCount = { shown: true; count: number } | { shown: false; note: typeof FEWER_THAN }

export const guardedCount = (count: number): GuardedCount => (count >= MIN_GROUP ? { shown: true, count } : { shown: false, note: FEWER_THAN })

// ---------------------------------------------------------------------------------------------
// Check-out.

export const CHANGED_MAX_CHARS = 500
export const CHECKOUT_QUESTIONS = ['rung', 'heard', 'safe', 'equal'] as const
export type CheckoutQuestion = (typeof CHECKOUT_QUESTIONS)[number]

export const QUESTION_LABEL: Record<CheckoutQuestion, string> = {
  rung: 'Where this work sits on the ladder (1 to 7)',
  heard: 'I was heard (1 to 5)',
  safe: 'I felt safe (1 to 5)',
  equal: 'I was treated as an equal (1 to 5)',
}

/** Counts of each answer to one question within one group, e.g. { 3: 2, 4: 1 }. */
export type AnswerCounts = Record<number, number>

export interface QuestionSummary {
  /** Average, one decimal place. */
  mean: number
  counts: AnswerCounts
}

export type GroupSummary =
  | { group: PerspectiveGroup; label: string; shown: true; count: number; answers: Record<CheckoutQuestion, QuestionSummary> }
  | { group: PerspectiveGroup; label: string; shown: false; note: typeof FEWER_THAN }

export interface CheckoutSummary {
  groups: GroupSummary[]
  /**
   * Everyone together: only when no group is withheld, since a total beside shown groups would
   * give away a withheld group's answers by subtraction.
   */
  overall: { count: number; answers: Record<CheckoutQuestion, QuestionSummary> } | null
  /** Staff beside people with lived experience, when both groups are shown. */
  perceptionGap: { question: CheckoutQuestion; livedExperience: number; staff: number; gap: number }[] | null
  /**
   * Check-outs whose answers this server does not hold: a group's answers wait in memory until
   * MIN_GROUP of that group have checked out, and a restart loses them (with several instances,
   * another one may hold them). With any, no overall figure.
   */
  notKept: number
  /**
   * Set (and nothing else shown) until the workshop's day is over. Shown as people left, the
   * results changed when a batch of 3 was written, at the check-out of its third member, so anyone
   * watching them and the door could tell that person's perspective.
   */
  waits?: true
}

/** Why check-out results are not shown yet (facilitator, programme page and evidence pack). */
export const CHECKOUTS_WAIT = 'Check-out results show the day after the workshop, and after any day someone checks out. Then nobody can work out one person’s answers as they change.'

/** What the results say until the workshop's day is over. */
export const WAITING_CHECKOUTS: CheckoutSummary = { groups: [], overall: null, perceptionGap: null, notKept: 0, waits: true }

/** True once `day` (a workshop's, "YYYY-MM-DD") is over: counts and results shown from then no longer change as people come and go. */
export const dayIsOver = (day: string, today: string): boolean => day < today

/**
 * Whether counts of who took part may be shown: once the day the workshop was held is over. Held
 * means run: its first phase change or publication of ideas, not its first join (a facilitator
 * trying the link the evening before made that day "the day", and the real session live).
 */
export const takingPartShown = (heldDay: string | null, today: string): boolean => heldDay !== null && dayIsOver(heldDay, today)

/**
 * Whether check-out results may be shown: as for who took part, and never on a day anyone checked
 * out. Results then change only from one day to the next, by a whole day's check-outs, so nobody
 * can read one person's answers off them, on the workshop's day or any later one.
 */
export const checkoutsShown = (heldDay: string | null, lastCheckoutDay: string | null, today: string): boolean =>
  takingPartShown(heldDay, today) && (lastCheckoutDay === null || dayIsOver(lastCheckoutDay, today))

/** One stored tally: how many people in a group gave `answer` to `question`. */
export interface CheckoutTally {
  group: PerspectiveGroup
  question: CheckoutQuestion
  answer: number
  n: number
}

/** Said wherever check-out results are shown, when some answers were not kept. */
export const notKeptNote = (n: number): string =>
  `${n} ${n === 1 ? 'check-out is' : 'check-outs are'} not shown here. Answers wait in the server's memory until ${MIN_GROUP} people from the same group have checked out. They are lost if the server restarts before that.`

const round1 = (n: number) => Math.round(n * 10) / 10

function summariseQuestion(tallies: readonly CheckoutTally[]): QuestionSummary {
  const counts: AnswerCounts = {}
  let total = 0
  let sum = 0
  for (const t of tallies) {
    counts[t.answer] = (counts[t.answer] ?? 0) + t.n
    total += t.n
    sum += t.answer * t.n
  }
  return { mean: total === 0 ? 0 : round1(sum / total), counts }
}

function summariseAnswers(tallies: readonly CheckoutTally[]): Record<CheckoutQuestion, QuestionSummary> {
  return Object.fromEntries(CHECKOUT_QUESTIONS.map((q) => [q, summariseQuestion(tallies.filter((t) => t.question === q))])) as Record<
    CheckoutQuestion,
    QuestionSummary
  >
}

/** Group sizes are the tallies of the `rung` question, which everyone answers. */
const sizeOf = (tallies: readonly CheckoutTally[]) => tallies.filter((t) => t.question === 'rung').reduce((sum, t) => sum + t.n, 0)

/**
 * The k rule for check-outs: a group with fewer than MIN_GROUP answers is withheld ("fewer than
 * 3"), the others are shown; the overall figure only when nothing is withheld or lost.
 */
export function summariseCheckouts(tallies: readonly CheckoutTally[], notKept = 0): CheckoutSummary {
  const byGroup = new Map<PerspectiveGroup, CheckoutTally[]>()
  for (const t of tallies) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), t])
  const order = Object.keys(GROUP_LABEL) as PerspectiveGroup[]
  const groups: GroupSummary[] = order
    .filter((group) => sizeOf(byGroup.get(group) ?? []) > 0)
    .map((group) => {
      const own = byGroup.get(group)!
      const count = sizeOf(own)
      return count >= MIN_GROUP
        ? { group, label: GROUP_LABEL[group], shown: true as const, count, answers: summariseAnswers(own) }
        : { group, label: GROUP_LABEL[group], shown: false as const, note: FEWER_THAN }
    })
  const anyWithheld = notKept > 0 || groups.some((g) => !g.shown)
  const total = sizeOf(tallies)
  const overall = !anyWithheld && total >= MIN_GROUP ? { count: total, answers: summariseAnswers(tallies) } : null
  const lived = groups.find((g) => g.group === 'lived-experience')
  const staff = groups.find((g) => g.group === 'staff')
  const perceptionGap =
    lived?.shown && staff?.shown
      ? CHECKOUT_QUESTIONS.map((question) => {
          const l = lived.answers[question].mean
          const s = staff.answers[question].mean
          return { question, livedExperience: l, staff: s, gap: round1(s - l) }
        })
      : null
  return { groups, overall, perceptionGap, notKept }
}

// ---------------------------------------------------------------------------------------------
// Programmes and commitments.

export interface CreatedProgramme {
  programmeId: string
  programmeKey: string
  programmeUrl: string
}

export const COMMITMENT_STATUSES = ['planned', 'doing', 'done', 'not-possible'] as const
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number]

export const STATUS_LABEL: Record<CommitmentStatus, string> = {
  planned: 'Planned',
  doing: 'Being done',
  done: 'Done',
  'not-possible': 'Not possible',
}

export const NOTE_MAX_CHARS = 1000

export interface CommitmentUpdate {
  status: CommitmentStatus
  note: string
  /** Day only, YYYY-MM-DD. */
  day: string
}

export interface PublicCommitment {
  commitmentId: string
  workshopId: string
  text: string
  ownerRole: string
  sectionId: string | null
  ideaIds: string[]
  due: string | null
  createdOn: string
  /** Latest status; "planned" until the first update. */
  status: CommitmentStatus
  updates: CommitmentUpdate[]
}

/**
 * "You said, we did" for one of my ideas: the commitments that carry it, directly or through the
 * idea it was merged into. Matched on the device against the list everyone gets, so no answer
 * about my own ideas grows with what was promised about them (its size would name the author).
 */
export function commitmentsCarrying(idea: { ideaId: string; mergedInto?: string | null }, commitments: readonly PublicCommitment[]): PublicCommitment[] {
  return commitments.filter((c) => c.ideaIds.includes(idea.ideaId) || (idea.mergedInto != null && c.ideaIds.includes(idea.mergedInto)))
}

// ---------------------------------------------------------------------------------------------
// Involvement records.

export const INVOLVEMENT_MAX_MINUTES = 600

export interface InvolvementRecord {
  code: string
  workshopTitle: string
  date: string
  minutes: number
}

export type InvolvementCheck =
  | { valid: false }
  | { valid: true; workshopTitle: string; date: string; minutes: number; redeemed: boolean }
  /** Signed here, but its workshop has been deleted: its title and whether it was paid went with it. */
  | { valid: true; workshopDeleted: true; date: string; minutes: number }

/** Plain words shown before someone takes a record. */
export const BENEFITS_NOTE = [
  'Being paid for taking part can change some benefits.',
  'You can get free advice first, in private.',
  'Citizens Advice can help: citizensadvice.org.uk or 0800 144 8848.',
] as const
