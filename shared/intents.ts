import { HIDDEN_CHARS } from './text.ts'
import { z } from 'zod'
import { VOTE_SUBJECTS } from './ballots.ts'

/** zod schemas for every HTTP intent body. Identity never comes from a body: only from the token. */

export const WORKSHOP_TITLE_MAX_CHARS = 200

const trimmed = (max: number, what: string, whenEmpty = `${what} is empty — type a few words`) =>
  z
    .string({ error: `${what} must be text` })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, { error: whenEmpty })
        .max(max, { error: `${what} is too long — keep it to ${max} characters` })
        .refine((value) => !HIDDEN_CHARS.test(value), { error: `${what} has hidden control characters in it — please type it again` }),
    )

export const CreateWorkshopBody = z.object({
  // The form's label says "name": so does the message (WCAG 2.2 audit).
  title: trimmed(WORKSHOP_TITLE_MAX_CHARS, 'The title', 'Give the workshop a name.'),
  joinMode: z.enum(['open', 'invite'], { error: 'Join mode must be "open" or "invite"' }).default('open'),
  /** With the programme key as bearer token: the workshop joins that programme (issue 16). */
  programmeId: z.string().max(64).optional(),
  /** In a programme: start from its current vision, values and ground rules (the default). */
  carryForward: z.boolean().default(true),
})
export type CreateWorkshopBody = z.infer<typeof CreateWorkshopBody>

export const Perspective = z.enum(['lived-experience', 'carer', 'staff', 'manager-or-commissioner', 'other', 'prefer-not-to-say'])
export type Perspective = z.infer<typeof Perspective>

export const JoinBody = z.object({
  inviteCode: z.string().max(40).optional(),
  perspective: Perspective.optional(),
})
export type JoinBody = z.infer<typeof JoinBody>

export interface CreatedWorkshop {
  workshopId: string
  facilitatorKey: string
  joinCode: string
  joinUrl: string
  facilitatorUrl: string
}

export interface JoinedWorkshop {
  participantId: string
  token: string
  /**
   * The workshop's `state` doc as one Yjs update, base64: what the state socket sends a client
   * joining empty, so the page can show before that socket has synced. Absent when larger than
   * `maxJoinStateBytes`; the socket brings it then.
   */
  state?: string
}

export interface FacilitatorView {
  title: string
  joinCode: string
  joinMode: 'open' | 'invite'
  participantCount: number
  inviteCodesIssued: number
  inviteCodesUsed: number
  /** False once the facilitator closed the door: nobody new can join. */
  doorOpen: boolean
}

export const DoorBody = z.object({ open: z.boolean({ error: 'open must be true or false' }) })
export type DoorBody = z.infer<typeof DoorBody>

export const InviteCodesBody = z.object({ count: z.number().int().min(1, { error: 'Make at least 1 code' }).max(500, { error: 'Make at most 500 codes at a time' }) })
export type InviteCodesBody = z.infer<typeof InviteCodesBody>

export interface JoinCodeLookup {
  workshopId: string
  title: string
}

/** Idea text is checked in full by `normaliseIdeaText`; the schema only bounds the raw size. */
export const EditIdeaBody = z.object({ text: z.string({ error: 'text must be text' }).max(20_000, { error: 'That is far too long for one idea.' }) })
export type EditIdeaBody = z.infer<typeof EditIdeaBody>

/** A new idea may carry a content note (W9), checked by `normaliseIdeaContentNote`. */
export const AddIdeaBody = EditIdeaBody.extend({
  contentNote: z.string({ error: 'contentNote must be text' }).max(1000, { error: 'That content note is far too long.' }).optional(),
})
export type AddIdeaBody = z.infer<typeof AddIdeaBody>

export const MyIdeasBody = z.object({
  ideas: z.array(z.object({ ideaId: z.string().max(64), authorKey: z.string().max(128) })).max(500),
})
export type MyIdeasBody = z.infer<typeof MyIdeasBody>

export interface AddedIdea {
  ideaId: string
  /** Kept on the author's device; the only proof of authorship. The server keeps its hash. */
  authorKey: string
}

