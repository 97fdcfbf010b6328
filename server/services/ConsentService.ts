import { consentOutcome, perspectiveSupport, type ConsentCounts, type ConsentResponse, type PublicProposal } from '../../shared/consent.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { Perspective, ProposeBody, RespondBody } from '../../shared/intents.ts'
import { SectionKind, type Section } from '../../shared/sections.ts'
import { readIdea, writeProposal } from '../../shared/stateDoc.ts'
import { requirePhase, shuffle } from '../domain/ideas.ts'
import { newId } from '../domain/tokens.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { ConsentStore, ProposalRow } from '../storage/ConsentStore.ts'
import type { VoteStore } from '../storage/VoteStore.ts'
import type { WorkshopStore } from '../storage/WorkshopStore.ts'
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

/** Consent rounds: a draft, anonymous responses, an outcome, and the history of every round. */
export class ConsentService {
  constructor(private readonly deps: { rooms: RoomRegistry; consent: ConsentStore; workshops: WorkshopStore; votes: VoteStore }) {}

  propose(actor: Facilitator, sectionId: string, body: ProposeBody): Result<PublicProposal> {
    return this.withSection(actor.workshopId, sectionId, (room, section) => {
      const phase = requirePhase(section, 'propose', 'start a consent round')
      if (!phase.ok) return phase
      const rounds = this.deps.consent.inSection(actor.workshopId, sectionId)
      if (rounds.some((round) => round.status === 'open')) return fail(ErrorCode.conflict, 'A consent round is already open here. Close it before starting another.')
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
      room.commit(
        () => this.deps.consent.respond(proposalId, actor.participantId, body.response, reason),
        { state: (doc) => writeProposal(doc, toPublic(row, this.deps.consent.responseCount(proposalId))) },
      )
      return ok({ response: body.response, reason })
    })
  }

  myResponse(actor: Participant, proposalId: string): Result<{ response: ConsentResponse | null; reason: string | null }> {
    const row = this.deps.consent.get(actor.workshopId, proposalId)
    if (!row) return fail(ErrorCode.notFound, 'That draft does not exist.')
    const mine = row.status === 'open' ? this.deps.consent.responseOf(proposalId, actor.participantId) : undefined
    return ok({ response: mine?.response ?? null, reason: mine?.reason ?? null })
  }

  close(actor: Facilitator, proposalId: string): Result<PublicProposal> {
    return this.withProposal(actor.workshopId, proposalId, (room, row) => {
      if (row.status !== 'open') return fail(ErrorCode.conflict, 'This round is already closed.')
      const responses = this.deps.consent.responses(proposalId)
      const counts: ConsentCounts = {
        agree: responses.filter((r) => r.response === 'agree').length,
        canLiveWith: responses.filter((r) => r.response === 'can-live-with').length,
        object: responses.filter((r) => r.response === 'object').length,
      }
      const perspectives = this.deps.workshops.perspectivesOf(responses.map((r) => r.participantId))
      const closed: ProposalRow = {
        ...row,
        status: 'closed',
        counts,
        outcome: consentOutcome(counts, row.threshold),
        // Shuffled and stripped of who wrote them.
        reasons: shuffle(responses.filter((r) => r.reason).map((r) => ({ response: r.response, text: r.reason! }))),
        perspectives: perspectiveSupport(responses.map((r) => ({ perspective: (perspectives.get(r.participantId) ?? null) as Perspective | null, response: r.response }))),
      }
      room.commit(
        () => this.deps.consent.closeAndDetach(proposalId, closed, responses.map((r) => r.participantId)),
        { state: (doc) => writeProposal(doc, toPublic(closed, responses.length)) },
      )
      this.deps.votes.checkpoint()
      return ok(toPublic(closed, responses.length))
    })
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
