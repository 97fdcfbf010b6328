import type * as Y from 'yjs'
import { checkAllocation, checkSettings, dotsUsed, rankIdeas, rankThemes, subjectOf, voteItems, type PublicResults, type VoteSettings, type VoteSubject } from '../../shared/ballots.ts'
import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import { PHASE_LABEL } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import { appendModeration, readIdeas, readResults, readThemes, writeResults, writeSection } from '../../shared/stateDoc.ts'
import { requirePhase } from '../domain/ideas.ts'
import { sealedKey } from '../domain/tokens.ts'
import type { IdeaStore } from '../storage/IdeaStore.ts'
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
export interface VoteServiceDeps {
  rooms: RoomRegistry
  votes: VoteStore
  /** For the public line written when results are published with too few voters. */
  ideas: IdeaStore
  /** Fewest voters whose tallies may be published without the facilitator saying so in public. */
  minResultGroup: number
  /** Rewrites contributions in random order and empties the WAL (diskHygiene.scrubWorkshop). */
  scrub: (workshopId: string) => void
}

/** When publishing could show one person's choices: 1 to min−1 answers (none shows nothing). */
export const tooFewToPublish = (answered: number, minGroup: number): boolean => answered > 0 && answered < minGroup

/** The line everyone sees when the facilitator publishes a small group's answers anyway. */
export const publishedEarlyReason = (what: 'votes' | 'responses', answered: number): string =>
  `The facilitator published the results although only ${answered} ${answered === 1 ? 'person' : 'people'} ${what === 'votes' ? 'voted' : 'responded'}, so these ${what} may not be secret.`

const voterKeyOf = (actor: Participant, sectionId: string, round: number) => sealedKey(actor.sealKey, `ballot/${actor.workshopId}/${sectionId}/${round}`)

export class VoteService {
  constructor(private readonly deps: VoteServiceDeps) {}

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

  /**
   * Checks that a round on `subject` can open: a theme vote needs at least one theme. Call before
   * `open`, so a refusal changes nothing (not even the phase).
   */
  canOpen(room: Room, section: Section, subject: VoteSubject): Result<void> {
    if (subject === 'themes' && voteItems(this.shownIdeas(room, section.sectionId), readThemes(room.state.doc, section.sectionId)).every((item) => item.themeId === null))
      return fail(ErrorCode.conflict, `There are no themes in “${section.title}” yet. Put ideas together first, or vote on single ideas.`)
    return ok(undefined)
  }

