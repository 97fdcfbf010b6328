/** Who is acting, as established from a token. Never taken from a request body. */
export type Actor =
  | { kind: 'facilitator'; workshopId: string }
  | {
      kind: 'participant'
      workshopId: string
      participantId: string
      /**
       * Derived from the bearer token, which the database never holds: keys this person's
       * ballots and consent answers without naming them at rest (see sealedKey). Memory only.
       */
      sealKey: Buffer
      /** How they come to the workshop, for breakdowns kept in memory only. */
      perspective: string | null
    }

/** Key used to bind Yjs clientIDs and count sockets; stays in memory, never sent or logged. */
export const actorKey = (actor: { kind: 'facilitator'; workshopId: string } | { kind: 'participant'; workshopId: string; participantId: string }): string => (actor.kind === 'facilitator' ? 'facilitator' : `participant:${actor.participantId}`)
