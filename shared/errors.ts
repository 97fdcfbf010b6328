/**
 * Every expected failure has a code from this one list. Transport maps codes to HTTP status
 * (server/http/errorStatus.ts) and close codes (shared/closeCodes.ts); nothing else invents codes.
 */
export const ErrorCode = {
  badRequest: 'bad_request',
  invalidJson: 'invalid_json',
  validation: 'validation_failed',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'not_found',
  wrongPhase: 'wrong_phase',
  conflict: 'conflict',
  payloadTooLarge: 'payload_too_large',
  unprocessable: 'unprocessable',
  overBudget: 'over_budget',
  overCap: 'over_cap',
  rateLimited: 'rate_limited',
  limitReached: 'limit_reached',
  /** Publishing now could show what one person wrote or chose: too few people in the group. */
  tooFewPeople: 'too_few_people',
  /** Opening a vote while new ideas still wait to be shown: show them, or open it without them. */
  ideasWaiting: 'ideas_waiting',
  /** The facilitator closed the door: no new people join until it is opened again. */
  doorClosed: 'door_closed',
  internal: 'internal_error',
  /** Storage refused or could not be reached (disk full, database down): nothing was saved. */
  storageUnavailable: 'storage_unavailable',
  /** Briefly out of reach (another instance holds the workshop and cannot be reached): retry. */
  unavailable: 'unavailable',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export interface AppError {
  code: ErrorCode
  message: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message },
})

/** The JSON body every failing HTTP route answers with. */
export interface ErrorBody {
  error: AppError
}
