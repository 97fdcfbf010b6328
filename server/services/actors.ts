/** Who is acting, as established from a token. Never taken from a request body. */
export type Actor = { kind: 'facilitator'; workshopId: string } | { kind: 'participant'; workshopId: string; participantId: string }

/** Key used to bind Yjs clientIDs and count sockets; stays in memory, never sent or logged. */
export const actorKey = (actor: Actor): string => (actor.kind === 'facilitator' ? 'facilitator' : `participant:${actor.participantId}`)
