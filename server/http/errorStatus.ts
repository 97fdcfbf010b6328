import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ErrorCode, type AppError, type ErrorBody } from '../../shared/errors.ts'

/** The one table from error code to HTTP status. */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  [ErrorCode.badRequest]: 400,
  [ErrorCode.invalidJson]: 400,
  [ErrorCode.validation]: 400,
  [ErrorCode.unauthorized]: 401,
  [ErrorCode.forbidden]: 403,
  [ErrorCode.notFound]: 404,
  [ErrorCode.wrongPhase]: 409,
  [ErrorCode.conflict]: 409,
  [ErrorCode.tooFewPeople]: 409,
  [ErrorCode.ideasWaiting]: 409,
  [ErrorCode.payloadTooLarge]: 413,
  [ErrorCode.unprocessable]: 422,
  [ErrorCode.overBudget]: 422,
  [ErrorCode.overCap]: 422,
  [ErrorCode.rateLimited]: 429,
  [ErrorCode.limitReached]: 429,
  [ErrorCode.doorClosed]: 403,
  [ErrorCode.internal]: 500,
  [ErrorCode.unavailable]: 503,
  [ErrorCode.storageUnavailable]: 503,
}

export const errorBody = (error: AppError): ErrorBody => ({ error })
