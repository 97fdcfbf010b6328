import { createHmac, randomBytes } from 'node:crypto'
import type * as Y from 'yjs'
import { ideaCard, ideaCardId } from '../../shared/boardRecords.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { coarsePendingCount, normaliseIdeaText, type OwnIdea, type PublicIdea } from '../../shared/ideas.ts'
import type { AddedIdea, MergeIdeasBody } from '../../shared/intents.ts'
import type { Section } from '../../shared/sections.ts'
import { normaliseIdeaContentNote } from '../../shared/wellbeing.ts'
import { appendModeration, readIdea, removeIdea, writeIdea, writeSection } from '../../shared/stateDoc.ts'
import type { Limits } from '../config.ts'
import { batchDue, batchLargeEnough, changeWaiting, MIN_BATCH_SIZE, requirePhase, requireWordsOpen, shuffle } from '../domain/ideas.ts'
import { hashesEqual, hashToken, newId } from '../domain/tokens.ts'
import { RateLimiter } from '../http/RateLimiter.ts'
import type { Logger } from '../logger.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { IdeaRow, IdeaStore } from '../storage/IdeaStore.ts'
import type { Actor } from './actors.ts'
import { placeSectionFrame } from './sectionFrame.ts'
import { RETRY_AFTER_FAILURE_MS } from './retryAfterFailure.ts'

export interface IdeaServiceDeps {
  ideas: IdeaStore
  rooms: RoomRegistry
  limits: Limits
  batchIntervalMs: number
  log: Logger
  /** Rewrites contributions in random order and empties the WAL (diskHygiene.scrubWorkshop). */
  scrub: (workshopId: string) => void
  /**
   * The same, for words a waiting idea's author took back (see scrubSoon); unset on PostgreSQL,
   * where each scrub asks for a VACUUM FULL of tables every workshop shares (deferred, one per
   * slot): any participant could then ask for one every few seconds.
   */
  scrubTakenBack?: (workshopId: string) => void
  /** Ideas left the section's shown ones (hidden, merged): an open vote gives their dots back. */
  ideasLeftVote?: (workshopId: string, sectionId: string) => void
  /** Notes the day the workshop is run (WorkshopStore.markHeld; see takingPartShown). */
  held?: (workshopId: string, day: string) => void
  now?: () => number
}

/** What waits for the next batch in a section: new ideas and changes to shown ones. */
interface Waiting {
  items: number
  people: number
}

type Participant = Extract<Actor, { kind: 'participant' }>
type Facilitator = Extract<Actor, { kind: 'facilitator' }>

const toPublic = (row: IdeaRow, mergedFrom: string[] = []): PublicIdea => ({
  ideaId: row.ideaId,
  sectionId: row.sectionId,
  kind: row.kind,
  text: row.status === 'hidden' ? '' : row.text,
  status: row.status === 'hidden' ? 'hidden' : row.status === 'merged' ? 'merged' : 'published',
  position: row.position ?? 0,
  hiddenReason: row.hiddenReason,
  mergedInto: row.mergedInto,
  mergedFrom,
  // Only when there is one: ideas without a note keep exactly the shape they always had.
  ...(row.contentNote ? { contentNote: row.contentNote } : {}),
})

/**
 * Anonymous ideas: held on the server until a reveal or a batch, published by the server in
 * shuffled order, editable and withdrawable only with the author key.
 */
export class IdeaService {
  private readonly perMinute: RateLimiter
  private readonly lastBatchAt = new Map<string, number>()
  /**
   * Sections whose every waiting change is known here: published since this process took the
   * workshop, so anything waiting since was marked as it came. Others are read from the rows.
   */
  private readonly changesKnown = new Set<string>()
  private readonly batchTimers = new Map<string, NodeJS.Timeout>()
  private readonly secret: Buffer
  private readonly now: () => number
  private readonly startedAt: number
  /**
   * Ideas each person has sent per section (the per-section limit), keyed
   * `workshop/section/participant`. Memory only: a row per person written as they contribute
   * would order people on disk in step with their ideas. A restart forgets the counts.
   */
  private readonly sent = new Map<string, number>()
  /**
   * Per section (`workshop/section`): who is behind each waiting item (`idea:<id>` for a new
   * idea, `change:<id>` for an edit, withdrawal or note on a shown one). Memory only; it is what
   * lets a batch wait for 3 different people.
   */
  private readonly waitingBy = new Map<string, Map<string, string>>()
  /** Workshops with a scrub due for words withdrawn or replaced while waiting (see scrubSoon). */
  private readonly scrubTimers = new Map<string, NodeJS.Timeout>()

