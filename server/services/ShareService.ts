import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { CommitmentStatus, CommitmentUpdate } from '../../shared/coproduction.ts'
import type { AgreedText } from '../../shared/programme.ts'
import { newToken } from '../domain/tokens.ts'
import type { ShareStore } from '../storage/ShareStore.ts'
import type { CommitmentService } from './CommitmentService.ts'
import type { ExportService } from './ExportService.ts'

/** What a share link shows: the agreed outcome and the commitments. Nothing that identifies anyone. */
export interface SharedOutcome {
  title: string
  sections: { title: string; kind: string; agreed: AgreedText | null }[]
  commitments: { text: string; ownerRole: string; due: string | null; status: CommitmentStatus; updates: CommitmentUpdate[] }[]
}

/** Live links per workshop: each made a row for good, and only the newest could be turned off from the page. */
export const SHARE_LINKS_PER_WORKSHOP = 10

/** Read-only, revocable links to a workshop's outcome ("you said, we did" for everyone else). */
export class ShareService {
  constructor(private readonly deps: { shares: ShareStore; exports: ExportService; commitments: CommitmentService }) {}

  create(workshopId: string, publicOrigin: string, day: string): Result<{ shareId: string; shareUrl: string }> {
    if (this.deps.shares.count(workshopId) >= SHARE_LINKS_PER_WORKSHOP)
      return fail(ErrorCode.limitReached, `This workshop has ${SHARE_LINKS_PER_WORKSHOP} share links already. Turn them all off, then make a new one.`)
    // Unguessable: the link is the only key to the page.
    const shareId = newToken()
    this.deps.shares.create(shareId, workshopId, day)
    return ok({ shareId, shareUrl: `${publicOrigin}/shared/${shareId}` })
  }

  /** How many links are live: the facilitator's page shows it, and can turn them all off. */
  count(workshopId: string): { links: number } {
    return { links: this.deps.shares.count(workshopId) }
  }

  revokeAll(workshopId: string): { revoked: number } {
    return { revoked: this.deps.shares.revokeAll(workshopId) }
  }

  revoke(workshopId: string, shareId: string): Result<{ revoked: true }> {
    if (!this.deps.shares.revoke(shareId, workshopId)) return fail(ErrorCode.notFound, 'There is no such share link for this workshop.')
    return ok({ revoked: true as const })
  }

  view(shareId: string): Result<SharedOutcome> {
    const workshopId = shareId.length <= 64 ? this.deps.shares.workshopOf(shareId) : null
    if (!workshopId) return fail(ErrorCode.notFound, 'This link does not work any more. It may have been turned off.')
    const model = this.deps.exports.model(workshopId)
    if (!model.ok) return fail(ErrorCode.notFound, 'This link does not work any more. It may have been turned off.')
    return ok({
      title: model.value.workshop.title,
      sections: model.value.sections.map((section) => ({
        title: section.title,
        kind: section.kind,
        agreed: section.agreement.status === 'agreed' ? { text: section.agreement.text, items: section.agreement.items } : null,
      })),
      commitments: this.deps.commitments.list(workshopId).map(({ text, ownerRole, due, status, updates }) => ({ text, ownerRole, due, status, updates })),
    })
  }
}
