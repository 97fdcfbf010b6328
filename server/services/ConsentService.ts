import { consentOutcome, perspectiveSupport, type ConsentCounts, type ConsentResponse, type PublicProposal } from '../../shared/consent.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { Perspective, ProposeBody, RespondBody } from '../../shared/intents.ts'
import { SectionKind, type Section } from '../../shared/sections.ts'
import { appendModeration, readIdea, writeProposal } from '../../shared/stateDoc.ts'
import { requirePhase, shuffle } from '../domain/ideas.ts'
import { newId, sealedKey } from '../domain/tokens.ts'
import type { IdeaStore } from '../storage/IdeaStore.ts'
import { publishedEarlyReason, tooFewToPublish } from './VoteService.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { ConsentStore, ProposalRow } from '../storage/ConsentStore.ts'
import type { Actor } from './actors.ts'

type Participant = Extract<Actor, { kind: 'participant' }>
type Facilitator = Extract<Actor, { kind: 'facilitator' }>

const toPublic = (row: ProposalRow, respondedCount: number): PublicProposal => ({
  proposalId: row.proposalId,
  sectionId: row.sectionId,
  roundNumber: row.roundNumber,
  text: row.text,
  items: row.items,
  adoptedSuggestionId: row.adoptedSuggestion,
  revisionNote: row.revisionNote,
  threshold: row.threshold,
  status: row.status,
  respondedCount,
  counts: row.counts,
  reasons: row.reasons,
  outcome: row.outcome,
  perspectives: row.perspectives,
})

export interface ConsentServiceDeps {
  rooms: RoomRegistry
  consent: ConsentStore
  /** For the public line written when a small group's answers are published anyway. */
  ideas: IdeaStore
  minResultGroup: number
  /** Rewrites contributions in random order and empties the WAL (diskHygiene.scrubWorkshop). */
  scrub: (workshopId: string) => void
}

const responderKeyOf = (actor: Participant, proposalId: string) => sealedKey(actor.sealKey, `consent/${actor.workshopId}/${proposalId}`)

export const RESTART_WITHHELD = 'The server restarted while this round was open, so the breakdown by perspective is not shown. Perspectives are kept only in memory, so nothing on disk links an answer to a group.'

/** Far more than any group revises a draft; every round stays in the shared state for good. */
export const CONSENT_ROUNDS_PER_SECTION = 20

/** Consent rounds: a draft, anonymous responses, an outcome, and the history of every round. */
export class ConsentService {
  /**
   * Each open round's perspective per sealed responder key, in memory only: stored beside the
   * answer, a group of one would name its member. Lost on restart or when another instance takes the workshop (the breakdown is then withheld).
   */
  private readonly perspectives = new Map<string, Map<string, Map<string, Perspective | null>>>()

  constructor(private readonly deps: ConsentServiceDeps) {}

  propose(actor: Facilitator, sectionId: string, body: ProposeBody): Result<PublicProposal> {
    return this.withSection(actor.workshopId, sectionId, (room, section) => {
      const phase = requirePhase(section, 'propose', 'start a consent round')
      if (!phase.ok) return phase
      const rounds = this.deps.consent.inSection(actor.workshopId, sectionId)
      if (rounds.some((round) => round.status === 'open')) return fail(ErrorCode.conflict, 'A consent round is already open here. Close it before starting another.')
      if (rounds.length >= CONSENT_ROUNDS_PER_SECTION)
        return fail(ErrorCode.limitReached, `A section can have up to ${CONSENT_ROUNDS_PER_SECTION} consent rounds. Agree on the last one, or add a new section.`)
      const wantsText = section.kind === SectionKind.vision
      if (wantsText ? !body.text : !body.items?.length)
        return fail(ErrorCode.unprocessable, wantsText ? 'Write the draft statement people will respond to.' : 'Add at least one item to the draft list.')
      if (body.adoptedSuggestionId) {
        const suggestion = readIdea(room.state.doc, body.adoptedSuggestionId)
        if (!suggestion || suggestion.sectionId !== sectionId || suggestion.kind !== 'suggestion')
          return fail(ErrorCode.unprocessable, 'That suggestion is not one of this section’s suggestions.')
      }
      const row: ProposalRow = {
        proposalId: newId(),
        workshopId: actor.workshopId,
        sectionId,
        roundNumber: rounds.length + 1,
        text: wantsText ? body.text! : null,
        items: wantsText ? null : body.items!,
        adoptedSuggestion: body.adoptedSuggestionId ?? null,
        revisionNote: body.revisionNote ?? null,
        threshold: body.threshold ?? null,
        status: 'open',
        outcome: null,
        counts: null,
        reasons: [],
        perspectives: null,
      }
      room.commit(() => this.deps.consent.insert(row), { state: (doc) => writeProposal(doc, toPublic(row, 0)) })
      return ok(toPublic(row, 0))
    })
  }

