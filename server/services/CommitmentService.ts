import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { CommitmentStatus, CommitmentUpdate, PublicCommitment } from '../../shared/coproduction.ts'
import type { CommitmentBody, CommitmentUpdateBody } from '../../shared/coproductionBodies.ts'
import type { EarlierCommitments } from '../../shared/earlierCommitments.ts'
import { readIdea, readState } from '../../shared/stateDoc.ts'
import { newId } from '../domain/tokens.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { CommitmentRow, CommitmentStore } from '../storage/CommitmentStore.ts'
import type { IdeaStore } from '../storage/IdeaStore.ts'
import type { ProgrammeStore } from '../storage/ProgrammeStore.ts'
import type { Db } from '../storage/database.ts'
import { heldDayOf } from '../storage/WorkshopStore.ts'

/** A commitment as an idea's author sees it on "What happened to my ideas". */

/**
 * A workshop's commitments, and updates per commitment: every one is on the public share page,
 * so their number bounds what one anonymous request costs (a loop of 1,000 of each made a 2.3 MB
 * page, and eight visitors stalled the server; December review).
 */
export const COMMITMENTS_PER_WORKSHOP = 50
export const UPDATES_PER_COMMITMENT = 20

/** "You said, we did": commitments made from what a workshop agreed, and their dated updates. */
export class CommitmentService {
  constructor(private readonly deps: { db: Db; commitments: CommitmentStore; ideas: IdeaStore; programmes: ProgrammeStore; rooms: RoomRegistry }) {}

  create(workshopId: string, body: CommitmentBody, day: string): Result<{ commitmentId: string }> {
    if (body.due && Number.isNaN(Date.parse(`${body.due}T00:00:00Z`))) return fail(ErrorCode.validation, 'due is not a real day')
    if (this.deps.commitments.count(workshopId) >= COMMITMENTS_PER_WORKSHOP)
      return fail(ErrorCode.limitReached, `A workshop can have up to ${COMMITMENTS_PER_WORKSHOP} commitments. Add news to the ones you have.`)
    if (body.sectionId && !this.deps.rooms.withRoom(workshopId, (room) => room.section(body.sectionId!)))
      return fail(ErrorCode.unprocessable, 'That section is not in this workshop.')
    const ideaIds = [...new Set(body.ideaIds ?? [])]
    // Only ideas everyone sees (the state doc, not the rows: a withdrawal waiting for the next
    // batch must not change the answer, or it would show who had just withdrawn).
    const shown = this.deps.rooms.withRoom(workshopId, (room) => ideaIds.map((ideaId) => readIdea(room.state.doc, ideaId)))
    if (shown.some((idea) => !idea || (idea.status !== 'published' && idea.status !== 'merged')))
      return fail(ErrorCode.unprocessable, 'One of those ideas is not shown in this workshop, so a commitment cannot carry it.')
    const commitmentId = newId()
    this.deps.commitments.create({
      commitmentId,
      workshopId,
      programmeId: this.deps.programmes.programmeOf(workshopId),
      text: body.text,
      ownerRole: body.ownerRole,
      sectionId: body.sectionId ?? null,
      ideaIds,
      due: body.due ?? null,
      createdDay: day,
    })
    return ok({ commitmentId })
  }

  /** What a new commitment can point at: the sections, and the ideas everyone has seen. */
  options(workshopId: string): { sections: { sectionId: string; title: string }[]; ideas: { ideaId: string; sectionId: string; text: string }[] } {
    return this.deps.rooms.withRoom(workshopId, (room) => {
      const view = readState(room.state.doc)
      return {
        sections: view.sections.map(({ sectionId, title }) => ({ sectionId, title })),
        ideas: view.ideas.filter((idea) => idea.kind === 'idea' && idea.status === 'published').map(({ ideaId, sectionId, text }) => ({ ideaId, sectionId, text })),
      }
    })
  }

  /** The workshop a commitment belongs to, for authorising an update. */
  workshopOf(commitmentId: string): string | null {
    return this.deps.commitments.get(commitmentId)?.workshopId ?? null
  }

  update(commitmentId: string, body: CommitmentUpdateBody, day: string): Result<PublicCommitment> {
    const row = this.deps.commitments.get(commitmentId)
    if (!row) return fail(ErrorCode.notFound, 'There is no such commitment.')
    if (this.deps.commitments.countUpdates(commitmentId) >= UPDATES_PER_COMMITMENT)
      return fail(ErrorCode.limitReached, `A commitment can have up to ${UPDATES_PER_COMMITMENT} updates. Make a new commitment for what comes next.`)
    this.deps.commitments.addUpdate(commitmentId, row.workshopId, body.status, body.note, day)
    return ok(this.public(row, this.deps.commitments.updates(commitmentId)))
  }

  /**
   * Takes a commitment and its updates away, rows and all: the way to correct one, as staff type
   * them and a name written by mistake stayed on the public page until the workshop was deleted.
   */
  remove(commitmentId: string): Result<{ removed: true }> {
    if (!this.deps.commitments.get(commitmentId)) return fail(ErrorCode.notFound, 'There is no such commitment.')
    this.deps.db.transaction(() => this.deps.commitments.remove(commitmentId))()
    return ok({ removed: true as const })
  }

  list(workshopId: string): PublicCommitment[] {
    const updates = this.deps.commitments.updatesInWorkshop(workshopId)
    return this.deps.commitments.inWorkshop(workshopId).map((row) => this.public(row, updates.get(row.commitmentId) ?? []))
  }

  /**
   * "You said, we did" for the next workshop: the commitments of the workshops before this one in
   * its programme, with their status. `lead` adds the programme, for the way back to its page.
   */
  earlier(workshopId: string, lead: boolean): EarlierCommitments {
    const programmeId = this.deps.programmes.programmeOf(workshopId)
    if (!programmeId) return { ...(lead ? { programme: null } : {}), commitments: [] }
    const workshops = this.deps.programmes.workshops(programmeId)
    const position = workshops.find((w) => w.workshopId === workshopId)?.position ?? 0
    const commitments = workshops
      .filter((w) => w.position < position)
      .flatMap((w) =>
        this.list(w.workshopId).map((c) => ({
          workshopTitle: w.title,
          workshopDay: heldDayOf(w),
          text: c.text,
          ownerRole: c.ownerRole,
          due: c.due,
          status: c.status,
          latest: c.updates.at(-1) ?? null,
        })),
      )
    const title = this.deps.programmes.get(programmeId)?.title ?? ''
    return { ...(lead ? { programme: { programmeId, title } } : {}), commitments }
  }

  private public(row: CommitmentRow, updates: CommitmentUpdate[]): PublicCommitment {
    const status: CommitmentStatus = updates.at(-1)?.status ?? 'planned'
    return {
      commitmentId: row.commitmentId,
      workshopId: row.workshopId,
      text: row.text,
      ownerRole: row.ownerRole,
      sectionId: row.sectionId,
      ideaIds: row.ideaIds,
      due: row.due,
      createdOn: row.createdDay,
      status,
      updates,
    }
  }
}
