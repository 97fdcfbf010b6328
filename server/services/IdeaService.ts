import { createHmac, randomBytes } from 'node:crypto'
import { ideaCard, ideaCardId } from '../../shared/boardRecords.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { normaliseIdeaText, type OwnIdea, type PublicIdea } from '../../shared/ideas.ts'
import type { AddedIdea, MergeIdeasBody } from '../../shared/intents.ts'
import type { Section } from '../../shared/sections.ts'
import { normaliseIdeaContentNote } from '../../shared/wellbeing.ts'
import { appendModeration, readThemes, removeIdea, removeTheme, writeIdea, writeSection, writeTheme } from '../../shared/stateDoc.ts'
import type { Limits } from '../config.ts'
import { batchDue, MIN_BATCH_SIZE, requirePhase, shuffle } from '../domain/ideas.ts'
import { hashesEqual, hashToken, newId } from '../domain/tokens.ts'
import { RateLimiter } from '../http/RateLimiter.ts'
import type { Logger } from '../logger.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { IdeaRow, IdeaStore } from '../storage/IdeaStore.ts'
import type { Actor } from './actors.ts'

export interface IdeaServiceDeps {
  ideas: IdeaStore
  rooms: RoomRegistry
  limits: Limits
  batchIntervalMs: number
  log: Logger
  now?: () => number
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
  private readonly batchTimers = new Map<string, NodeJS.Timeout>()
  private readonly secret: Buffer
  private readonly now: () => number
  private readonly startedAt: number

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
    const idempotencyHash = idempotencyKey ? this.mac('idem', workshopId, participantId, idempotencyKey) : null
    if (idempotencyHash) {
      const existing = this.deps.ideas.findByIdempotencyHash(idempotencyHash)
      if (existing) return ok({ ideaId: existing.ideaId, authorKey: this.mac('author', workshopId, participantId, idempotencyKey!) })
    }
    return this.deps.rooms.withRoom(workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist (it may have been removed).')
      const phase = kind === 'idea' ? requirePhase(section, 'addIdea', 'add ideas here') : requirePhase(section, 'suggest', 'suggest changes here')
      if (!phase.ok) return phase
      // LIMITS
      if (this.deps.ideas.submittedBy(workshopId, sectionId, participantId) >= this.deps.limits.ideasPerSection)
        return fail(ErrorCode.limitReached, `You have added ${this.deps.limits.ideasPerSection} ideas here, which is the most one person can add.`)
      if (!this.perMinute.take(`${workshopId}:${participantId}`))
        return fail(ErrorCode.rateLimited, 'You are adding ideas very quickly. Wait a minute, then try again.')
      // RESOLUTION
      const ideaId = newId()
      const authorKey = idempotencyKey ? this.mac('author', workshopId, participantId, idempotencyKey) : randomBytes(24).toString('base64url')
      const pendingCount = this.deps.ideas.listInSection(workshopId, sectionId, 'pending').length + 1
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
          this.deps.ideas.countSubmission(workshopId, sectionId, participantId)
        },
        { state: (doc) => writeSection(doc, { ...section, pendingCount }) },
      )
      this.scheduleBatch(workshopId, sectionId)
      return ok({ ideaId, authorKey })
    })
  }

  edit(actor: Participant, ideaId: string, authorKey: string | null, rawText: string): Result<OwnIdea> {
    const text = normaliseIdeaText(rawText)
    if (!text.ok) return text
    return this.withOwnIdea(actor, ideaId, authorKey, 'change this idea', (room, row, section) => {
      const updated: IdeaRow = { ...row, text: text.value }
      room.commit(() => this.deps.ideas.update(updated), row.status === 'published' ? { state: (doc) => writeIdea(doc, toPublic(updated)) } : {})
      return ok(this.own(updated))
    })
  }

  /**
   * The author moves their idea to another section, before either section's vote. A shown idea
   * stays shown (everyone has seen it) and leaves its theme; a waiting one keeps waiting there.
   */
  move(actor: Participant, ideaId: string, authorKey: string | null, toSectionId: string): Result<OwnIdea> {
    return this.withOwnIdea(actor, ideaId, authorKey, 'move this idea', (room, row, from) => {
      if (row.kind !== 'idea') return fail(ErrorCode.unprocessable, 'Only ideas can move to another section; suggestions belong to their draft.')
      if (toSectionId === row.sectionId) return ok(this.own(row))
      const to = room.section(toSectionId)
      if (!to) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(to, 'addIdea', 'move an idea into this section')
      if (!phase.ok) return phase
      const shown = row.status === 'published'
      const moved: IdeaRow = { ...row, sectionId: to.sectionId, position: shown ? this.deps.ideas.maxPosition(actor.workshopId, to.sectionId) + 1 : row.position }
      const pendingIn = (sectionId: string) => this.deps.ideas.listInSection(actor.workshopId, sectionId, 'pending').length
      const fromPending = pendingIn(from.sectionId) - (shown ? 0 : 1)
      const toPending = pendingIn(to.sectionId) + (shown ? 0 : 1)
      room.commit(() => this.deps.ideas.moveToSection(moved), {
        state: (doc) => {
          if (shown) {
            writeIdea(doc, toPublic(moved))
            for (const theme of readThemes(doc, from.sectionId)) {
              if (!theme.ideaIds.includes(ideaId)) continue
              const rest = theme.ideaIds.filter((id) => id !== ideaId)
              if (rest.length < 2) removeTheme(doc, theme.themeId)
              else writeTheme(doc, { ...theme, ideaIds: rest })
            }
          } else {
            writeSection(doc, { ...from, pendingCount: fromPending })
            writeSection(doc, { ...to, pendingCount: toPending })
          }
        },
        board: () => {
          if (shown) room.boardRecords.set(ideaCardId(ideaId), ideaCard(ideaId, to.sectionId, moved.position!))
        },
      })
      if (!shown) this.scheduleBatch(actor.workshopId, to.sectionId)
      return ok(this.own(moved))
    })
  }

  withdraw(actor: Participant, ideaId: string, authorKey: string | null): Result<OwnIdea> {
    return this.withOwnIdea(actor, ideaId, authorKey, 'withdraw ideas', (room, row, section) => {
      const updated: IdeaRow = { ...row, status: 'withdrawn', text: '' }
      const pendingCount = this.deps.ideas.listInSection(row.workshopId, row.sectionId, 'pending').length - (row.status === 'pending' ? 1 : 0)
      room.commit(() => this.deps.ideas.update(updated), {
        state: (doc) => {
          removeIdea(doc, ideaId)
          writeSection(doc, { ...section, pendingCount })
        },
        board: () => room.boardRecords.delete(ideaCardId(ideaId)),
      })
      return ok(this.own(updated))
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
   * Publishes every waiting idea in the section at once, shuffled. The first reveal publishes
   * whatever is there; later ones refuse to publish fewer than 3 (timing would point at people).
   */
  reveal(actor: Facilitator, sectionId: string): Result<{ published: number }> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(section, 'reveal', 'show ideas')
      if (!phase.ok) return phase
      const pending = this.deps.ideas.listInSection(actor.workshopId, sectionId, 'pending')
      if (section.revealed && pending.length > 0 && pending.length < MIN_BATCH_SIZE)
        return fail(
          ErrorCode.conflict,
          `Only ${pending.length} new idea${pending.length === 1 ? ' is' : 's are'} waiting. Showing so few on their own could show who wrote them, so they will appear once there are ${MIN_BATCH_SIZE}.`,
        )
      return ok({ published: this.publish(room, section, pending) })
    })
  }

  hide(actor: Facilitator, sectionId: string, ideaId: string, reason: string, day: string): Result<PublicIdea> {
    return this.withPublishedIdea(actor, sectionId, ideaId, (room, row, section) => {
      const updated: IdeaRow = { ...row, status: 'hidden', hiddenReason: reason }
      room.commit(() => {
        this.deps.ideas.update(updated)
        this.deps.ideas.logModeration(actor.workshopId, sectionId, 'hidden', [ideaId], reason, day)
      }, {
        state: (doc) => {
          writeIdea(doc, toPublic(updated))
          appendModeration(doc, { sectionId: section.sectionId, action: 'hidden', reason })
        },
        board: () => room.boardRecords.delete(ideaCardId(ideaId)),
      })
      return ok(toPublic(updated))
    })
  }

  merge(actor: Facilitator, sectionId: string, body: MergeIdeasBody, day: string): Result<PublicIdea> {
    const others = [...new Set(body.mergeIdeaIds)].filter((id) => id !== body.keepIdeaId)
    if (others.length === 0) return fail(ErrorCode.unprocessable, 'Choose at least one other idea to merge into this one.')
    return this.withPublishedIdea(actor, sectionId, body.keepIdeaId, (room, keep, section) => {
      const rows: IdeaRow[] = []
      for (const ideaId of others) {
        const row = this.deps.ideas.get(actor.workshopId, ideaId)
        if (!row || row.sectionId !== sectionId || row.status !== 'published')
          return fail(ErrorCode.unprocessable, 'Every idea to merge must be a shown idea in the same section.')
        rows.push({ ...row, status: 'merged', mergedInto: keep.ideaId })
      }
      const reason = `${rows.length + 1} similar ideas combined`
      room.commit(
        () => {
          for (const row of rows) this.deps.ideas.update(row)
          this.deps.ideas.logModeration(actor.workshopId, sectionId, 'merged', [keep.ideaId, ...others], reason, day)
        },
        {
          state: (doc) => {
            for (const row of rows) writeIdea(doc, toPublic(row))
            writeIdea(doc, toPublic(keep, this.mergedSources(actor.workshopId, keep.ideaId, rows)))
            appendModeration(doc, { sectionId: section.sectionId, action: 'merged', reason })
          },
          board: () => {
            for (const row of rows) room.boardRecords.delete(ideaCardId(row.ideaId))
          },
        },
      )
      return ok(toPublic(keep, this.mergedSources(actor.workshopId, keep.ideaId, rows)))
    })
  }

  /** Stops batch timers (server shutdown). */
  stop(): void {
    for (const timer of this.batchTimers.values()) clearTimeout(timer)
    this.batchTimers.clear()
  }

  private mergedSources(workshopId: string, keepId: string, extra: IdeaRow[]): string[] {
    const earlier = this.deps.ideas
      .listInWorkshop(workshopId)
      .filter((row) => row.mergedInto === keepId)
      .map((row) => row.ideaId)
    return [...new Set([...earlier, ...extra.map((row) => row.ideaId)])].sort()
  }

  /** Publishes `pending` in shuffled order after the section's existing ideas. */
  private publish(room: Room, section: Section, pending: IdeaRow[]): number {
    const start = this.deps.ideas.maxPosition(room.workshopId, section.sectionId) + 1
    const published = shuffle(pending).map((row, index): IdeaRow => ({ ...row, status: 'published', position: start + index }))
    room.commit(
      () => {
        for (const row of published) this.deps.ideas.update(row)
      },
      {
        state: (doc) => {
          for (const row of published) writeIdea(doc, toPublic(row))
          writeSection(doc, { ...section, revealed: true, pendingCount: 0 })
        },
        board: () => {
          // Suggestions live in the list next to the draft; only ideas become cards.
          for (const row of published) if (row.kind === 'idea') room.boardRecords.set(ideaCardId(row.ideaId), ideaCard(row.ideaId, section.sectionId, row.position!))
        },
      },
    )
    this.lastBatchAt.set(`${room.workshopId}/${section.sectionId}`, this.now())
    return published.length
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
        const due = batchDue(section, pending.length, this.now() - (this.lastBatchAt.get(key) ?? this.startedAt), this.deps.batchIntervalMs)
        if (due.publish) this.publish(room, section, pending)
        return due.publish ? null : due.retryInMs
      })
      if (retry !== null) this.setBatchTimer(key, run, retry)
    }
    this.setBatchTimer(key, run, 0)
  }

  private setBatchTimer(key: string, run: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      try {
        run()
      } catch (error) {
        this.deps.log.error('ideas.batch_failed', { section: key.split('/')[1], error: error instanceof Error ? error.message : String(error) })
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
      return work(room, row, section)
    })
  }

  private withPublishedIdea<T>(actor: Facilitator, sectionId: string, ideaId: string, work: (room: Room, row: IdeaRow, section: Section) => Result<T>): Result<T> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      const phase = requirePhase(section, 'moderate', 'change ideas')
      if (!phase.ok) return phase
      const row = this.deps.ideas.get(actor.workshopId, ideaId)
      if (!row || row.sectionId !== sectionId || row.status !== 'published') return fail(ErrorCode.notFound, 'That idea is not shown in this section.')
      return work(room, row, section)
    })
  }

  private own(row: IdeaRow): OwnIdea {
    return { ideaId: row.ideaId, sectionId: row.sectionId, kind: row.kind, text: row.text, status: row.status, ...(row.contentNote ? { contentNote: row.contentNote } : {}) }
  }

  private mac(purpose: string, workshopId: string, participantId: string, key: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\u0000${workshopId}\u0000${participantId}\u0000${key}`).digest('base64url')
  }
}
