/**
 * Websocket close codes the server uses. 1000–1015 are the standard ones; 4xxx are ours and
 * mirror HTTP where they can, so a client can treat them like the status it already knows.
 */
export const CloseCode = {
  /** Frame bigger than the configured limit (set by `ws` itself). */
  messageTooBig: 1009,
  /** Server is restarting (SIGTERM drain): reconnect soon. */
  serviceRestart: 1012,
  /** A frame we could not decode, or a text frame. */
  badFrame: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  /**
   * Client tried to write to a read-only document, under a clientID it does not own, or content
   * the board refuses (invalid tldraw records, protected shapes, mass deletion of others' work).
   */
  readOnly: 4405,
  /** The peer stopped answering pings. */
  timeout: 4408,
  /** A newer socket from the same page took over this one's document (a phone changed networks). */
  replaced: 4409,
  /** The workshop was deleted (by its facilitator, an operator, or the retention purge). Final. */
  workshopDeleted: 4410,
  /** The board reached its size limit, or one record or presence state is too large. */
  tooLarge: 4413,
  /** Too many messages per second, or too many sockets for one token. */
  rateLimited: 4429,
  /** Unexpected server error while handling this socket. */
  internal: 4500,
  /** Storage is refusing writes and held edits reached their bound; reconnect later (edits are kept). */
  storageUnavailable: 4503,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Close codes after which a client should not try to reconnect with the same credentials. */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.unauthorized, CloseCode.forbidden, CloseCode.workshopDeleted])

/**
 * Whether a client should try again after the server closed its socket. y-websocket 3 stops for
 * good after any 44xx close unless told otherwise; ours are passing refusals (a rate limit, a
 * refused change, a full board) apart from the final ones, and a client that gave up on them
 * would sit at "Reconnecting…" until the page was reloaded.
 */
export function shouldReconnectAfter(event: { code: number }): boolean {
  return !FINAL_CLOSE_CODES.has(event.code)
}