  /** Opens a new round with the section's settings, clearing anything left from before. */
  open(room: Room, section: Section, subject: VoteSubject = 'ideas'): Section {
    const round = section.vote.round + 1
    const updated: Section = { ...section, vote: { ...section.vote, status: 'open', round, votedCount: 0, subject } }
    room.commit(
      () =>
        this.deps.votes.openRound({
          workshopId: room.workshopId,
          sectionId: section.sectionId,
          round,
          budget: section.vote.settings.budget,
          maxPerIdea: section.vote.settings.maxPerIdea,
          liveTallies: section.vote.settings.liveTallies,
          subject,
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
      const allowed = new Set(this.items(room, section))
      const allocation = checkAllocation(dots, section.vote.settings, allowed)
      if (!allocation.ok) return allocation
      // RESOLUTION: one transaction replaces the whole ballot; calls are serialised, so two
      // racing requests for one token each see the other's finished write, never half of it.
      const { workshopId } = actor
      const round = section.vote.round
      room.commit(
        () => this.deps.votes.replaceBallot(workshopId, sectionId, voterKeyOf(actor, sectionId, round), allocation.value),
        {
          state: (doc) => {
            writeSection(doc, { ...section, vote: { ...section.vote, votedCount: this.deps.votes.takerCount(workshopId, sectionId) } })
            if (section.vote.settings.liveTallies) this.writeLiveResults(doc, room, section)
          },
        },
      )
      const used = dotsUsed(allocation.value)
      return ok({ dots: Object.fromEntries(allocation.value), used, remaining: section.vote.settings.budget - used })
    })
  }

  myBallot(actor: Participant, sectionId: string): Result<RecordedBallot> {
    return this.withSection(actor.workshopId, sectionId, (_room, section) => {
      const dots = section.vote.status === 'open' ? this.deps.votes.ballotOf(actor.workshopId, sectionId, voterKeyOf(actor, sectionId, section.vote.round)) : new Map<string, number>()
      const used = dotsUsed(dots)
      return ok({ dots: Object.fromEntries(dots), used, remaining: section.vote.settings.budget - used })
    })
  }

  close(actor: Facilitator, sectionId: string, publishAnyway: boolean, day: string): Result<PublicResults> {
    return this.withSection(actor.workshopId, sectionId, (room, section) => {
      if (section.vote.status !== 'open') return fail(ErrorCode.wrongPhase, `There is no open vote in “${section.title}” (it is at “${PHASE_LABEL[section.phase]}”).`)
      const closed = this.closeRound(room, section, publishAnyway, day)
      return closed.ok ? ok(closed.value.results) : closed
    })
  }

  /**
   * Computes and publishes tallies, then deletes the ballots (see VoteStore.closeAndDetach).
   * With 1 to minResultGroup−1 voters the tallies would show what those few chose: refused
   * unless the facilitator publishes anyway, which writes a line everyone sees.
   */
  closeRound(room: Room, section: Section, publishAnyway: boolean, day: string): Result<{ section: Section; results: PublicResults }> {
    const { workshopId } = room
    const voters = this.deps.votes.voterCount(workshopId, section.sectionId)
    const early = tooFewToPublish(voters, this.deps.minResultGroup)
    // The count shown stays the one everyone saw during the vote (people who put dots in): the
    // current one dropped at close when someone had emptied their ballot or lost their last dots.
    const shown = this.deps.votes.takerCount(workshopId, section.sectionId)
    // No ballot holds dots, and an earlier round has results: going back to the vote step and on
    // again replaced them with an empty round (December facilitator review). They come back. By
    // ballots holding dots now, not by people who ever put some in: one dot placed and taken back
    // erased a finished vote (December insider review).
    if (voters === 0) {
      const restored = this.restorePreviousRound(room, section)
      if (restored) return ok(restored)
    }
    if (early && !publishAnyway)
      return fail(
        ErrorCode.tooFewPeople,
        `Too few people have voted to keep votes secret: results are shown once the dots of ${this.deps.minResultGroup} people are in. Keep the vote open, or publish anyway (everyone will see that you did).`,
      )
    const updated: Section = { ...section, vote: { ...section.vote, status: 'closed', votedCount: shown } }
    const line = { sectionId: section.sectionId, action: 'published-early' as const, reason: publishedEarlyReason('votes', voters) }
    let results: PublicResults | null = null
    room.commit(
      () => {
        const sums = this.deps.votes.closeAndDetach(workshopId, section.sectionId, section.vote.round)
        results = this.results(room, section, sums, shown, true)
        this.deps.votes.setPublished(workshopId, section.sectionId, section.vote.round, results)
        if (early) this.deps.ideas.logModeration(workshopId, section.sectionId, line.action, [], line.reason, day)
      },
      {
        state: (doc) => {
          writeSection(doc, updated)
          writeResults(doc, section.sectionId, results)
          if (early) appendModeration(doc, line)
        },
      },
    )
    // No dots, nothing to rewrite (see ConsentService.close).
    if (shown > 0) this.deps.scrub(workshopId)
    return ok({ section: updated, results: results! })
  }

  /**
   * After ideas left an open vote (hidden or merged by the facilitator): dots on anything no
   * longer in the vote go back to their voters. They used to stay in the ballots, using up the
   * voters' budgets and counting for nothing, and every later change of those ballots was refused.
   */
  itemsChanged(workshopId: string, sectionId: string): void {
    this.withSection(workshopId, sectionId, (room, section) => {
      if (section.vote.status !== 'open') return ok(undefined)
      const present = new Set(this.items(room, section))
      const gone = [...this.deps.votes.currentSums(workshopId, sectionId).keys()].filter((itemId) => !present.has(itemId))
      if (gone.length === 0) return ok(undefined)
      room.commit(() => this.deps.votes.removeDotsOn(workshopId, sectionId, gone), {
        // The count everyone sees stays (vote_takers): it went down when an idea holding some
        // voter's last dots left, which let the facilitator probe open ballots idea by idea.
        state: (doc) => {
          if (section.vote.settings.liveTallies) this.writeLiveResults(doc, room, section)
        },
      })
      return ok(undefined)
    })
  }

  /**
   * Running totals (a facilitator's choice), from when `minResultGroup` people have put dots in.
   * Counted by people who put dots in, never by current ballots: the current count falls when
   * someone empties their ballot or an idea holding their last dots leaves, and totals that
   * vanished (or a count that fell) told everyone watching that it had just happened.
   */
  private writeLiveResults(doc: Y.Doc, room: Room, section: Section): void {
    const takers = this.deps.votes.takerCount(room.workshopId, section.sectionId)
    if (takers < this.deps.minResultGroup) return writeResults(doc, section.sectionId, null)
    // Fewer than 3 ballots hold dots now (people took theirs back): new totals would be those few
    // ballots, and removing the totals would show that it happened. The last totals stay.
    if (this.deps.votes.voterCount(room.workshopId, section.sectionId) < this.deps.minResultGroup) return
    writeResults(doc, section.sectionId, this.results(room, section, this.deps.votes.currentSums(room.workshopId, section.sectionId), takers, false))
  }

  /** Results once visible: after close, or during the vote if live tallies were chosen. */
  resultsFor(workshopId: string, sectionId: string): Result<PublicResults> {
    return this.withSection(workshopId, sectionId, (room, section) => {
      const round = this.deps.votes.latestRound(workshopId, sectionId)
      if (!round) return fail(ErrorCode.wrongPhase, 'There has been no vote in this section yet.')
      if (round.status === 'open' && !round.liveTallies) return fail(ErrorCode.wrongPhase, 'Results are shown when the vote closes.')
      if (round.status === 'open') {
        // Exactly what everyone sees in the room (writeLiveResults decides it).
        const live = readResults(room.state.doc, sectionId)
        if (!live || live.final || live.round !== round.round)
          return fail(ErrorCode.tooFewPeople, `Running totals are shown once ${this.deps.minResultGroup} people have voted, so nobody’s dots can be worked out.`)
        return ok(live)
      }
      // A closed round answers exactly as published at close: ideas added or themes changed once
      // the section went back to talking were not in that vote.
      const kept = this.deps.votes.published(workshopId, sectionId, round.round)
      if (kept) return ok(kept)
      // Rounds closed before results were kept: a theme vote's themes as voted on are in the state doc.
      const published = readResults(room.state.doc, sectionId)
      if (round.subject === 'themes' && published?.round === round.round && published.final) return ok(published)
      return ok(this.results(room, section, this.deps.votes.tallies(workshopId, sectionId, round.round), this.deps.votes.closedVoterCount(workshopId, sectionId, round.round), true))
    })
  }

  private shownIdeas(room: Room, sectionId: string) {
    return readIdeas(room.state.doc, sectionId).filter((idea) => idea.status === 'published' && idea.kind === 'idea')
  }

  /** What dots can go on in this round: shown ideas, or themes and ideas in no theme. */
  private items(room: Room, section: Section): string[] {
    const shown = this.shownIdeas(room, section.sectionId)
    if (subjectOf(section.vote) === 'ideas') return shown.map((idea) => idea.ideaId)
    return voteItems(shown, readThemes(room.state.doc, section.sectionId)).map((item) => item.itemId)
  }

  /**
   * Drops an empty round and shows the closed round before it again, exactly as it was published
   * (kept at close): worked out again, it followed themes and ideas changed since, and a theme
   * vote's tie came back as one idea winning alone. Rounds closed before that was kept stay as
   * they are (null: nothing restored).
   */
  private restorePreviousRound(room: Room, section: Section): { section: Section; results: PublicResults } | null {
    const { workshopId } = room
    const previous = this.deps.votes.round(workshopId, section.sectionId, section.vote.round - 1)
    const results = previous?.status === 'closed' ? this.deps.votes.published(workshopId, section.sectionId, previous.round) : null
    if (!previous || !results) return null
    const updated: Section = { ...section, vote: { ...section.vote, status: 'closed', round: previous.round, votedCount: results.voterCount, subject: previous.subject } }
    room.commit(() => this.deps.votes.dropRound(workshopId, section.sectionId, section.vote.round), {
      state: (doc) => {
        writeSection(doc, updated)
        writeResults(doc, section.sectionId, results)
      },
    })
    return { section: updated, results }
  }

  private results(room: Room, section: Section, sums: Map<string, number>, voterCount: number, final: boolean): PublicResults {
    const shown = this.shownIdeas(room, section.sectionId)
    const common = { round: section.vote.round, final, voterCount, budget: section.vote.settings.budget, maxPerIdea: section.vote.settings.maxPerIdea }
    if (subjectOf(section.vote) === 'ideas') return { ...common, ranked: rankIdeas(shown, sums) }
    return { ...common, subject: 'themes', ranked: [], rankedThemes: rankThemes(voteItems(shown, readThemes(room.state.doc, section.sectionId)), sums) }
  }

  private withSection<T>(workshopId: string, sectionId: string, work: (room: Room, section: Section) => Result<T>): Result<T> {
    return this.deps.rooms.withRoom(workshopId, (room) => {
      const section = room.section(sectionId)
      if (!section) return fail(ErrorCode.notFound, 'That section does not exist.')
      return work(room, section)
    })
  }
}
