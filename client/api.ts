import type { ErrorBody, ErrorCode } from '../shared/errors.ts'
import { padJson } from '../shared/padding.ts'

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string; code?: ErrorCode }

const OFFLINE_MESSAGE = 'We could not reach the server. Check your connection and try again.'
/** A 503 with Retry-After promises nothing was done (a workshop moving between servers): ask again. */
const MAX_RETRIES = 4
const MAX_RETRY_WAIT_MS = 3_000
/**
 * A request not answered in this time is reported as not sent, so the page never sits on
 * "Saving…" over a connection that died without closing (a phone leaving the ward's wifi).
 * Repeating one is safe: ideas carry an idempotency key, ballots and answers replace the last.
 */
const REQUEST_TIMEOUT_MS = 20_000

/** Calls our HTTP API. Never throws: network failures come back as a message people can read. */
export async function callApi<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (init.token) headers.authorization = `Bearer ${init.token}`
  let response: Response
  let json: unknown
  for (let attempt = 0; ; attempt++) {
    // A controller and a timer rather than AbortSignal.timeout, which older phones lack. The
    // timer covers the body too: headers can arrive and the rest never.
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), init.timeoutMs ?? REQUEST_TIMEOUT_MS)
    try {
      response = await fetch(path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers,
        body: init.body === undefined ? null : padJson(JSON.stringify(init.body)),
        signal: controller.signal,
      })
      const retryAfter = Number(response.headers.get('retry-after'))
      if (response.status !== 503 || !(retryAfter > 0) || attempt >= MAX_RETRIES) {
        json = await response.json().catch(() => null)
        if (controller.signal.aborted) return { ok: false, status: 0, message: OFFLINE_MESSAGE }
        break
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter * 1000, MAX_RETRY_WAIT_MS)))
    } catch {
      return { ok: false, status: 0, message: OFFLINE_MESSAGE }
    } finally {
      clearTimeout(timer)
    }
  }
  if (response.ok) return { ok: true, value: json as T }
  const error = (json as Partial<ErrorBody> | null)?.error
  return { ok: false, status: response.status, message: error?.message ?? 'Something went wrong. Please try again.', ...(error?.code ? { code: error.code } : {}) }
}
