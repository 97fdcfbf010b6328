import type { CommitmentStatus, CommitmentUpdate } from './coproduction.ts'

/**
 * "You said, we did" at the start of the next workshop: what earlier workshops of the same
 * programme promised, and where each promise is now. Only the promise, the role that holds it and
 * the lead's updates: no ids of commitments, ideas or people, so nothing leads back to who wrote
 * the ideas a promise came from.
 */
export interface EarlierCommitment {
  workshopTitle: string
  /** The earlier workshop's day, YYYY-MM-DD. */
  workshopDay: string
  text: string
  ownerRole: string
  due: string | null
  status: CommitmentStatus
  /** The latest update, or null while it is still "planned" with no news. */
  latest: CommitmentUpdate | null
}

export interface EarlierCommitments {
  /** The programme, for the facilitator's and the lead's way back to its page; never sent to participants. */
  programme?: { programmeId: string; title: string } | null
  /** Workshop by workshop in programme order; empty outside a programme or in its first workshop. */
  commitments: EarlierCommitment[]
}
