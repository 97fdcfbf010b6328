import { pendingWords, wordsFixed } from '../../shared/ideas.ts'
import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState } from 'react'
import { announce } from '../announce/announcer.ts'
import { focusHeading } from '../ui/routeFocus.ts'
import type { ModerationLine, PublicIdea } from '../../shared/ideas.ts'
import { phaseAllows } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicResults } from '../../shared/ballots.ts'
import type { PublicProposal } from '../../shared/consent.ts'
import { ConsentForm, ConsentHistory, UnsentAnswer, type UnsavedAnswer } from './ConsentPanel.tsx'
import { ResultsView } from './ResultsView.tsx'
import { VotePanel } from './VotePanel.tsx'
import { PhaseLine } from '../ui/PhaseLine.tsx'
import { workshopKeyPrefix } from '../leave/deviceData.ts'
import type { ApiResult } from '../api.ts'
import { IdeaForm, type AddOutcome } from './IdeaForm.tsx'
import { readDraft } from './drafts.ts'
import { IdeaText } from './IdeaText.tsx'
import { ThemedIdeas } from './ThemedIdeas.tsx'
import { MoveMyIdea } from './MoveMyIdea.tsx'
import type { PublicTheme } from '../../shared/themes.ts'
import { MyIdeaItem } from './MyIdeaItem.tsx'
import { UndoWithdraw } from './UndoWithdraw.tsx'
import { EarlierCommitmentsPanel } from './EarlierCommitments.tsx'
import type { MyIdeas } from './myIdeas.ts'

export interface SectionCardProps {
  section: Section
  /** Every section, for the now/next line ("Workshop finished" once all are done). */
  sections: readonly Section[]
  ideas: PublicIdea[]
  /** This section's themes. */
  themes: PublicTheme[]
  /** Every section, for moving one of my ideas elsewhere. */
  allSections: Section[]
  moderation: ModerationLine[]
  results: PublicResults | undefined
  proposals: PublicProposal[]
  participantCount: number
  myIdeas: MyIdeas | null
  participantToken: string | null
  facilitatorKey: string | null
  workshopId: string
  /** "About 5 minutes left…" when this section has the soft timer. */
  timerText?: string | null
}

/** Only a facilitator's device loads these (see SectionTools). */
const SectionTools = lazy(() => import('../facilitate/SectionTools.tsx').then((m) => ({ default: m.SectionTools })))

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

const outcome = (result: ApiResult<unknown>): AddOutcome =>
  result.ok ? { ok: true } : { ok: false, message: result.message, offline: result.status === 0 }
const done = (result: ApiResult<unknown>) => (result.ok ? { ok: true } : { ok: false, message: result.message })