  constructor(private readonly deps: IdeaServiceDeps) {
    this.perMinute = new RateLimiter(deps.limits.ideasPerMinute, 60_000)
    this.secret = deps.ideas.secret('author-keys')
    this.now = deps.now ?? Date.now
    this.startedAt = this.now()
  }

  add(
    actor: Participant,
    sectionId: string,
    rawText: string,
    idempotencyKey: string | null,
    kind: 'idea' | 'suggestion' = 'idea',
    rawContentNote: string | null = null,
  ): Result<AddedIdea> {
    const { workshopId, participantId } = actor
    // VALIDATION
    const text = normaliseIdeaText(rawText)
    if (!text.ok) return text
    const contentNote = normaliseIdeaContentNote(rawContentNote)
    if (!contentNote.ok) return contentNote
    // A retry of the same request (same key, same person) returns the same idea and key.
    const idempotencyHash = idempotencyKey ? this.mac('idem', workshopId, actor.sealKey, idempotencyKey) : null
    if (idempotencyHash) {
      const existing = this.deps.ideas.findByIdempotencyHash(idempotencyHash)
      if (existing) return ok({ ideaId: existing.ideaId, authorKey: this.mac('author', workshopId, actor.sealKey, idempotencyKey!) })
    }
    return this.deps.rooms.withRoom(workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist (it may have been removed).')
      const phase = kind === 'idea' ? requirePhase(section, 'addIdea', 'add ideas here') : requirePhase(section, 'suggest', 'suggest changes here')
      if (!phase.ok) return phase
      // LIMITS
      const sentKey = `${workshopId}/${sectionId}/${participantId}`
      if ((this.sent.get(sentKey) ?? 0) >= this.deps.limits.ideasPerSection)
        return fail(ErrorCode.limitReached, `You have added ${this.deps.limits.ideasPerSection} ideas here, which is the most one person can add.`)
      if (this.deps.ideas.countInWorkshop(workshopId) >= this.deps.limits.ideasPerWorkshop)
        return fail(ErrorCode.limitReached, `This workshop already holds ${this.deps.limits.ideasPerWorkshop} ideas and suggestions, which is the most one workshop can hold.`)
      if (!this.perMinute.take(`${workshopId}:${participantId}`))
        return fail(ErrorCode.rateLimited, 'You are adding ideas very quickly. Wait a minute, then try again.')
      // RESOLUTION
      const ideaId = newId()
      const authorKey = idempotencyKey ? this.mac('author', workshopId, actor.sealKey, idempotencyKey) : randomBytes(24).toString('base64url')
      // Counted before the commit, whose coarse-count write reads them; undone if it fails.
      const sentBefore = this.sent.get(sentKey) ?? 0
      this.sent.set(sentKey, sentBefore + 1)
      this.markWaiting(workshopId, sectionId, `idea:${ideaId}`, participantId)
      try {
        room.commit(
          () => {
            this.deps.ideas.insert({
              ideaId,
              workshopId,
              sectionId,
              kind,
              text: text.value,
              authorKeyHash: hashToken(authorKey),
              idempotencyHash,
              status: 'pending',
              position: null,
              hiddenReason: null,
              mergedInto: null,
              contentNote: contentNote.value,
            })
          },
          this.pendingCountChange(workshopId, section),
        )
      } catch (error) {
        this.sent.set(sentKey, sentBefore)
        this.waitingBy.get(`${workshopId}/${sectionId}`)?.delete(`idea:${ideaId}`)
        throw error
      }
      this.scheduleBatch(workshopId, sectionId)
      return ok({ ideaId, authorKey })
    })
  }

  edit(actor: Participant, ideaId: string, authorKey: string | null, rawText: string): Result<OwnIdea> {
    const text = normaliseIdeaText(rawText)
    if (!text.ok) return text
    return this.withOwnIdea(actor, ideaId, authorKey, 'change this idea', (room, row, section) => {
      const updated: IdeaRow = { ...row, text: text.value }
      // A shown idea changes for everyone with the next batch, not now: an edit shown at once
      // would point at whoever just tapped Save.
      if (row.status === 'published') this.markWaiting(row.workshopId, row.sectionId, `change:${ideaId}`, actor.participantId)
      room.commit(() => this.deps.ideas.update(updated), row.status === 'published' ? this.pendingCountChange(row.workshopId, section) : {})
      if (row.status === 'published') this.scheduleBatch(row.workshopId, row.sectionId)
      else this.scrubSoon(row.workshopId)
      return ok(this.own(updated))
    })
  }

  /**
   * The author moves their waiting idea to another section that takes ideas. Only waiting ones:
   * a shown idea that moved at once would point at whoever just moved it.
   */
  move(actor: Participant, ideaId: string, authorKey: string | null, toSectionId: string): Result<OwnIdea> {
    return this.withOwnIdea(actor, ideaId, authorKey, 'move this idea', (room, row, from) => {
      if (row.kind !== 'idea') return fail(ErrorCode.unprocessable, 'Only ideas can move to another section; suggestions belong to their draft.')
      if (toSectionId === row.sectionId) return ok(this.own(row))
      if (row.status !== 'pending')
        return fail(ErrorCode.conflict, 'This idea is already shown to everyone, so moving it now would show it is yours. Withdraw it and add it again in the other section instead.')
      const to = room.section(toSectionId)
      if (!to) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(to, 'addIdea', 'move an idea into this section')
      if (!phase.ok) return phase
      // The per-section limit goes with the idea: moving ideas on filled one section without end.
      const fromKey = `${row.workshopId}/${from.sectionId}/${actor.participantId}`
      const toKey = `${row.workshopId}/${to.sectionId}/${actor.participantId}`
      if ((this.sent.get(toKey) ?? 0) >= this.deps.limits.ideasPerSection)
        return fail(ErrorCode.limitReached, `You have added ${this.deps.limits.ideasPerSection} ideas to that section, which is the most one person can add.`)
      const moved: IdeaRow = { ...row, sectionId: to.sectionId }
      this.waitingBy.get(`${row.workshopId}/${from.sectionId}`)?.delete(`idea:${ideaId}`)
      this.markWaiting(row.workshopId, to.sectionId, `idea:${ideaId}`, actor.participantId)
      const counts = [this.pendingCountChange(row.workshopId, from), this.pendingCountChange(row.workshopId, to)]
      room.commit(() => this.deps.ideas.moveToSection(moved), { state: (doc) => counts.forEach((change) => change.state(doc)) })
      this.sent.set(toKey, (this.sent.get(toKey) ?? 0) + 1)
      this.sent.set(fromKey, Math.max(0, (this.sent.get(fromKey) ?? 0) - 1))
      this.scheduleBatch(row.workshopId, to.sectionId)
      return ok(this.own(moved))
    })
  }

  withdraw(actor: Participant, ideaId: string, authorKey: string | null): Result<OwnIdea> {
    return this.withOwnIdea(actor, ideaId, authorKey, 'withdraw ideas', (room, row, section) => {
      const updated: IdeaRow = { ...row, status: 'withdrawn', text: '' }
      // A waiting idea just goes; a shown one leaves everyone's screen with the next batch.
      if (row.status === 'pending') this.waitingBy.get(`${row.workshopId}/${row.sectionId}`)?.delete(`idea:${ideaId}`)
      else this.markWaiting(row.workshopId, row.sectionId, `change:${ideaId}`, actor.participantId)
      room.commit(() => this.deps.ideas.update(updated), this.pendingCountChange(row.workshopId, section))
      if (row.status === 'published') this.scheduleBatch(row.workshopId, row.sectionId)
      else this.scrubSoon(row.workshopId)
      return ok(this.own(updated))
    })
  }

  /**
   * Undo of a withdrawal, by its author: only for an idea nobody has seen (it was waiting when
   * withdrawn, so it has no place among the shown ideas), and only while the section takes ideas.
   * The server wiped its words on withdrawal, so the author's device sends them back; it goes
   * back to waiting for the next batch, as if it had never left. A shown idea cannot come back
   * this way: its leaving may already be on everyone's screen.
   */
  restore(actor: Participant, ideaId: string, authorKey: string | null, rawText: string): Result<OwnIdea> {
    const row = this.deps.ideas.get(actor.workshopId, ideaId)
    if (!row || !authorKey || !hashesEqual(hashToken(authorKey), row.authorKeyHash))
      return fail(ErrorCode.forbidden, 'We could not match this idea to this device. Only the person who wrote an idea can change it.')
    if (row.status !== 'withdrawn') return fail(ErrorCode.conflict, 'This idea was not withdrawn, so there is nothing to undo.')
    if (row.position !== null) return fail(ErrorCode.conflict, 'This idea was already shown to everyone before it was withdrawn, so it can’t come back. Add it again instead.')
    const text = normaliseIdeaText(rawText)
    if (!text.ok) return text
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(row.sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist any more.')
      const phase = requirePhase(section, row.kind === 'idea' ? 'addIdea' : 'suggest', 'bring this idea back')
      if (!phase.ok) return phase
      const restored: IdeaRow = { ...row, status: 'pending', text: text.value }
      this.markWaiting(row.workshopId, row.sectionId, `idea:${ideaId}`, actor.participantId)
      room.commit(() => this.deps.ideas.update(restored), this.pendingCountChange(row.workshopId, section))
      this.scheduleBatch(row.workshopId, row.sectionId)
      return ok(this.own(restored))
    })
  }

  /** The author's own ideas, pending ones included, found by the keys on their device. */
  mine(actor: Participant, keys: { ideaId: string; authorKey: string }[]): OwnIdea[] {
    const result: OwnIdea[] = []
    for (const { ideaId, authorKey } of keys) {
      const row = this.deps.ideas.get(actor.workshopId, ideaId)
      if (!row || !hashesEqual(hashToken(authorKey), row.authorKeyHash)) continue
      result.push(this.own(row))
    }
    return result
  }

  /**
   * Publishes every waiting idea in the section at once, shuffled, with every waiting change to
   * shown ones. Refused while what waits comes from fewer than 3 people (it could show who wrote
   * it), unless the facilitator publishes anyway: then everyone sees a line saying so.
   */
  reveal(actor: Facilitator, sectionId: string, publishAnyway = false, day = ''): Result<{ published: number }> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(section, 'reveal', 'show ideas')
      if (!phase.ok) return phase
      const pending = this.deps.ideas.listInSection(actor.workshopId, sectionId, 'pending')
      const waiting = this.waiting(actor.workshopId, sectionId, pending.length, room.state.doc)
      const early = waiting.items > 0 && !batchLargeEnough(waiting.items, waiting.people)
      if (early && !publishAnyway)
        return fail(
          ErrorCode.tooFewPeople,
          `What is waiting comes from fewer than ${MIN_BATCH_SIZE} people. Showing it now could show who wrote it, so it will appear once ${MIN_BATCH_SIZE} different people have sent ideas. You can show it anyway; everyone will see that you did.`,
        )
      return ok({ published: this.publish(room, section, pending, early ? day : null) })
    })
  }

  /**
   * What waits to be shown in the section, from the rows: new ideas, and changes to the words of
   * shown ones (edits, withdrawals). A content note does not change what people vote on, so it
   * does not hold a vote back (nor leave the facilitator with nothing to press: notes do not
   * count towards "Show what is waiting").
   */
  waitingToShow(room: Room, sectionId: string): { newIdeas: number; changes: number } {
    return {
      newIdeas: this.deps.ideas.listInSection(room.workshopId, sectionId, 'pending').length,
      changes: this.storedChanges(room.workshopId, sectionId, room.state.doc, false).length,
    }
  }

  /**
   * A vote opening without what waits: edits of ideas in the vote are dropped, and those ideas
   * keep the words everyone saw (leaving them waiting would change the words after the vote, see
   * wordsFixed). Withdrawals stay waiting, as the author asked, and land with a later batch.
   * The public waiting count is left as it was: a count that fell at this moment told everyone
   * that an edit, not a new idea, had been waiting (diff review); the next change recounts it.
   * The dropped edits no longer count as people behind a batch: two of them and one new idea made
   * "three people", and the idea was shown alone.
   */
  dropWordChanges(room: Room, sectionId: string): void {
    const dropped = this.storedChanges(room.workshopId, sectionId, room.state.doc, false).flatMap((ideaId) => {
      const row = this.deps.ideas.get(room.workshopId, ideaId)
      const shown = readIdea(room.state.doc, ideaId)
      return row && row.status === 'published' && shown?.status === 'published' ? [{ ...row, text: shown.text }] : []
    })
    if (dropped.length === 0) return
    const waiting = this.waitingBy.get(`${room.workshopId}/${sectionId}`)
    for (const row of dropped) if ((readIdea(room.state.doc, row.ideaId)?.contentNote ?? null) === row.contentNote) waiting?.delete(`change:${row.ideaId}`)
    room.commit(() => dropped.forEach((row) => this.deps.ideas.update(row)))
    // The dropped words were never shown: out of the database's free pages and the WAL too.
    this.scrubSoon(room.workshopId)
  }

  /** Counts an author's change to a shown content note (WellbeingService) towards the next batch. */
  noteChanged(actor: Participant, sectionId: string, ideaId: string): void {
    this.markWaiting(actor.workshopId, sectionId, `change:${ideaId}`, actor.participantId)
    this.scheduleBatch(actor.workshopId, sectionId)
  }

  hide(actor: Facilitator, sectionId: string, ideaId: string, reason: string, day: string): Result<PublicIdea> {
    return this.leavingVote(actor.workshopId, sectionId, this.withPublishedIdea(actor, sectionId, ideaId, (room, row, section, shown) => {
      // A withdrawal waiting for the batch stays one (the batch then takes the idea away); its
      // words were blanked already.
      const updated: IdeaRow = { ...row, status: row.status === 'withdrawn' ? 'withdrawn' : 'hidden', hiddenReason: reason }
      const hidden: PublicIdea = { ...shown, text: '', status: 'hidden', hiddenReason: reason }
      room.commit(() => {
        this.deps.ideas.update(updated)
        this.deps.ideas.logModeration(actor.workshopId, sectionId, 'hidden', [ideaId], reason, day)
      }, {
        state: (doc) => {
          writeIdea(doc, hidden)
          appendModeration(doc, { sectionId: section.sectionId, action: 'hidden', reason })
        },
        board: () => room.boardRecords.delete(ideaCardId(ideaId)),
      })
      return ok(hidden)
    }))
  }

  /**
   * Merged ideas are written as everyone sees them: an author's edit or note waiting for the next
   * batch is not published by a merge, and a withdrawal waiting for it still takes the idea away
   * then (its row stays withdrawn).
   */
  merge(actor: Facilitator, sectionId: string, body: MergeIdeasBody, day: string): Result<PublicIdea> {
    const others = [...new Set(body.mergeIdeaIds)].filter((id) => id !== body.keepIdeaId)
    if (others.length === 0) return fail(ErrorCode.unprocessable, 'Choose at least one other idea to merge into this one.')
    return this.leavingVote(actor.workshopId, sectionId, this.withPublishedIdea(actor, sectionId, body.keepIdeaId, (room, keep, section, keepShown) => {
      const merged: { row: IdeaRow; shown: PublicIdea }[] = []
      for (const ideaId of others) {
        const shown = readIdea(room.state.doc, ideaId)
        const row = this.deps.ideas.get(actor.workshopId, ideaId)
        if (!row || !shown || shown.sectionId !== sectionId || shown.status !== 'published')
          return fail(ErrorCode.unprocessable, 'Every idea to merge must be a shown idea in the same section.')
        merged.push({ row: row.status === 'withdrawn' ? row : { ...row, status: 'merged', mergedInto: keep.ideaId }, shown: { ...shown, status: 'merged', mergedInto: keep.ideaId } })
      }
      const reason = `${merged.length + 1} similar ideas combined`
      const kept: PublicIdea = { ...keepShown, mergedFrom: this.mergedSources(actor.workshopId, keep.ideaId, others) }
      room.commit(
        () => {
          for (const { row } of merged) this.deps.ideas.update(row)
          this.deps.ideas.logModeration(actor.workshopId, sectionId, 'merged', [keep.ideaId, ...others], reason, day)
        },
        {
          state: (doc) => {
            for (const { shown } of merged) writeIdea(doc, shown)
            writeIdea(doc, kept)
            appendModeration(doc, { sectionId: section.sectionId, action: 'merged', reason })
          },
          board: () => {
            for (const ideaId of others) room.boardRecords.delete(ideaCardId(ideaId))
          },
        },
      )
      return ok(kept)
    }))
  }

  /** Passes `result` on, first telling an open vote that ideas left it (after the room's write). */
  private leavingVote<T>(workshopId: string, sectionId: string, result: Result<T>): Result<T> {
    if (result.ok) this.deps.ideasLeftVote?.(workshopId, sectionId)
    return result
  }

  /** A removed section: its memory goes too (a section added later may be given its id). */
  forgetSection(workshopId: string, sectionId: string): void {
    const key = `${workshopId}/${sectionId}`
    this.waitingBy.delete(key)
    this.changesKnown.delete(key)
    this.lastBatchAt.delete(key)
    const timer = this.batchTimers.get(key)
    if (timer) clearTimeout(timer)
    this.batchTimers.delete(key)
    for (const sentKey of [...this.sent.keys()]) if (sentKey.startsWith(`${key}/`)) this.sent.delete(sentKey)
  }

  /** Lets go of everything kept in memory for a workshop's sections (held elsewhere now). */
  forgetWorkshop(workshopId: string): void {
    const scrub = this.scrubTimers.get(workshopId)
    if (scrub) clearTimeout(scrub)
    this.scrubTimers.delete(workshopId)
    const sections = new Set([...this.waitingBy.keys(), ...this.lastBatchAt.keys(), ...this.batchTimers.keys()].filter((key) => key.startsWith(`${workshopId}/`)))
    for (const key of sections) this.forgetSection(workshopId, key.slice(workshopId.length + 1))
  }

  /**
   * Words withdrawn or replaced while waiting are blanked in their row at once, but the row's old
   * version stays in SQLite's WAL (and PostgreSQL's dead rows) until something rewrites them: a
   * shown idea's change goes with its batch's scrub, a waiting one had none. One scrub per
   * workshop per batch interval, however many changes: each rewrites the workshop's rows.
   */
  private scrubSoon(workshopId: string): void {
    const scrub = this.deps.scrubTakenBack
    if (!scrub || this.scrubTimers.has(workshopId)) return
    const timer = setTimeout(() => {
      this.scrubTimers.delete(workshopId)
      try {
        scrub(workshopId)
      } catch (error) {
        this.deps.log.error('ideas.scrub_failed', { error: error instanceof Error ? error.message : String(error) })
      }
    }, this.deps.batchIntervalMs)
    timer.unref()
    this.scrubTimers.set(workshopId, timer)
  }

  /** Stops batch timers (server shutdown). */
  stop(): void {
    for (const timer of this.scrubTimers.values()) clearTimeout(timer)
    this.scrubTimers.clear()
    for (const timer of this.batchTimers.values()) clearTimeout(timer)
    this.batchTimers.clear()
  }

  private mergedSources(workshopId: string, keepId: string, extra: readonly string[]): string[] {
    const earlier = this.deps.ideas
      .listInWorkshop(workshopId)
      .filter((row) => row.mergedInto === keepId)
      .map((row) => row.ideaId)
    return [...new Set([...earlier, ...extra])].sort()
  }

  /**
   * Publishes `pending` in shuffled order after the section's existing ideas, and brings shown
   * ideas up to date with the database (edits, notes, withdrawals waiting for this batch). Then
   * the workshop's contributions are rewritten in random order on disk and the WAL emptied.
   * `earlyDay`: published with fewer than 3 people behind it; writes the public line.
   */
  private publish(room: Room, section: Section, pending: IdeaRow[], earlyDay: string | null = null): number {
    const { workshopId } = room
    // Shown by the facilitator or by the batch timer: either way the workshop is being run today.
    this.deps.held?.(workshopId, new Date().toISOString().slice(0, 10))
    const start = this.deps.ideas.maxPosition(workshopId, section.sectionId) + 1
    const published = shuffle(pending).map((row, index): IdeaRow => ({ ...row, status: 'published', position: start + index }))
    const inSection = this.deps.ideas.listInWorkshop(workshopId).filter((row) => row.sectionId === section.sectionId)
    // Ideas merged into one whose author withdrew it before this batch come back on their own.
    const leaving = new Set(inSection.filter((row) => row.status === 'withdrawn').map((row) => row.ideaId))
    const unmerged = inSection.filter((row) => row.status === 'merged' && row.mergedInto !== null && leaving.has(row.mergedInto)).map((row): IdeaRow => ({ ...row, status: 'published', mergedInto: null }))
    const line = { sectionId: section.sectionId, action: 'published-early' as const, reason: `The facilitator showed ideas from fewer than ${MIN_BATCH_SIZE} people, so it may be possible to tell who wrote them.` }
    room.commit(
      () => {
        for (const row of [...published, ...unmerged]) this.deps.ideas.update(row)
        if (earlyDay !== null) this.deps.ideas.logModeration(workshopId, section.sectionId, line.action, [], line.reason, earlyDay)
      },
      {
        state: (doc) => {
          for (const row of published) writeIdea(doc, toPublic(row))
          for (const row of inSection) {
            const shown = readIdea(doc, row.ideaId)
            if (!shown) continue
            if (row.status === 'withdrawn') removeIdea(doc, row.ideaId)
            // Merged ones too: an author's edit or note waiting when the facilitator merged it.
            else if (changeWaiting(row, shown)) {
              const { contentNote: _old, ...rest } = shown
              writeIdea(doc, { ...rest, text: row.text, ...(row.contentNote ? { contentNote: row.contentNote } : {}) })
            }
          }
          for (const row of unmerged) {
            const shown = readIdea(doc, row.ideaId)
            if (shown) writeIdea(doc, { ...shown, status: 'published', mergedInto: null, text: row.text })
          }
          writeSection(doc, { ...section, revealed: true, pendingCount: 0 })
          if (earlyDay !== null) appendModeration(doc, line)
        },
        board: () => {
          // Suggestions live in the list next to the draft; only ideas become cards.
          const cards = published.filter((row) => row.kind === 'idea')
          for (const row of cards) room.boardRecords.set(ideaCardId(row.ideaId), ideaCard(row.ideaId, section.sectionId, row.position!))
          for (const row of inSection) if (row.status === 'withdrawn') room.boardRecords.delete(ideaCardId(row.ideaId))
          for (const row of unmerged) if (row.kind === 'idea' && row.position !== null) room.boardRecords.set(ideaCardId(row.ideaId), ideaCard(row.ideaId, section.sectionId, row.position))
          if (cards.length > 0) placeSectionFrame(room, section, Math.max(...cards.map((row) => row.position!)))
        },
      },
    )
    this.waitingBy.delete(`${workshopId}/${section.sectionId}`)
    this.changesKnown.add(`${workshopId}/${section.sectionId}`)
    this.lastBatchAt.set(`${workshopId}/${section.sectionId}`, this.now())
    this.deps.scrub(workshopId)
    // A withdrawal made before the vote opened may leave the shown ideas only now.
    if (inSection.some((row) => row.status === 'withdrawn')) this.deps.ideasLeftVote?.(workshopId, section.sectionId)
    return published.length
  }

  private markWaiting(workshopId: string, sectionId: string, item: string, participantId: string): void {
    const key = `${workshopId}/${sectionId}`
    const items = this.waitingBy.get(key) ?? new Map<string, string>()
    items.set(item, participantId)
    this.waitingBy.set(key, items)
  }

  /**
   * Items waiting and the fewest distinct people who can be behind them. Waiting ideas whose
   * author the server no longer knows (sent before a restart) may be anyone's, one of the known
   * authors' too: they make one person only when nobody else is known. Counting them as one more
   * published, after a restart, a "batch of three" from two people, one of whom could then tell
   * the other two ideas apart.
   *
   * Changes to shown ideas are found from the rows when `doc` is given (the decisions to publish):
   * known only in memory, one person's edit made before a restart, or before the workshop came
   * from another instance, counted as nothing and was shown alone, with no public line.
   */
  private waiting(workshopId: string, sectionId: string, pendingIdeas: number, doc?: Y.Doc): Waiting {
    const known = this.waitingBy.get(`${workshopId}/${sectionId}`) ?? new Map<string, string>()
    if (doc) this.forgetUnchanged(workshopId, known, doc)
    const knownIdeas = [...known.keys()].filter((item) => item.startsWith('idea:')).length
    const changes = known.size - knownIdeas
    const unknownIdeas = Math.max(0, pendingIdeas - knownIdeas)
    // Reading every shown idea's row is only needed while memory may be missing some.
    const mayMiss = doc !== undefined && !this.changesKnown.has(`${workshopId}/${sectionId}`)
    const unknownChanges = mayMiss ? this.storedChanges(workshopId, sectionId, doc).filter((ideaId) => !known.has(`change:${ideaId}`)).length : 0
    const unknown = unknownIdeas + unknownChanges
    return { items: pendingIdeas + changes + unknownChanges, people: Math.max(new Set(known.values()).size, unknown > 0 ? 1 : 0) }
  }

  /**
   * A person counts towards a batch only while their change is still there to show: one who
   * edited back to the words everyone saw, or whose idea was hidden meanwhile, has nothing in the
   * batch, and counting them let two such people and one new idea show that idea alone (December
   * insider review). Checked at the decisions to publish, from the rows.
   */
  private forgetUnchanged(workshopId: string, known: Map<string, string>, doc: Y.Doc): void {
    for (const item of [...known.keys()]) {
      if (!item.startsWith('change:')) continue
      const ideaId = item.slice('change:'.length)
      const row = this.deps.ideas.get(workshopId, ideaId)
      if (!row || !changeWaiting(row, readIdea(doc, ideaId))) known.delete(item)
    }
  }

  /** Shown ideas in the section whose rows hold a change not shown yet (see changeWaiting); `notes` false: words only. */
  private storedChanges(workshopId: string, sectionId: string, doc: Y.Doc, notes = true): string[] {
    return (['published', 'merged', 'withdrawn'] as const)
      .flatMap((status) => this.deps.ideas.listInSection(workshopId, sectionId, status))
      .filter((row) => {
        const shown = readIdea(doc, row.ideaId)
        return changeWaiting(notes ? row : { ...row, contentNote: shown?.contentNote ?? null }, shown)
      })
      .map((row) => row.ideaId)
  }

  /**
   * The section write for the new coarse pending count, run after the rows changed; writes
   * nothing (so nothing is broadcast) when the coarse count stays the same.
   */
  private pendingCountChange(workshopId: string, section: Section): { state: (doc: Y.Doc) => void } {
    return {
      state: (doc) => {
        const pending = this.deps.ideas.listInSection(workshopId, section.sectionId, 'pending').length
        const pendingCount = coarsePendingCount(this.waiting(workshopId, section.sectionId, pending).items)
        if (pendingCount !== section.pendingCount) writeSection(doc, { ...section, pendingCount })
      },
    }
  }

  private scheduleBatch(workshopId: string, sectionId: string): void {
    const key = `${workshopId}/${sectionId}`
    if (this.batchTimers.has(key)) return
    const run = () => {
      this.batchTimers.delete(key)
      const retry = this.deps.rooms.withRoom(workshopId, (room) => {
        const section = room.section(sectionId)
        if (!section) return null
        const pending = this.deps.ideas.listInSection(workshopId, sectionId, 'pending')
        const due = batchDue(section, this.waiting(workshopId, sectionId, pending.length, room.state.doc), this.now() - (this.lastBatchAt.get(key) ?? this.startedAt), this.deps.batchIntervalMs)
        if (due.publish) this.publish(room, section, pending)
        return due.publish ? null : due.retryInMs
      })
      if (retry !== null) this.setBatchTimer(key, run, retry)
    }
    this.setBatchTimer(key, run, 0)
  }

  private setBatchTimer(key: string, run: () => void, delayMs: number, failures = 0): void {
    const timer = setTimeout(() => {
      try {
        run()
      } catch (error) {
        this.deps.log.error('ideas.batch_failed', { section: key.split('/')[1], error: error instanceof Error ? error.message : String(error) })
        if (failures < RETRY_AFTER_FAILURE_MS.length) this.setBatchTimer(key, run, RETRY_AFTER_FAILURE_MS[failures]!, failures + 1)
      }
    }, delayMs)
    timer.unref()
    this.batchTimers.set(key, timer)
  }

  private withOwnIdea<T>(
    actor: Participant,
    ideaId: string,
    authorKey: string | null,
    doing: string,
    work: (room: Room, row: IdeaRow, section: Section) => Result<T>,
  ): Result<T> {
    const row = this.deps.ideas.get(actor.workshopId, ideaId)
    // Same answer for "no such idea" and "not yours": nobody learns which ideas exist.
    if (!row || !authorKey || !hashesEqual(hashToken(authorKey), row.authorKeyHash))
      return fail(ErrorCode.forbidden, 'We could not match this idea to this device. Only the person who wrote an idea can change it.')
    if (row.status === 'withdrawn') return fail(ErrorCode.conflict, 'This idea was withdrawn, so it can’t be changed.')
    if (row.status === 'hidden' || row.status === 'merged') return fail(ErrorCode.conflict, 'The facilitator has hidden or combined this idea, so it can’t be changed.')
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(row.sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist any more.')
      const phase = requirePhase(section, 'editOwnIdea', doing)
      if (!phase.ok) return phase
      const fixed = requireWordsOpen(section, row)
      if (!fixed.ok) return fixed
      return work(room, row, section)
    })
  }

  /**
   * A facilitator acts on ideas as everyone sees them (the state doc), never on the rows, where an
   * author's edit, note or withdrawal may be waiting for the next batch: an answer that differed
   * ("not shown" for an idea still on everyone's screen) told the facilitator who had just tapped.
   */
  private withPublishedIdea<T>(
    actor: Facilitator,
    sectionId: string,
    ideaId: string,
    work: (room: Room, row: IdeaRow, section: Section, shown: PublicIdea) => Result<T>,
  ): Result<T> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(section, 'moderate', 'change ideas')
      if (!phase.ok) return phase
      const shown = readIdea(room.state.doc, ideaId)
      const row = this.deps.ideas.get(actor.workshopId, ideaId)
      if (!row || !shown || shown.sectionId !== sectionId || shown.status !== 'published') return fail(ErrorCode.notFound, 'That idea is not shown in this section.')
      return work(room, row, section, shown)
    })
  }

  private own(row: IdeaRow): OwnIdea {
    return {
      ideaId: row.ideaId,
      sectionId: row.sectionId,
      kind: row.kind,
      text: row.text,
      status: row.status,
      mergedInto: row.mergedInto ?? null,
      ...(row.contentNote ? { contentNote: row.contentNote } : {}),
    }
  }

  /**
   * Keyed by the person's seal key (made from their token, which the database never holds), not
   * their participant id: with the id and the server secret both in the database, a copy could
   * recompute the hash for a guessable idempotency key ("1", "idea-3") and name each author.
   */
  private mac(purpose: string, workshopId: string, sealKey: Buffer, key: string): string {
    return createHmac('sha256', this.secret).update(sealKey).update(`\u0000${purpose}\u0000${workshopId}\u0000${key}`).digest('base64url')
  }
}
