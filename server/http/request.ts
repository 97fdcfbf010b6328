import type { Context } from 'hono'
import type { z } from 'zod'
import { describeIssues } from '../../shared/intents.ts'
import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors.ts'
import { errorBody, STATUS_OF } from './errorStatus.ts'

/** Reads and validates a JSON body. Malformed JSON and schema failures become 400s. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<Result<z.infer<S>>> {
  let raw: unknown
  try {
    const text = await c.req.text()
    raw = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    // JSON.parse's message would echo the body back; a fixed sentence is kinder and safer.
    return fail(ErrorCode.invalidJson, 'The request body is not valid JSON.')
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) return fail(ErrorCode.validation, describeIssues(parsed.error))
  return ok(parsed.data)
}

export const sendError = (c: Context, error: AppError) => c.json(errorBody(error), STATUS_OF[error.code])

/** Sends a Result: the value with `status`, or the error with its mapped status. */
export const send = <T>(c: Context, result: Result<T>, status: 200 | 201 = 200) =>
  result.ok ? c.json(result.value as object, status) : sendError(c, result.error)

/** The bearer token from the Authorization header, if any. */
export function bearerToken(c: Context): string | null {
  const header = c.req.header('authorization')
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1] ?? null
}

/** The origin the request came in on, for building links when PUBLIC_URL is not set. */
export function requestOrigin(c: Context): string {
  const url = new URL(c.req.url)
  return url.origin
}