/** One section in the list view: the question, the step, the ideas, and what I can do now. */
export function SectionCard(props: SectionCardProps) {
  const { section, sections, ideas, themes, allSections, moderation, results, proposals, participantCount, myIdeas, participantToken, facilitatorKey, workshopId, timerText } = props
  const draftKey = (kind: string) => `${workshopKeyPrefix(workshopId)}draft:${section.sectionId}:${kind}`
  const id = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  // A just-withdrawn idea nobody saw, with its words (only this device has them now), for Undo.
  const [undoable, setUndoable] = useState<{ ideaId: string; text: string } | null>(null)
  // The facilitator moved on while someone was typing an idea: the box goes, the words stay.
  const addingIdeas = phaseAllows(section.phase, 'addIdea')
  const wasAdding = useRef(addingIdeas)
  const [unsent, setUnsent] = useState<string | null>(null)
  useEffect(() => {
    const closed = wasAdding.current && !addingIdeas
    wasAdding.current = addingIdeas
    if (addingIdeas) return setUnsent(null)
    const words = closed && myIdeas ? readDraft(draftKey('idea')).trim() : ''
    if (!words) return
    setUnsent(words)
    announce(`Adding ideas has closed in “${section.title}”. What you were typing was not sent; it is kept on this device.`)
  }, [addingIdeas])
  // The same for a consent answer: the round closed before "Save my answer" was pressed.
  const openProposal = proposals.find((proposal) => proposal.status === 'open')
  const latest = proposals.at(-1)
  const agreedRound = latest?.outcome === 'agreed' ? latest.roundNumber : null
  const answering = section.phase === 'agree' && participantToken && openProposal ? openProposal.proposalId : null
  const unsavedAnswer = useRef<{ proposalId: string; answer: UnsavedAnswer } | null>(null)
  const [unsentAnswer, setUnsentAnswer] = useState<UnsavedAnswer | null>(null)
  // By proposal: a new round's empty form must not wipe what was kept from the one that closed.
  const onUnsaved = useCallback((proposalId: string, answer: UnsavedAnswer | null) => {
    if (answer) unsavedAnswer.current = { proposalId, answer }
    else if (unsavedAnswer.current?.proposalId === proposalId) unsavedAnswer.current = null
  }, [])
  useEffect(() => {
    const kept = unsavedAnswer.current
    if (!kept || kept.proposalId === answering) return
    unsavedAnswer.current = null
    setUnsentAnswer(kept.answer)
    announce(
      kept.answer.savedBefore
        ? `The round on the draft in “${section.title}” has closed. Your last changes were not sent. Your earlier answer still counts.`
        : `The round on the draft in “${section.title}” has closed. Your answer was not sent. What you typed is shown in the section.`,
      'assertive',
    )
  }, [answering])
  const shown = ideas.filter((idea) => idea.status === 'published' && idea.kind === 'idea')
  const suggestions = ideas.filter((idea) => idea.status === 'published' && idea.kind === 'suggestion')
  const hidden = ideas.filter((idea) => idea.status === 'hidden')
  const merged = ideas.filter((idea) => idea.status === 'merged')
  // Waiting ideas are counted coarsely ("a few"), never added to an exact total.
  const total = shown.length + hidden.length + merged.length
  const mine = myIdeas?.ideas.filter((idea) => idea.sectionId === section.sectionId) ?? []
  // Published with too few people behind it to be secret: everyone is told (issue 12).
  const early = moderation.filter((line) => line.action === 'published-early').map((line) => line.reason)
  const hiddenReasons = countBy(hidden.map((idea) => idea.hiddenReason ?? 'no reason given'))

  return (
    <section className="section-card card" aria-labelledby={`${id}-h`} data-section={section.sectionId}>
      <h2 id={`${id}-h`} ref={heading}>
        {section.title}
      </h2>
      <p className="prompt">{section.prompt}</p>
      <PhaseLine section={section} sections={sections} />
      {sections[0]?.sectionId === section.sectionId && (
        <EarlierCommitmentsPanel workshopId={workshopId} token={participantToken ?? facilitatorKey} open={section.phase === 'gather'} />
      )}
      {timerText && <p className="timer-line">Timer: {timerText}</p>}
      <p className="idea-count">
        {total === 0 && section.pendingCount === 0 ? 'No ideas yet.' : `${plural(shown.length, 'idea', 'ideas')} shown`}
        {/* The count matches the list: hidden and combined ideas are named apart. */}
        {hidden.length + merged.length > 0 && ` (and ${[hidden.length > 0 && `${hidden.length} hidden`, merged.length > 0 && `${merged.length} combined`].filter(Boolean).join(', ')})`}
        {section.pendingCount > 0 &&
          ` — ${pendingWords(section.pendingCount)} or changes waiting. ${
            section.hiddenUntilReveal && !section.revealed
              ? 'The facilitator shows them all together, so nobody can tell whose is whose.'
              : 'They are shown together once at least 3 people have sent some, so nobody can tell whose is whose.'
          }`}
      </p>

      {myIdeas && phaseAllows(section.phase, 'addIdea') && (
        <IdeaForm
          section={section}
          draftKey={draftKey('idea')}
          onAdd={async (text, contentNote, idempotencyKey) => outcome(await myIdeas.add(section.sectionId, text, 'idea', { contentNote, idempotencyKey }))}
        />
      )}

      {unsent && (
        <div className="notice">
          <p>
            <strong>Adding ideas has closed here.</strong> What you were typing was not sent. It is kept on this device, and comes back if the
            facilitator opens this section for ideas again:
          </p>
          <blockquote className="board-words">{unsent}</blockquote>
          <button type="button" onClick={() => setUnsent(null)}>
            OK
          </button>
        </div>
      )}

      {undoable && myIdeas && (phaseAllows(section.phase, 'addIdea') || phaseAllows(section.phase, 'suggest')) && (
        <UndoWithdraw
          text={undoable.text}
          onUndo={async () => {
            const result = await myIdeas.restore(undoable.ideaId, undoable.text)
            if (result.ok) {
              setUndoable(null)
              announce('Your idea is back, waiting to be shown with the others.')
            }
            return done(result)
          }}
          onClose={() => setUndoable(null)}
        />
      )}
      {mine.some((idea) => idea.status !== 'withdrawn') && (
        <>
          <h3>My ideas</h3>
          <ul className="my-ideas">
            {mine.map((idea) => (
              <MyIdeaItem
                key={idea.ideaId}
                idea={idea}
                hiddenReason={hidden.find((shown) => shown.ideaId === idea.ideaId)?.hiddenReason ?? null}
                canChange={phaseAllows(section.phase, 'editOwnIdea')}
                wordsFixed={wordsFixed(section, idea.status)}
                outOfVote={section.phase === 'vote' && section.vote.status === 'open'}
                onEdit={async (text) => done(await myIdeas!.edit(idea.ideaId, text))}
                onWithdraw={async () => {
                  const unseen = idea.status === 'pending'
                  const result = await myIdeas!.withdraw(idea.ideaId)
                  // The idea (and perhaps "My ideas") leaves the page: say so, and start again from the section.
                  if (result.ok) {
                    announce(unseen ? 'Idea withdrawn. Nobody saw it. The Undo button below brings it back.' : 'Idea withdrawn. Nobody else can see it now.')
                    if (unseen) setUndoable({ ideaId: idea.ideaId, text: idea.text })
                    focusHeading(heading.current)
                  }
                  return done(result)
                }}
                onContentNote={async (note) => done(await myIdeas!.setContentNote(idea.ideaId, note))}
              />
            ))}
          </ul>
          {myIdeas && <MoveMyIdea section={section} sections={allSections} mine={mine} myIdeas={myIdeas} />}
        </>
      )}

      {participantToken && section.phase === 'vote' && section.vote.status === 'open' && (
        <VotePanel workshopId={workshopId} token={participantToken} section={section} ideas={shown} themes={themes} />
      )}
      {section.phase === 'vote' && section.vote.status === 'open' && !results && (
        <p className="vote-count">
          {section.vote.votedCount} of {participantCount} have voted. Results are shown when the vote closes.
        </p>
      )}
      {results && <ResultsView results={results} ideas={shown} />}

      {unsentAnswer && <UnsentAnswer unsaved={unsentAnswer} onClose={() => setUnsentAnswer(null)} />}
      {section.phase === 'agree' && (
        <>
          {participantToken && openProposal && (
            <ConsentForm
              key={openProposal.proposalId}
              workshopId={workshopId}
              token={participantToken}
              proposal={openProposal}
              participantCount={participantCount}
              onUnsaved={onUnsaved}
            />
          )}
          {!openProposal && agreedRound === null && (
            <p className="empty">{facilitatorKey ? 'No draft is out yet. Write one in your controls and choose “Ask everyone”.' : 'The facilitator will share a draft for everyone to answer.'}</p>
          )}
          {/* The facilitator's controls say what to do next; everyone else hears the round is settled, not to wait for a draft. */}
          {!openProposal && agreedRound !== null && !facilitatorKey && (
            <p className="agreed-note" data-testid="agreed-note">
              <strong>Agreed in round {agreedRound}.</strong> Thank you. Next, the facilitator moves this part to “Done”.
            </p>
          )}
          {myIdeas && (
            <IdeaForm
              section={section}
              draftKey={draftKey('suggestion')}
              label="Suggest a change or another wording (anonymous)"
              submitLabel="Send my suggestion"
              allowContentNote={false}
              onAdd={async (text, _contentNote, idempotencyKey) => outcome(await myIdeas.add(section.sectionId, text, 'suggestion', { idempotencyKey }))}
            />
          )}
          {suggestions.length > 0 && (
            <>
              <h3>Suggestions</h3>
              <ul className="idea-list">
                {suggestions.map((idea) => (
                  <li key={idea.ideaId} className="idea">
                    <IdeaText idea={idea} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <ConsentHistory proposals={proposals} />

      <h3>Everyone’s ideas</h3>
      {shown.length === 0 ? (
        <p className="empty">
          {section.hiddenUntilReveal && !section.revealed
            ? 'Ideas stay private until the facilitator shows them all together.'
            : 'Nothing to show yet.'}
        </p>
      ) : (
        <ThemedIdeas
          workshopId={workshopId}
          sectionId={section.sectionId}
          ideas={shown}
          themes={themes}
          token={phaseAllows(section.phase, 'group') ? (participantToken ?? facilitatorKey) : null}
          canName={!participantToken && !!facilitatorKey}
        />
      )}
      {(hiddenReasons.length > 0 || early.length > 0) && (
        <ul className="moderation-lines">
          {hiddenReasons.map(([reason, count]) => (
            <li key={reason}>
              {plural(count, 'idea', 'ideas')} hidden by the facilitator: {reason}
            </li>
          ))}
          {early.map((reason, index) => (
            <li key={`early-${index}`}>{reason}</li>
          ))}
        </ul>
      )}
      {moderation.some((line) => line.action === 'merged') && (
        <p className="idea-meta">
          {plural(merged.length, 'idea was', 'ideas were')} combined with similar ones.
        </p>
      )}

      {facilitatorKey && (
        <Suspense fallback={<p className="loading">Loading the facilitator’s tools…</p>}>
          <SectionTools
            workshopId={workshopId}
            facilitatorKey={facilitatorKey}
            section={section}
            shown={shown}
            ideas={ideas}
            themes={themes}
            proposals={proposals}
            results={results}
            participantCount={participantCount}
          />
        </Suspense>
      )}
    </section>
  )
}

function countBy(values: string[]): [string, number][] {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts]
}