  respond(actor: Participant, proposalId: string, body: RespondBody): Result<{ response: ConsentResponse; reason: string | null }> {
    return this.withProposal(actor.workshopId, proposalId, (room, row, section) => {
      const phase = requirePhase(section, 'respond', 'respond to the draft')
      if (!phase.ok) return phase
      if (row.status !== 'open') return fail(ErrorCode.wrongPhase, 'This round has closed, so responses can’t change now.')
      const reason = body.reason?.trim() || null
      const key = responderKeyOf(actor, proposalId)
      room.commit(
        () => this.deps.consent.respond(actor.workshopId, proposalId, key, body.response, reason),
        { state: (doc) => writeProposal(doc, toPublic(row, this.deps.consent.responseCount(proposalId))) },
      )
      this.roundOf(actor.workshopId, proposalId).set(key, actor.perspective as Perspective | null)
      return ok({ response: body.response, reason })
    })
  }

  myResponse(actor: Participant, proposalId: string): Result<{ response: ConsentResponse | null; reason: string | null }> {
    const row = this.deps.consent.get(actor.workshopId, proposalId)
    if (!row) return fail(ErrorCode.notFound, 'That draft does not exist.')
    const mine = row.status === 'open' ? this.deps.consent.responseOf(proposalId, responderKeyOf(actor, proposalId)) : undefined
    return ok({ response: mine?.response ?? null, reason: mine?.reason ?? null })
  }

  /**
   * Publishes counts, outcome, reasons (shuffled) and the perspective breakdown, then deletes
   * each answer. With 1 to minResultGroup−1 answers those would show what those few said:
   * refused unless the facilitator publishes anyway, which writes a line everyone sees.
   */
  close(actor: Facilitator, proposalId: string, publishAnyway: boolean, day: string): Result<PublicProposal> {
    return this.withProposal(actor.workshopId, proposalId, (room, row) => {
      if (row.status !== 'open') return fail(ErrorCode.conflict, 'This round is already closed.')
      const responses = this.deps.consent.responses(proposalId)
      const early = tooFewToPublish(responses.length, this.deps.minResultGroup)
      if (early && !publishAnyway)
        return fail(
          ErrorCode.tooFewPeople,
          `Too few people have responded to keep answers secret: ${responses.length} so far, and results are shown once ${this.deps.minResultGroup} have responded. Keep the round open, or publish anyway (everyone will see that you did).`,
        )
      const counts: ConsentCounts = {
        agree: responses.filter((r) => r.response === 'agree').length,
        canLiveWith: responses.filter((r) => r.response === 'can-live-with').length,
        object: responses.filter((r) => r.response === 'object').length,
      }
      const known = this.perspectives.get(actor.workshopId)?.get(proposalId) ?? new Map<string, Perspective | null>()
      const complete = responses.every((r) => known.has(r.responderKey))
      const closed: ProposalRow = {
        ...row,
        status: 'closed',
        counts,
        outcome: consentOutcome(counts, row.threshold),
        // Shuffled and stripped of who wrote them.
        reasons: shuffle(responses.filter((r) => r.reason).map((r) => ({ response: r.response, text: r.reason! }))),
        perspectives: complete
          ? perspectiveSupport(responses.map((r) => ({ perspective: known.get(r.responderKey) ?? null, response: r.response })))
          : { withheld: RESTART_WITHHELD },
      }
      const line = { sectionId: row.sectionId, action: 'published-early' as const, reason: publishedEarlyReason('responses', responses.length) }
      room.commit(
        () => {
          this.deps.consent.closeAndDetach(proposalId, closed)
          if (early) this.deps.ideas.logModeration(actor.workshopId, row.sectionId, line.action, [], line.reason, day)
        },
        {
          state: (doc) => {
            writeProposal(doc, toPublic(closed, responses.length))
            if (early) appendModeration(doc, line)
          },
        },
      )
      const rounds = this.perspectives.get(actor.workshopId)
      rounds?.delete(proposalId)
      if (rounds?.size === 0) this.perspectives.delete(actor.workshopId)
      // Nothing answered, nothing to rewrite: each scrub rewrites the workshop's contributions (and
      // on PostgreSQL vacuums every workshop's), so rounds opened and closed in a loop stalled the server.
      if (responses.length > 0) this.deps.scrub(actor.workshopId)
      return ok(toPublic(closed, responses.length))
    })
  }

  /** The workshop was deleted, or another instance may hold it now: what is kept here is stale. */
  forgetWorkshop(workshopId: string): void {
    this.perspectives.delete(workshopId)
  }

  private roundOf(workshopId: string, proposalId: string): Map<string, Perspective | null> {
    const rounds = this.perspectives.get(workshopId) ?? new Map<string, Map<string, Perspective | null>>()
    this.perspectives.set(workshopId, rounds)
    const round = rounds.get(proposalId) ?? new Map<string, Perspective | null>()
    rounds.set(proposalId, round)
    return round
  }

  private withSection<T>(workshopId: string, sectionId: string, work: (room: Room, section: Section) => Result<T>): Result<T> {
    return this.deps.rooms.withRoom(workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      return work(room, section)
    })
  }

  private withProposal<T>(workshopId: string, proposalId: string, work: (room: Room, row: ProposalRow, section: Section) => Result<T>): Result<T> {
    const row = this.deps.consent.get(workshopId, proposalId)
    if (!row) return fail(ErrorCode.notFound, 'That draft does not exist.')
    return this.withSection(workshopId, row.sectionId, (room, section) => work(room, row, section))
  }
}
