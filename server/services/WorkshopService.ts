import * as Y from 'yjs'
import { baseRecords, sectionFrame, sectionFrameId, type BoardRecord } from '../../shared/boardRecords.ts'
import { BoardRoot, DocName } from '../../shared/docs.ts'
import { KeyValueArray } from '../../shared/KeyValueArray.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { CreatedWorkshop, CreateWorkshopBody, FacilitatorView, JoinBody, JoinCodeLookup, JoinedWorkshop } from '../../shared/intents.ts'
import { initialVoteState } from '../../shared/ballots.ts'
import { Phase } from '../../shared/phases.ts'
import { STANDARD_SECTIONS, type SectionKind } from '../../shared/sections.ts'
import type { AgreedText } from '../../shared/programme.ts'
import { writeParticipantCount, writeSection, writeWorkshopInfo } from '../../shared/stateDoc.ts'
import type { Limits } from '../config.ts'
import { openText, sealText } from '../domain/sealedText.ts'
import { dayOf } from '../../shared/retention.ts'
import { hashesEqual, hashToken, newId, newJoinCode, newToken, normaliseJoinCode, sealKeyOf } from '../domain/tokens.ts'
import type { Db } from '../storage/database.ts'
import type { DocStore } from '../storage/DocStore.ts'
import type { WorkshopStore } from '../storage/WorkshopStore.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import { stateForJoiner } from './joinState.ts'
import { carriedPrompt } from './carriedPrompt.ts'
import { FACILITATOR_ACTOR, participantActorKey, type Actor } from './actors.ts'

export interface WorkshopServiceDeps {
  db: Db
  workshops: WorkshopStore
  docs: DocStore
  rooms: RoomRegistry
  limits: Limits
  now?: () => Date
}

/** Creating, joining and authenticating. Links are built by the caller from the public origin. */
export class WorkshopService {
  /** Joins on the workshop's day not yet counted by perspective (see `countJoin`). */
  private readonly uncounted = new Map<string, (string | null)[]>()

  constructor(private readonly deps: WorkshopServiceDeps) {}

  /** `carried`: agreed texts from the workshop's programme, which its sections start from. */
  create(input: CreateWorkshopBody, publicOrigin: string, carried: CarriedTexts = {}, inTransaction: (workshopId: string) => void = () => {}): CreatedWorkshop {
    const workshopId = newId()
    const facilitatorKey = newToken()
    const { db, workshops, docs } = this.deps
    const joinCode = db.transaction(() => {
      const code = this.unusedJoinCode()
      workshops.create({
        workshopId,
        title: input.title,
        joinMode: input.joinMode,
        joinCode: code,
        facilitatorKeyHash: hashToken(facilitatorKey),
        createdDay: dayOf(this.deps.now?.() ?? new Date()),
      })
      docs.append(workshopId, DocName.state, initialState(input, carried))
      inTransaction(workshopId)
      docs.append(workshopId, DocName.board, initialBoard())
      return code
    })()
    return {
      workshopId,
      facilitatorKey,
      joinCode,
      joinUrl: `${publicOrigin}/w/${workshopId}/join`,
      // The key travels in the fragment, which browsers never send to a server or put in logs.
      facilitatorUrl: `${publicOrigin}/w/${workshopId}/facilitate#key=${facilitatorKey}`,
    }
  }

