import type { ErrorBody, ErrorCode } from '../shared/errors.ts'
import { padJson } from '../shared/padding.ts'

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string; code?: ErrorCode }

const OFFLINE_MESSAGE = 'We could not reach the server. Check your connection and try again.'
/** A 503 with Retry-After promises nothing was done (a workshop moving between servers): ask again. */
const MAX_RETRIES = 4
const MAX_RETRY_WAIT_MS = 3_000

/** Calls our HTTP API. Never throws: network failures come back as a message people can read. */
export async function callApi<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (init.token) headers.authorization = `Bearer ${init.token}`
  let response: Response
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? null : padJson(JSON.stringify(init.body)),
      })
    } catch {
      return { ok: false, status: 0, message: OFFLINE_MESSAGE }
    }
    const retryAfter = Number(response.headers.get('retry-after'))
    if (response.status !== 503 || !(retryAfter > 0) || attempt >= MAX_RETRIES) break
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter * 1000, MAX_RETRY_WAIT_MS)))
  }
  const json: unknown = await response.json().catch(() => null)
  if (response.ok) return { ok: true, value: json as T }
  const error = (json as Partial<ErrorBody> | null)?.error
  return { ok: false, status: response.status, message: error?.message ?? 'Something went wrong. Please try again.', ...(error?.code ? { code: error.code } : {}) }
}
