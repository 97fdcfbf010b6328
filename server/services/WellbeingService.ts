import { randomInt } from 'node:crypto'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { groundRulesOf, type GroundRules } from '../../shared/groundRules.ts'
import type { MySignals, SignalKind, WelcomeInfo, WellbeingSettingsBody } from '../../shared/intents.ts'
import { readIdea, readState, readWellbeing, writeIdea, writeWellbeing } from '../../shared/stateDoc.ts'
import { normaliseIdeaContentNote, type SoftTimer, type WellbeingState } from '../../shared/wellbeing.ts'
import { hashesEqual, hashToken, newId } from '../domain/tokens.ts'
import type { Logger } from '../logger.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { IdeaStore } from '../storage/IdeaStore.ts'
import type { WellbeingStore } from '../storage/WellbeingStore.ts'
import type { Actor } from './actors.ts'
import { RETRY_AFTER_FAILURE_MS } from './retryAfterFailure.ts'

type Participant = Extract<Actor, { kind: 'participant' }>
type Facilitator = Extract<Actor, { kind: 'facilitator' }>

export interface WellbeingServiceDeps {
  rooms: RoomRegistry
  store: WellbeingStore
  ideas: IdeaStore
  log: Logger
  /** An author changed the note on a shown idea: it waits for the next batch (IdeaService). */
  noteChanged?: (actor: Participant, sectionId: string, ideaId: string) => void
  now?: () => number
  /**
   * How long a changed pause-request count waits before everyone sees it. A random wait means
   * the moment the count goes up does not point at the person who just tapped their phone.
   */
  signalDelayMs?: () => number
}

/** Who asked, kept only in this process's memory: never stored, logged or sent. Cleared on restart. */
type Signals = Record<SignalKind, Set<string>>

const COUNT_FIELD: Record<SignalKind, 'pauseRequests' | 'moreTimeRequests'> = { pause: 'pauseRequests', 'more-time': 'moreTimeRequests' }

/**
 * Wellbeing: the room pause, anonymous "I need a pause" and "I need more time" signals, the soft
 * timer, follow-the-facilitator, support contacts, the content note, and content notes on ideas.
 */
export class WellbeingService {
  private readonly signals = new Map<string, Signals>()
  private readonly publishTimers = new Map<string, NodeJS.Timeout>()
  private readonly now: () => number
  private readonly signalDelayMs: () => number

  constructor(private readonly deps: WellbeingServiceDeps) {
    this.now = deps.now ?? Date.now
    this.signalDelayMs = deps.signalDelayMs ?? (() => randomInt(1000, 4000))
  }

  /** Title, content note and support contacts: what the join page shows before anyone joins. */
  welcome(workshopId: string): Result<WelcomeInfo> {
    const row = this.deps.store.get(workshopId)
    if (!row) return fail(ErrorCode.notFound, 'There is no workshop at this link. Check the link or code.')
    return ok({ title: row.title, contentNote: row.contentNote, supportContacts: row.supportContacts })
  }