  /**
   * Joins `deviceId` (the browser's device cookie; null for clients without one). A device that
   * has already joined gets no second participant: one browser, one budget. It cannot be handed
   * its token again (only hashes are kept), and a new token for the same person would change the
   * sealed keys their ballot and answers are stored under, so the answer is 409 and the page
   * sends them back to the workshop with the key this browser already holds.
   */
  join(workshopId: string, input: JoinBody, deviceId: string | null = null): Result<JoinedWorkshop> {
    const { workshops } = this.deps
    const workshop = workshops.get(workshopId)
    if (!workshop) return fail(ErrorCode.notFound, 'There is no workshop at this link. Check the link or code.')
    const deviceHash = deviceId ? hashToken(`${workshopId}:${deviceId}`) : null
    const known = deviceHash ? workshops.participantByDevice(workshopId, deviceHash) : undefined
    if (known)
      return fail(ErrorCode.conflict, 'You have already joined this workshop in this browser. Each browser joins once, so nobody can vote twice. If you left, join on another device, or ask the facilitator for help.')
    if (!workshops.doorOpen(workshopId))
      return fail(ErrorCode.doorClosed, 'The facilitator has closed the door: nobody new can join now. If you are in the room, ask them to open it.')
    const inviteHash = input.inviteCode ? hashToken(normaliseJoinCode(input.inviteCode)) : null
    if (workshop.joinMode === 'invite') {
      if (!inviteHash) return fail(ErrorCode.forbidden, 'This workshop needs an invite code. Ask the facilitator for one.')
      const invite = workshops.inviteCode(workshopId, inviteHash)
      if (!invite) return fail(ErrorCode.forbidden, 'We don’t recognise that invite code. Check it and try again, or ask the facilitator.')
      if (invite.used) return fail(ErrorCode.conflict, 'That invite code has already been used. Each code lets one person join.')
    }
    const count = workshops.countParticipants(workshopId)
    if (count >= this.deps.limits.participantsPerWorkshop) return fail(ErrorCode.limitReached, 'This workshop is full. Ask the facilitator for help.')
    const participantId = newId()
    const token = newToken()
    const today = dayOf(this.deps.now?.() ?? new Date())
    return this.deps.rooms.withRoom(workshopId, (room) => {
      const joined = room.commit(
        () => {
          if (workshop.joinMode === 'invite' && !workshops.useInviteCode(workshopId, inviteHash!)) return false
          const perspective = input.perspective ?? null
          const perspectiveSealed = sealPerspective(sealKeyOf(token), workshopId, perspective)
          workshops.addParticipant({ participantId, workshopId, tokenHash: hashToken(token), perspectiveSealed, deviceHash })
          return true
        },
        { state: (doc) => writeParticipantCount(doc, workshops.countParticipants(workshopId)) },
      )
      if (!joined) return fail(ErrorCode.conflict, 'That invite code has already been used. Each code lets one person join.')
      // "Who took part" counts joins until the day the workshop is run is over (takingPartShown):
      // counts shown the day after never change again, so no later join can be read off them.
      if (today === (workshop.heldDay ?? today)) this.countJoin(workshopId, input.perspective ?? null)
      // After the commit, so the count in it includes this person. The answer leaves only once
      // every commit in the doc is power-safe (app.ts), so it never shows what a crash undoes.
      const state = stateForJoiner(room, this.deps.limits.maxJoinStateBytes)
      return ok({ participantId, token, ...(state === null ? {} : { state }) })
    })
  }

  /** Makes `count` single-use invite codes. They are shown once; only hashes are kept. */
  createInviteCodes(workshopId: string, count: number): Result<{ codes: string[] }> {
    const workshop = this.deps.workshops.get(workshopId)
    if (!workshop) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    if (workshop.joinMode !== 'invite') return fail(ErrorCode.conflict, 'This workshop is open to anyone with the link, so it does not use invite codes.')
    // Twice the people a workshop can hold: codes lost or spoiled can be replaced, but there is no end of rows.
    const most = 2 * this.deps.limits.participantsPerWorkshop
    if (this.deps.workshops.inviteStats(workshopId).issued + count > most)
      return fail(ErrorCode.limitReached, `A workshop can have up to ${most} invite codes in all. Use the ones you have made.`)
    const codes = Array.from({ length: count }, () => newJoinCode() + newJoinCode().slice(0, 2))
    this.deps.workshops.addInviteCodes(workshopId, codes.map((code) => hashToken(code)))
    return ok({ codes })
  }

