import { z } from 'zod'
import { CHANGED_MAX_CHARS, COMMITMENT_STATUSES, INVOLVEMENT_MAX_MINUTES, NOTE_MAX_CHARS } from './coproduction.ts'

/**
 * Request bodies of the co-production routes, validated on the server. Kept apart from
 * coproduction.ts so the client, which needs only its labels and limits, loads no zod.
 */

const scale = (max: number, what: string) =>
  z.number({ error: `${what} must be a number` }).int({ error: `${what} must be a whole number` }).min(1, { error: `${what} must be 1 to ${max}` }).max(max, { error: `${what} must be 1 to ${max}` })

export const CheckoutBody = z.object({
  rung: scale(7, 'rung'),
  heard: scale(5, 'heard'),
  safe: scale(5, 'safe'),
  equal: scale(5, 'equal'),
  changed: z
    .string({ error: 'changed must be text' })
    .max(CHANGED_MAX_CHARS, { error: `Keep "what changed for you" to ${CHANGED_MAX_CHARS} characters` })
    .transform((text) => text.trim())
    .optional(),
})
export type CheckoutBody = z.infer<typeof CheckoutBody>

export const ProgrammeBody = z.object({
  title: z
    .string({ error: 'The title must be text' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, { error: 'Give the programme a name.' }).max(200, { error: 'The title is too long — keep it to 200 characters' })),
})
export type ProgrammeBody = z.infer<typeof ProgrammeBody>

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/

const ownerRolePlainWords =
  'Give a role, like "Ward manager" or "Service user group" — not a person’s name, so it stays true when people move on.'

export const CommitmentBody = z.object({
  text: z
    .string({ error: 'text must be text' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, { error: 'Say what will be done' }).max(1000, { error: 'Keep the commitment to 1000 characters' })),
  ownerRole: z
    .string({ error: 'ownerRole must be text' })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, { error: ownerRolePlainWords }).max(80, { error: 'Keep the role to 80 characters' })),
  sectionId: z.string().max(64).optional(),
  ideaIds: z.array(z.string().max(64)).max(50, { error: 'Link at most 50 ideas' }).optional(),
  due: z.string().regex(ISO_DAY, { error: 'due must be a day, like 2026-03-31' }).optional(),
})
export type CommitmentBody = z.infer<typeof CommitmentBody>

/** "Not possible" must say why: the framework asks for honesty about what cannot be done. */
export const CommitmentUpdateBody = z
  .object({
    status: z.enum(COMMITMENT_STATUSES, { error: 'status must be one of planned, doing, done, not-possible' }),
    note: z
      .string({ error: 'note must be text' })
      .max(NOTE_MAX_CHARS, { error: `Keep the note to ${NOTE_MAX_CHARS} characters` })
      .transform((v) => v.trim())
      .default(''),
  })
  .refine((body) => body.status !== 'not-possible' || body.note.length >= 3, {
    error: 'Say why this is not possible: people need to know the reason.',
    path: ['note'],
  })
export type CommitmentUpdateBody = z.infer<typeof CommitmentUpdateBody>

export const InvolvementBody = z.object({
  /** Less than the session, if the person wants a record for less time. */
  minutes: z.number({ error: 'minutes must be a number' }).int({ error: 'minutes must be a whole number' }).min(1, { error: 'minutes must be at least 1' }).max(INVOLVEMENT_MAX_MINUTES).optional(),
})
export type InvolvementBody = z.infer<typeof InvolvementBody>

export const InvolvementSettingsBody = z.object({
  minutes: z.number({ error: 'minutes must be a number' }).int().min(1).max(INVOLVEMENT_MAX_MINUTES, { error: `At most ${INVOLVEMENT_MAX_MINUTES} minutes` }),
})
