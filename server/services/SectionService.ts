import { sectionFrameId, ideaCardId } from '../../shared/boardRecords.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { AddSectionBody, UpdateSectionBody } from '../../shared/intents.ts'
import { initialVoteState, subjectOf, type VoteSubject } from '../../shared/ballots.ts'
import { Phase } from '../../shared/phases.ts'
import { CUSTOM_SECTION_TEMPLATES, type Section } from '../../shared/sections.ts'
import { readSections, removeSection, writeSection } from '../../shared/stateDoc.ts'
import type { Limits } from '../config.ts'
import { readyToVote } from '../domain/ideas.ts'
import { canChangeRevealMode, reorderSections, sectionIdFor } from '../domain/sections.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { IdeaStore } from '../storage/IdeaStore.ts'
import type { SectionEraser } from '../storage/SectionEraser.ts'
import type { VoteService } from './VoteService.ts'
import type { Actor } from './actors.ts'
import { placeSectionFrame } from './sectionFrame.ts'

type Facilitator = Extract<Actor, { kind: 'facilitator' }>

/** What the facilitator chose when moving a section (see PhaseBody). */
export interface PhaseChoices {
  publishAnyway?: boolean
  subject?: VoteSubject
  leaveWaiting?: boolean
}

/** The facilitator's control of sections: phases, adding, renaming, reordering, removing. */
export class SectionService {
  constructor(
    private readonly deps: {
      rooms: RoomRegistry
      ideas: IdeaStore
      votes: VoteService
      limits: Limits
      sectionRows: SectionEraser
      /** What waits to be shown in a section (IdeaService.waitingToShow). */
      waitingToShow: (room: Room, sectionId: string) => { newIdeas: number; changes: number }
      /** Drops changes to shown ideas not shown yet, as a vote opens without them (IdeaService.dropWordChanges). */
      dropWordChanges: (room: Room, sectionId: string) => void
      /** Lets go of what is kept in memory for the section (IdeaService.forgetSection). */
      sectionRemoved?: (workshopId: string, sectionId: string) => void
      /** Notes the day the workshop is run (WorkshopStore.markHeld; see takingPartShown). */
      held?: (workshopId: string, day: string) => void
    },
  ) {}

  /**
   * Moves a section to any phase. Entering `vote` opens a new round with the section's
   * settings; leaving it while open closes the round first (tallies published, ballots detached).
   */
  setPhase(actor: Facilitator, sectionId: string, phase: Phase, choices: PhaseChoices = {}, day = ''): Result<Section> {
    const { publishAnyway = false, subject, leaveWaiting = false } = choices
    return this.withSection(actor, sectionId, (room, current) => {
      let section = current
      const opening = phase === Phase.vote && section.vote.status !== 'open'
      if (subject !== undefined && phase === Phase.vote) {
        // Asking for a different subject while a round is open would silently do nothing.
        if (!opening) {
          if (subjectOf(section.vote) !== subject) return fail(ErrorCode.conflict, `A vote on ${subjectOf(section.vote)} is open in “${section.title}”. Close it before voting on ${subject}.`)
        } else {
          const allowed = this.deps.votes.canOpen(room, section, subject)
          if (!allowed.ok) return allowed
        }
      }
      // After the checks that do not depend on what waits, so no refusal tells what waits.
      if (opening) {
        const ready = readyToVote(section, this.deps.waitingToShow(room, sectionId), leaveWaiting)
        if (!ready.ok) return ready
        if (leaveWaiting) this.deps.dropWordChanges(room, sectionId)
      }
      if (section.phase === Phase.vote && phase !== Phase.vote && section.vote.status === 'open') {
        const closed = this.deps.votes.closeRound(room, section, publishAnyway, day)
        if (!closed.ok) return closed
        section = closed.value.section
      }
      if (opening) section = this.deps.votes.open(room, room.section(sectionId) ?? section, subject)
      const updated = { ...section, phase }
      room.commit(() => undefined, { state: (doc) => writeSection(doc, updated) })
      if (day) this.deps.held?.(actor.workshopId, day)
      return ok(updated)
    })
  }

  add(actor: Facilitator, body: AddSectionBody): Result<Section> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const sections = readSections(room.state.doc)
      if (sections.length >= this.deps.limits.sectionsPerWorkshop)
        return fail(ErrorCode.limitReached, `A workshop can have up to ${this.deps.limits.sectionsPerWorkshop} sections.`)
      const template = CUSTOM_SECTION_TEMPLATES[body.template]!
      const title = body.title ?? template.title
      const section: Section = {
        sectionId: sectionIdFor(title, new Set([...sections.map((s) => s.sectionId), ...this.deps.sectionRows.usedIds(actor.workshopId)])),
        kind: template.kind,
        title,
        prompt: body.prompt ?? template.prompt,
        phase: Phase.gather,
        order: (sections.at(-1)?.order ?? -1) + 1,
        hiddenUntilReveal: true,
        revealed: false,
        pendingCount: 0,
        vote: initialVoteState(),
      }
      room.commit(() => undefined, {
        state: (doc) => writeSection(doc, section),
        board: () => placeSectionFrame(room, section),
      })
      return ok(section)
    })
  }

  update(actor: Facilitator, sectionId: string, body: UpdateSectionBody): Result<Section> {
    return this.withSection(actor, sectionId, (room, section) => {
      if (body.hiddenUntilReveal !== undefined && body.hiddenUntilReveal !== section.hiddenUntilReveal) {
        const ideaCount = this.deps.ideas.listInWorkshop(actor.workshopId).filter((row) => row.sectionId === sectionId).length
        const allowed = canChangeRevealMode(section, ideaCount)
        if (!allowed.ok) return allowed
      }
      const updated: Section = {
        ...section,
        title: body.title ?? section.title,
        prompt: body.prompt ?? section.prompt,
        hiddenUntilReveal: body.hiddenUntilReveal ?? section.hiddenUntilReveal,
      }
      room.commit(() => undefined, {
        state: (doc) => writeSection(doc, updated),
        board: () => placeSectionFrame(room, updated),
      })
      return ok(updated)
    })
  }

  reorder(actor: Facilitator, sectionIds: string[]): Result<Section[]> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const reordered = reorderSections(readSections(room.state.doc), sectionIds)
      if (!reordered.ok) return reordered
      room.commit(() => undefined, {
        state: (doc) => reordered.value.forEach((section) => writeSection(doc, section)),
        board: () => reordered.value.forEach((s) => placeSectionFrame(room, s)),
      })
      return ok(reordered.value)
    })
  }

  remove(actor: Facilitator, sectionId: string): Result<{ removed: string }> {
    return this.withSection(actor, sectionId, (room) => {
      const cards = this.deps.ideas
        .listInWorkshop(actor.workshopId)
        .filter((row) => row.sectionId === sectionId)
        .map((row) => ideaCardId(row.ideaId))
      room.commit(() => this.deps.sectionRows.erase(actor.workshopId, sectionId), {
        state: (doc) => removeSection(doc, sectionId),
        board: (doc) =>
          doc.transact(() => {
            for (const id of cards) room.boardRecords.delete(id)
            room.boardRecords.delete(sectionFrameId(sectionId))
          }),
      })
      this.deps.sectionRemoved?.(actor.workshopId, sectionId)
      return ok({ removed: sectionId })
    })
  }

  private withSection<T>(actor: Facilitator, sectionId: string, work: (room: Room, section: Section) => Result<T>): Result<T> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      return work(room, section)
    })
  }
}
