import { z } from 'zod'

/** zod schemas for every HTTP intent body. Identity never comes from a body: only from the token. */

export const WORKSHOP_TITLE_MAX_CHARS = 200

const trimmed = (max: number, what: string) =>
  z
    .string({ error: `${what} must be text` })
    .transform((value) => value.trim())
    .pipe(
      z
        .string()
        .min(1, { error: `${what} is empty — type a few words` })
        .max(max, { error: `${what} is too long — keep it to ${max} characters` }),
    )

export const CreateWorkshopBody = z.object({
  title: trimmed(WORKSHOP_TITLE_MAX_CHARS, 'The title'),
  joinMode: z.enum(['open', 'invite'], { error: 'Join mode must be "open" or "invite"' }).default('open'),
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
}

export interface FacilitatorView {
  title: string
  joinCode: string
  joinMode: 'open' | 'invite'
  participantCount: number
}

export interface JoinCodeLookup {
  workshopId: string
  title: string
}

/** Turns zod's issues into one plain sentence for people. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.code === 'invalid_type' && issue.input === undefined ? `${issue.path.join('.') || 'body'} is missing` : issue.message))
    .join('; ')
}
