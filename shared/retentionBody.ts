import { z } from 'zod'
import { RETENTION_MAX_DAYS, RETENTION_MIN_DAYS } from './retention.ts'

/** What a facilitator sends to change how long a workshop is kept (server-side validation). */
export const RetentionBody = z.object({
  days: z
    .number({ error: 'Days must be a whole number' })
    .int({ error: 'Days must be a whole number' })
    .min(RETENTION_MIN_DAYS, { error: `Keep it for at least ${RETENTION_MIN_DAYS} day` })
    .max(RETENTION_MAX_DAYS, { error: `Keep it for at most ${RETENTION_MAX_DAYS} days (about 10 years)` }),
})
export type RetentionBody = z.infer<typeof RetentionBody>