const publishAnyway = z.boolean({ error: 'publishAnyway must be true or false' }).optional()

export const PhaseBody = z
  .object({
    phase: z.enum(['gather', 'discuss', 'vote', 'agree', 'done'], { error: 'phase must be one of gather, discuss, vote, agree, done' }),
    /** Leaving an open vote publishes it: with too few voters only if the facilitator says so. */
    publishAnyway,
    /** Opening a vote: on single ideas (the default) or on themes. */
    subject: z.enum(VOTE_SUBJECTS, { error: 'subject must be ideas or themes' }).optional(),
    /** Opening a vote while new ideas wait: they stay waiting, out of this vote. */
    leaveWaiting: z.boolean({ error: 'leaveWaiting must be true or false' }).optional(),
  })
  .refine((body) => body.subject === undefined || body.phase === 'vote', { error: 'subject is only for opening a vote (phase vote)', path: ['subject'] })
export type PhaseBody = z.infer<typeof PhaseBody>

/**
 * Closing a vote or consent round, or showing ideas. `publishAnyway`: publish even though too few
 * people took part to keep it secret; everyone sees a line saying so.
 */
export const PublishBody = z.object({ publishAnyway })
export type PublishBody = z.infer<typeof PublishBody>

export const HideIdeaBody = z.object({ reason: trimmed(200, 'The reason') })
export type HideIdeaBody = z.infer<typeof HideIdeaBody>

export const MergeIdeasBody = z.object({
  keepIdeaId: z.string().max(64),
  mergeIdeaIds: z.array(z.string().max(64)).min(1, { error: 'Choose at least one idea to merge' }).max(50),
})
export type MergeIdeasBody = z.infer<typeof MergeIdeasBody>

export const MoveIdeaBody = z.object({ sectionId: z.string().max(64) })

export type MoveIdeaBody = z.infer<typeof MoveIdeaBody>

/**
 * Asking for an idea's words to be left out of exports. Without `fromTomorrow` the request waits
 * for two more people's; with it, it is also left out from tomorrow if nobody else asks.
 */
export const ExportHiddenBody = z.object({ fromTomorrow: z.boolean({ error: 'fromTomorrow must be true or false' }).optional() })

/** "Put with…": an idea joins another idea (a new theme) or a theme, in the same section. */
export const PutWithBody = z
  .object({
    ideaId: z.string().max(64),
    withIdeaId: z.string().max(64).optional(),
    themeId: z.string().max(64).optional(),
    /** For a new theme; without one it is named after the idea it was put with. */
    name: trimmed(80, 'The theme name').optional(),
  })
  .refine((body) => (body.withIdeaId === undefined) !== (body.themeId === undefined), { error: 'Say which idea or theme to put it with' })
export type PutWithBody = z.infer<typeof PutWithBody>

export const RenameThemeBody = z.object({ name: trimmed(80, 'The theme name') })
export type RenameThemeBody = z.infer<typeof RenameThemeBody>

export const AddSectionBody = z.object({
  template: z.enum(['barriers', 'change', 'reflection', 'blank']).default('blank'),
  title: trimmed(80, 'The section title').optional(),
  prompt: trimmed(300, 'The question').optional(),
})
export type AddSectionBody = z.infer<typeof AddSectionBody>

export const UpdateSectionBody = z.object({
  title: trimmed(80, 'The section title').optional(),
  prompt: trimmed(300, 'The question').optional(),
  hiddenUntilReveal: z.boolean().optional(),
})
export type UpdateSectionBody = z.infer<typeof UpdateSectionBody>

export const ReorderSectionsBody = z.object({ sectionIds: z.array(z.string().max(64)).min(1).max(50) })
export type ReorderSectionsBody = z.infer<typeof ReorderSectionsBody>

export const VoteSettingsBody = z.object({
  budget: z.number({ error: 'budget must be a number' }),
  maxPerIdea: z.number({ error: 'maxPerIdea must be a number' }),
  liveTallies: z.boolean().default(false),
})
export type VoteSettingsBody = z.infer<typeof VoteSettingsBody>