  lookupJoinCode(input: string): Result<JoinCodeLookup> {
    const workshop = this.deps.workshops.findByJoinCode(normaliseJoinCode(input))
    if (!workshop) return fail(ErrorCode.notFound, 'We could not find a workshop with that code. Check the letters and try again.')
    return ok({ workshopId: workshop.workshopId, title: workshop.title })
  }

  /** What the facilitator's page shows: title, code and counts, never who is who. */
  facilitatorView(workshopId: string): Result<FacilitatorView> {
    const workshop = this.deps.workshops.get(workshopId)
    if (!workshop) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    const invites = this.deps.workshops.inviteStats(workshopId)
    return ok({
      title: workshop.title,
      joinCode: workshop.joinCode,
      joinMode: workshop.joinMode,
      participantCount: this.deps.workshops.countParticipants(workshopId),
      inviteCodesIssued: invites.issued,
      inviteCodesUsed: invites.used,
      doorOpen: this.deps.workshops.doorOpen(workshopId),
    })
  }

  /**
   * Counts a join by perspective, 3 at a time in a transaction of their own. Written in the join's
   * own transaction, the count's new version carried that transaction's id (PostgreSQL's `xmin`)
   * beside the new participant row, and so named each person's perspective to a copy of the
   * data. People waiting for a batch are in memory only: a restart forgets them (at most two per
   * workshop go uncounted), as with check-out answers.
   */
  private countJoin(workshopId: string, perspective: string | null): void {
    const waiting = this.uncounted.get(workshopId) ?? []
    waiting.push(perspective)
    if (waiting.length < JOIN_COUNT_BATCH) {
      this.uncounted.set(workshopId, waiting)
      return
    }
    this.uncounted.delete(workshopId)
    this.writeCounts(workshopId, waiting)
  }

  /**
   * Once the workshop's day is over (nothing is shown before): the last one or two joins of the
   * day, still waiting for a batch, are counted too, so a small workshop does not show nobody.
   */
  settleJoinCounts(workshopId: string): void {
    const waiting = this.uncounted.get(workshopId)
    if (!waiting) return
    this.uncounted.delete(workshopId)
    this.writeCounts(workshopId, waiting)
  }

  /** The workshop was deleted: forget its waiting joins. */
  forgetJoinCounts(workshopId: string): void {
    this.uncounted.delete(workshopId)
  }

  private writeCounts(workshopId: string, waiting: (string | null)[]): void {
    // In a fixed order, so not even the order of the writes follows who joined first.
    waiting.sort((a, b) => (a ?? '').localeCompare(b ?? ''))
    const counts = new Map<string | null, number>()
    for (const each of waiting) counts.set(each, (counts.get(each) ?? 0) + 1)
    try {
      this.deps.db.transaction(() => this.deps.workshops.countPerspectives(workshopId, counts))()
    } catch {
      // The join itself is saved and answered; the counts wait for the next batch instead of
      // failing it (a 500 here left the person joined without their key).
      this.uncounted.set(workshopId, [...waiting, ...(this.uncounted.get(workshopId) ?? [])])
    }
  }

  /** Opens or closes the door (no new joins while closed; people already in can come back). */
  setDoor(workshopId: string, open: boolean): Result<{ doorOpen: boolean }> {
    if (!this.deps.workshops.get(workshopId)) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    this.deps.workshops.setDoorOpen(workshopId, open)
    return ok({ doorOpen: open })
  }

  exists(workshopId: string): boolean {
    return this.deps.workshops.get(workshopId) !== undefined
  }

