import { checkAllocation, checkSettings, dotsUsed, rankIdeas, type PublicResults, type VoteSettings } from '../../shared/ballots.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { PHASE_LABEL } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import { readIdeas, writeResults, writeSection } from '../../shared/stateDoc.ts'
import { requirePhase } from '../domain/ideas.ts'
import type { Room } from '../rooms/Room.ts'
import type { RoomRegistry } from '../rooms/RoomRegistry.ts'
import type { VoteStore } from '../storage/VoteStore.ts'
import type { Actor } from './actors.ts'

type Participant = Extract<Actor, { kind: 'participant' }>
type Facilitator = Extract<Actor, { kind: 'facilitator' }>

export interface RecordedBallot {
  dots: Record<string, number>
  used: number
  remaining: number
}

/**
 * Equal voting: one budget and one cap for everyone in a round, ballots checked and written in
 * one transaction, tallies published only when allowed, ballots detached on close.
 */
export class VoteService {
  constructor(private readonly deps: { rooms: RoomRegistry; votes: VoteStore }) {}

  /** Settings can change only while no round is open: a change needs a new round. */
  configure(actor: Facilitator, sectionId: string, settings: VoteSettings): Result<Section> {
    const checked = checkSettings(settings)
    if (!checked.ok) return checked
    return this.withSection(actor.workshopId, sectionId, (room, section) => {
      if (section.vote.status === 'open') return fail(ErrorCode.wrongPhase, 'The vote is open. Close it before changing how many dots people have.')
      const updated: Section = { ...section, vote: { ...section.vote, settings: checked.value } }
      room.commit(() => undefined, { state: (doc) => writeSection(doc, updated) })
      return ok(updated)
    })
  }

  /** Opens a new round with the section's settings, clearing anything left from before. */
  open(room: Room, section: Section): Section {
    const round = section.vote.round + 1
    const updated: Section = { ...section, vote: { ...section.vote, status: 'open', round, votedCount: 0 } }
    room.commit(
      () =>
        this.deps.votes.openRound({
          workshopId: room.workshopId,
          sectionId: section.sectionId,
          round,
          budget: section.vote.settings.budget,
          maxPerIdea: section.vote.settings.maxPerIdea,
          liveTallies: section.vote.settings.liveTallies,
        }),
      {
        state: (doc) => {
          writeSection(doc, updated)
          writeResults(doc, section.sectionId, null)
        },
      },
    )
    return updated
  }

  ballot(actor: Participant, sectionId: string, dots: Record<string, unknown>): Result<RecordedBallot> {
    return this.withSection(actor.workshopId, sectionId, (room, section) => {
      // VALIDATION: phase, then the allocation against this round's fixed settings.
      const phase = requirePhase(section, 'ballot', 'vote')
      if (!phase.ok) return phase
      if (section.vote.status !== 'open') return fail(ErrorCode.wrongPhase, 'Voting has closed for this section.')
      const allowed = new Set(readIdeas(room.state.doc, sectionId).filter((idea) => idea.status === 'published' && idea.kind === 'idea').map((idea) => idea.ideaId))
      const allocation = checkAllocation(dots, section.vote.settings, allowed)
      if (!allocation.ok) return allocation
      // RESOLUTION: one transaction replaces the whole ballot; calls are serialised, so two
      // racing requests for one token each see the other's finished write, never half of it.
      const { workshopId } = actor
      const round = section.vote.round
      room.commit(
        () => this.deps.votes.replaceBallot(workshopId, sectionId, round, actor.participantId, allocation.value),
        {
          state: (doc) => {
            const votedCount = this.deps.votes.voterCount(workshopId, sectionId, round)
            writeSection(doc, { ...section, vote: { ...section.vote, votedCount } })
            if (section.vote.settings.liveTallies) writeResults(doc, sectionId, this.results(room, section, this.deps.votes.currentSums(workshopId, sectionId), votedCount, false))
          },
        },
      )
      const used = dotsUsed(allocation.value)
      return ok({ dots: Object.fromEntries(allocation.value), used, remaining: section.vote.settings.budget - used })
    })
  }

  myBallot(actor: Participant, sectionId: string): Result<RecordedBallot> {
    return this.withSection(actor.workshopId, sectionId, (_room, section) => {
      const dots = section.vote.status === 'open' ? this.deps.votes.ballotOf(actor.workshopId, sectionId, actor.participantId) : new Map<string, number>()
      const used = dotsUsed(dots)
      return ok({ dots: Object.fromEntries(dots), used, remaining: section.vote.settings.budget - used })
    })
  }

  close(actor: Facilitator, sectionId: string): Result<PublicResults> {
    return this.withSection(actor.workshopId, sectionId, (room, section) => {
      if (section.vote.status !== 'open') return fail(ErrorCode.wrongPhase, `There is no open vote in “${section.title}” (it is at “${PHASE_LABEL[section.phase]}”).`)
      return ok(this.closeRound(room, section).results)
    })
  }

  /** Computes and publishes tallies, then deletes the ballots (see VoteStore.closeAndDetach). */
  closeRound(room: Room, section: Section): { section: Section; results: PublicResults } {
    const { workshopId } = room
    const updated: Section = { ...section, vote: { ...section.vote, status: 'closed' } }
    let results: PublicResults | null = null
    room.commit(
      () => {
        const sums = this.deps.votes.closeAndDetach(workshopId, section.sectionId, section.vote.round)
        results = this.results(room, section, sums, this.deps.votes.voterCount(workshopId, section.sectionId, section.vote.round), true)
      },
      {
        state: (doc) => {
          writeSection(doc, updated)
          writeResults(doc, section.sectionId, results)
        },
      },
    )
    this.deps.votes.checkpoint()
    return { section: updated, results: results! }
  }

  /** Results once visible: after close, or during the vote if live tallies were chosen. */
  resultsFor(workshopId: string, sectionId: string): Result<PublicResults> {
    return this.withSection(workshopId, sectionId, (room, section) => {
      const round = this.deps.votes.latestRound(workshopId, sectionId)
      if (!round) return fail(ErrorCode.wrongPhase, 'There has been no vote in this section yet.')
      if (round.status === 'open' && !round.liveTallies) return fail(ErrorCode.wrongPhase, 'Results are shown when the vote closes.')
      const sums = round.status === 'open' ? this.deps.votes.currentSums(workshopId, sectionId) : this.deps.votes.tallies(workshopId, sectionId, round.round)
      return ok(this.results(room, section, sums, this.deps.votes.voterCount(workshopId, sectionId, round.round), round.status === 'closed'))
    })
  }

  private results(room: Room, section: Section, sums: Map<string, number>, voterCount: number, final: boolean): PublicResults {
    const ideas = readIdeas(room.state.doc, section.sectionId).filter((idea) => idea.status === 'published' && idea.kind === 'idea')
    return {
      round: section.vote.round,
      final,
      voterCount,
      budget: section.vote.settings.budget,
      maxPerIdea: section.vote.settings.maxPerIdea,
      ranked: rankIdeas(ideas, sums),
    }
  }

  private withSection<T>(workshopId: string, sectionId: string, work: (room: Room, section: Section) => Result<T>): Result<T> {
    return this.deps.rooms.withRoom(workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      return work(room, section)
    })
  }
}