/** Values are checked by `checkAllocation` (whole, not negative, within budget and cap). */
export const BallotBody = z.object({
  dots: z.record(z.string().max(64), z.unknown(), { error: 'dots must be an object of idea ids to numbers' }),
})
export type BallotBody = z.infer<typeof BallotBody>

export const ProposeBody = z.object({
  text: trimmed(1000, 'The draft').optional(),
  items: z.array(trimmed(500, 'Each item')).max(30, { error: 'Keep the list to 30 items or fewer' }).optional(),
  threshold: z.number().min(0.5, { error: 'The threshold must be at least half' }).max(1).optional(),
  revisionNote: trimmed(1000, 'The note on what changed').optional(),
  adoptedSuggestionId: z.string().max(64).optional(),
})
export type ProposeBody = z.infer<typeof ProposeBody>

export const RespondBody = z.object({
  response: z.enum(['agree', 'can-live-with', 'object'], { error: 'Choose agree, can-live-with or object' }),
  reason: z.string().max(300, { error: 'Keep your reason to 300 characters' }).optional(),
})
export type RespondBody = z.infer<typeof RespondBody>

// Wellbeing (W4, W5, W9, W10, L17, L21)

export const PauseRoomBody = z.object({ paused: z.boolean({ error: 'Say true to pause the room or false to carry on' }) })
export type PauseRoomBody = z.infer<typeof PauseRoomBody>

export const SignalKind = z.enum(['pause', 'more-time'], { error: 'Ask for "pause" or "more-time"' })
export type SignalKind = z.infer<typeof SignalKind>

/** "I need a pause" / "I need more time", or taking it back. Anonymous: only a count is kept. */
export const SignalBody = z.object({ signal: SignalKind, on: z.boolean({ error: 'Say true to ask or false to take it back' }) })
export type SignalBody = z.infer<typeof SignalBody>

export const ClearSignalsBody = z.object({ signal: SignalKind })
export type ClearSignalsBody = z.infer<typeof ClearSignalsBody>

export const StartTimerBody = z.object({
  sectionId: z.string().max(64),
  minutes: z.number({ error: 'Give the time in minutes' }).int({ error: 'Use whole minutes' }).min(1, { error: 'A timer needs at least 1 minute' }).max(120, { error: 'A timer can be 120 minutes at most' }),
})
export type StartTimerBody = z.infer<typeof StartTimerBody>

export const ExtendTimerBody = z.object({
  minutes: z.number({ error: 'Give the extra time in minutes' }).int({ error: 'Use whole minutes' }).min(1, { error: 'Add at least 1 minute' }).max(60, { error: 'Add 60 minutes at most at a time' }),
})
export type ExtendTimerBody = z.infer<typeof ExtendTimerBody>

export const SpotlightBody = z.object({ sectionId: z.string().max(64).nullable() })
export type SpotlightBody = z.infer<typeof SpotlightBody>

export const WellbeingSettingsBody = z.object({
  supportContacts: z.array(trimmed(200, 'Each support contact')).max(8, { error: 'Keep to 8 support contacts or fewer' }),
  contentNote: z.string({ error: 'The content note must be text' }).max(600, { error: 'Keep the content note to 600 characters' }).transform((value) => value.trim()),
})
export type WellbeingSettingsBody = z.infer<typeof WellbeingSettingsBody>

export const IdeaContentNoteBody = z.object({ note: z.string({ error: 'The note must be text' }).max(1000, { error: 'That content note is far too long.' }) })
export type IdeaContentNoteBody = z.infer<typeof IdeaContentNoteBody>

/** What anyone with the join link sees before joining: no ideas, no counts. */
export interface WelcomeInfo {
  title: string
  contentNote: string
  supportContacts: string[]
}

/** A participant's own signals, kept so a reload shows the right button; and the server clock. */
export interface MySignals {
  pauseRequested: boolean
  moreTimeRequested: boolean
  serverNow: number
}

/** Turns zod's issues into one plain sentence for people. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.code === 'invalid_type' && issue.input === undefined ? `${issue.path.join('.') || 'body'} is missing` : issue.message))
    .join('; ')
}