  saveSettings(actor: Facilitator, body: WellbeingSettingsBody): Result<WellbeingState> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      room.commit(() => this.deps.store.set(actor.workshopId, body), {
        state: (doc) => writeWellbeing(doc, { supportContacts: body.supportContacts, contentNote: body.contentNote }),
      })
      return ok(readWellbeing(room.state.doc))
    })
  }

  /** Pausing stops the timer and answers every pause request; carrying on restarts the timer. */
  pauseRoom(actor: Facilitator, paused: boolean): Result<WellbeingState> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const current = readWellbeing(room.state.doc)
      if (current.paused === paused) return ok(current)
      const timer = current.timer && (paused ? this.frozen(current.timer) : this.running(current.timer))
      if (paused) this.signalsOf(actor.workshopId).pause.clear()
      room.commit(() => undefined, { state: (doc) => writeWellbeing(doc, { paused, timer, ...(paused ? { pauseRequests: 0 } : {}) }) })
      return ok(readWellbeing(room.state.doc))
    })
  }

  /** A participant asks (or stops asking) for a pause or more time. Only the count is published. */
  signal(actor: Participant, kind: SignalKind, on: boolean): Result<MySignals> {
    const set = this.signalsOf(actor.workshopId)[kind]
    if (on) set.add(actor.participantId)
    else set.delete(actor.participantId)
    this.schedulePublish(actor.workshopId)
    return ok(this.mySignals(actor))
  }

  mySignals(actor: Participant): MySignals {
    const signals = this.signals.get(actor.workshopId)
    return {
      pauseRequested: signals?.pause.has(actor.participantId) ?? false,
      moreTimeRequested: signals?.['more-time'].has(actor.participantId) ?? false,
      serverNow: this.now(),
    }
  }

  /** The facilitator has seen the requests and dealt with them. */
  clearSignals(actor: Facilitator, kind: SignalKind): Result<WellbeingState> {
    this.signalsOf(actor.workshopId)[kind].clear()
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      room.commit(() => undefined, { state: (doc) => writeWellbeing(doc, { [COUNT_FIELD[kind]]: 0 }) })
      return ok(readWellbeing(room.state.doc))
    })
  }

  startTimer(actor: Facilitator, sectionId: string, minutes: number): Result<SoftTimer> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      const durationMs = minutes * 60_000
      const paused = readWellbeing(room.state.doc).paused
      const timer: SoftTimer = {
        timerId: newId(),
        sectionId,
        phase: section.phase,
        durationMs,
        endsAt: paused ? null : this.now() + durationMs,
        remainingMs: paused ? durationMs : null,
      }
      return ok(this.writeTimer(room, actor.workshopId, timer))
    })
  }

  /** More time, from now if the time was already up. */
  extendTimer(actor: Facilitator, minutes: number): Result<SoftTimer> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const timer = readWellbeing(room.state.doc).timer
      if (!timer) return fail(ErrorCode.conflict, 'There is no timer running. Start one first.')
      const extraMs = minutes * 60_000
      const extended: SoftTimer =
        timer.endsAt !== null
          ? { ...timer, durationMs: timer.durationMs + extraMs, endsAt: Math.max(timer.endsAt, this.now()) + extraMs }
          : { ...timer, durationMs: timer.durationMs + extraMs, remainingMs: (timer.remainingMs ?? 0) + extraMs }
      return ok(this.writeTimer(room, actor.workshopId, extended))
    })
  }

  stopTimer(actor: Facilitator): Result<{ stopped: true }> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      this.signalsOf(actor.workshopId)['more-time'].clear()
      room.commit(() => undefined, { state: (doc) => writeWellbeing(doc, { timer: null, moreTimeRequests: 0 }) })
      return ok({ stopped: true as const })
    })
  }

  /** The section the facilitator is showing; only people who chose to follow are moved (W10). */
  spotlight(actor: Facilitator, sectionId: string | null): Result<{ spotlightSectionId: string | null }> {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      if (sectionId !== null && !room.section(sectionId)) return fail(ErrorCode.notFound, 'That section does not exist.')
      room.commit(() => undefined, { state: (doc) => writeWellbeing(doc, { spotlightSectionId: sectionId }) })
      return ok({ spotlightSectionId: sectionId })
    })
  }

  groundRules(actor: Actor): GroundRules {
    return this.deps.rooms.withRoom(actor.workshopId, (room) => groundRulesOf(readState(room.state.doc)))
  }

  /**
   * Marks an idea with a content note (W9): its author (with the key on their device) at any
   * time, or the facilitator once it is shown. A waiting idea keeps the note on the server and is
   * published with it, so its text is never shown unfolded.
   */
  setIdeaContentNote(actor: Actor, ideaId: string, authorKey: string | null, rawNote: string): Result<{ ideaId: string; contentNote: string | null }> {
    // VALIDATION
    const note = normaliseIdeaContentNote(rawNote)
    if (!note.ok) return note
    const row = this.deps.ideas.get(actor.workshopId, ideaId)
    // AUTH: the same answer for "no such idea" and "not yours", as elsewhere.
    if (actor.kind === 'participant' && (!row || !authorKey || !hashesEqual(hashToken(authorKey), row.authorKeyHash)))
      return fail(ErrorCode.forbidden, 'We could not match this idea to this device. Only the person who wrote an idea, or the facilitator, can add a note.')
    if (!row || (actor.kind === 'participant' && row.status === 'withdrawn')) return fail(ErrorCode.notFound, 'That idea is not in this workshop any more.')
    // RESOLUTION
    return this.deps.rooms.withRoom(actor.workshopId, (room) => {
      const published = readIdea(room.state.doc, ideaId)
      // The facilitator goes by what everyone sees: the row may hold a withdrawal still waiting
      // for the next batch, and a different answer would show who had just withdrawn.
      if (actor.kind === 'facilitator' && published?.status !== 'published') return fail(ErrorCode.notFound, 'That idea is not shown yet, so you can’t add a note to it.')
      // The facilitator's note shows at once; an author's note on a shown idea waits for the
      // next batch, like their edits, so it cannot point at whoever just added it.
      const showNow = published && actor.kind === 'facilitator'
      // An author's note still waiting for the batch is kept, and lands with it: overwritten, it
      // was lost without anyone told (December insider review), and saying so would name them.
      const authorNoteWaits = showNow && row.status === 'published' && row.contentNote !== (published.contentNote ?? null)
      room.commit(
        () => {
          if (!authorNoteWaits) this.deps.ideas.setContentNote(actor.workshopId, ideaId, note.value)
        },
        showNow ? { state: (doc) => writeIdea(doc, { ...published, contentNote: note.value }) } : {},
      )
      if (published && actor.kind === 'participant') this.deps.noteChanged?.(actor, published.sectionId, ideaId)
      return ok({ ideaId, contentNote: note.value })
    })
  }

  /** The workshop was deleted, or another instance may hold it now: its signals here are stale. */
  forgetWorkshop(workshopId: string): void {
    this.signals.delete(workshopId)
    clearTimeout(this.publishTimers.get(workshopId))
    this.publishTimers.delete(workshopId)
  }

  /** Stops pending count updates (server shutdown). */
  stop(): void {
    for (const timer of this.publishTimers.values()) clearTimeout(timer)
    this.publishTimers.clear()
  }

  private writeTimer(room: Room, workshopId: string, timer: SoftTimer): SoftTimer {
    // A new or longer timer answers the requests for more time.
    this.signalsOf(workshopId)['more-time'].clear()
    room.commit(() => undefined, { state: (doc) => writeWellbeing(doc, { timer, moreTimeRequests: 0 }) })
    return timer
  }

  private frozen(timer: SoftTimer): SoftTimer {
    if (timer.endsAt === null) return timer
    return { ...timer, endsAt: null, remainingMs: Math.max(0, timer.endsAt - this.now()) }
  }

  private running(timer: SoftTimer): SoftTimer {
    if (timer.remainingMs === null) return timer
    return { ...timer, endsAt: this.now() + timer.remainingMs, remainingMs: null }
  }

  private signalsOf(workshopId: string): Signals {
    let signals = this.signals.get(workshopId)
    if (!signals) {
      signals = { pause: new Set(), 'more-time': new Set() }
      this.signals.set(workshopId, signals)
    }
    return signals
  }

  private schedulePublish(workshopId: string, failures = 0): void {
    if (this.publishTimers.has(workshopId)) return
    const timer = setTimeout(() => {
      this.publishTimers.delete(workshopId)
      try {
        const signals = this.signalsOf(workshopId)
        this.deps.rooms.withRoom(workshopId, (room) =>
          room.commit(() => undefined, {
            state: (doc) => writeWellbeing(doc, { pauseRequests: signals.pause.size, moreTimeRequests: signals['more-time'].size }),
          }),
        )
      } catch (error) {
        this.deps.log.error('wellbeing.publish_failed', { workshopId, error: error instanceof Error ? error.message : String(error) })
        if (failures < RETRY_AFTER_FAILURE_MS.length) this.schedulePublish(workshopId, failures + 1)
      }
    }, failures === 0 ? this.signalDelayMs() : RETRY_AFTER_FAILURE_MS[failures - 1]!)
    timer.unref()
    this.publishTimers.set(workshopId, timer)
  }
}