  /**
   * Resolves a token for a workshop: 404 for an unknown workshop, 401 for a missing or unknown
   * token, 403 for a token that belongs to a different workshop.
   */
  authenticate(workshopId: string, token: string | null): Result<Actor> {
    const workshop = this.deps.workshops.get(workshopId)
    if (!workshop) return fail(ErrorCode.notFound, 'There is no workshop at this address.')
    if (!token) return fail(ErrorCode.unauthorized, 'Join the workshop first: this needs your workshop key.')
    const hash = hashToken(token)
    if (hashesEqual(hash, workshop.facilitatorKeyHash)) return ok({ kind: 'facilitator', workshopId })
    const participant = this.deps.workshops.findParticipantByTokenHash(hash)
    if (!participant) return fail(ErrorCode.unauthorized, 'This key is not recognised. Try joining again.')
    if (participant.workshopId !== workshopId) return fail(ErrorCode.forbidden, 'This key is for a different workshop.')
    const sealKey = sealKeyOf(token)
    let perspective: string | null
    if (participant.perspectiveSealed !== null) perspective = openPerspective(sealKey, workshopId, participant.perspectiveSealed)
    else {
      perspective = participant.legacyPerspective
      this.deps.workshops.sealLegacyPerspective(participant.participantId, sealPerspective(sealKey, workshopId, perspective))
    }
    return ok({ kind: 'participant', workshopId, participantId: participant.participantId, sealKey, perspective })
  }

  /** Actors that may hold sockets in the workshop now (see `actorKey`) with their key hashes; null when it is gone. */
  currentActors(workshopId: string): ReadonlyMap<string, string> | null {
    const workshop = this.deps.workshops.get(workshopId)
    if (!workshop) return null
    const actors = new Map([[FACILITATOR_ACTOR, workshop.facilitatorKeyHash]])
    for (const { participantId, tokenHash } of this.deps.workshops.participantKeys(workshopId)) actors.set(participantActorKey(participantId), tokenHash)
    return actors
  }

  private unusedJoinCode(): string {
    for (;;) {
      const code = newJoinCode()
      if (!this.deps.workshops.findByJoinCode(code)) return code
    }
  }
}

/** The page tldraw needs and a frame per standard section, so every client starts alike. */
function initialBoard(): Uint8Array {
  const doc = new Y.Doc()
  const records = new KeyValueArray<BoardRecord>(doc.getArray(BoardRoot.records))
  doc.transact(() => {
    for (const record of baseRecords()) records.set(record.id, record)
    STANDARD_SECTIONS.forEach((section, order) => records.set(sectionFrameId(section.sectionId), sectionFrame(section.sectionId, section.title, order)))
  })
  return Y.encodeStateAsUpdate(doc)
}

/** The first state update: title and the three standard sections, written by a throwaway doc. */
function initialState(input: CreateWorkshopBody, carried: CarriedTexts): Uint8Array {
  const doc = new Y.Doc()
  doc.transact(() => {
    writeWorkshopInfo(doc, { title: input.title, joinMode: input.joinMode, participantCount: 0 })
    STANDARD_SECTIONS.forEach((template, order) =>
      writeSection(doc, { ...template, prompt: carriedPrompt(carried[template.kind]) ?? template.prompt, phase: Phase.gather, order, hiddenUntilReveal: true, revealed: false, pendingCount: 0, vote: initialVoteState() }),
    )
  })
  return Y.encodeStateAsUpdate(doc)
}

export type CarriedTexts = Partial<Record<SectionKind, AgreedText>>


/** Joins counted by perspective together, never fewer (the smallest group shown anywhere). */
const JOIN_COUNT_BATCH = 3

/**
 * A participant's perspective at rest: sealed under their own token, so the row (in joining
 * order) tells a copy of the files nothing; "not given" is sealed too (as ''), so every row looks
 * alike. The workshop's counts are kept apart (`perspective_counts`).
 */
const perspectiveScope = (workshopId: string) => `perspective/${workshopId}`
const sealPerspective = (sealKey: Buffer, workshopId: string, perspective: string | null): string =>
  sealText(sealKey, perspectiveScope(workshopId), perspective ?? '')
const openPerspective = (sealKey: Buffer, workshopId: string, sealed: string): string | null =>
  openText(sealKey, perspectiveScope(workshopId), sealed) || null
