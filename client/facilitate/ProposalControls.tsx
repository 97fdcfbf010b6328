import { useId, useRef, useState, type FormEvent } from 'react'
import type { PublicResults } from '../../shared/ballots.ts'
import { AGREEMENT_RULES, type PublicProposal } from '../../shared/consent.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import { SectionKind, type Section } from '../../shared/sections.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import { draftRows, FIRST_DRAFT_SENTENCES, firstDraft, insertIntoDraft, type DraftRow } from './draftHelp.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { groupByTheme, rankedRows } from '../participate/themes.ts'
import { TooFewPeople } from './TooFewPeople.tsx'

/** Drafting a proposal (from the top results or a suggestion), and closing a round. */
export function ProposalControls({
  workshopId,
  facilitatorKey,
  section,
  proposals,
  results,
  ideas,
  themes,
  participantCount,
}: {
  workshopId: string
  facilitatorKey: string
  section: Section
  proposals: PublicProposal[]
  results: PublicResults | undefined
  ideas: PublicIdea[]
  /** This section's themes: shown beside the draft with their ideas. */
  themes: PublicTheme[]
  participantCount: number
}) {
  const id = useId()
  const open = proposals.find((proposal) => proposal.status === 'open')
  const last = proposals.at(-1)
  const ranked = results ? draftRows(rankedRows(results, ideas)) : []
  // After a vote on single ideas the themes are still worth having beside the draft.
  const shown = ideas.filter((idea) => idea.kind === 'idea' && idea.status === 'published')
  const themed = results?.subject === 'themes' ? [] : groupByTheme(shown, themes).grouped.map(({ theme, ideas: members }) => ({ key: theme.themeId, name: theme.name, ideas: members.map((idea) => idea.text) }))
  const topIdeas = ranked.slice(0, 5).map((row) => row.text)
  const tiedFirst = ranked.filter((row) => row.rank === 1).length
  const isStatement = section.kind === SectionKind.vision
  const draftStart = Math.min(topIdeas.length, isStatement ? FIRST_DRAFT_SENTENCES : topIdeas.length)
  const [draft, setDraft] = useState(() => (last ? (last.text ?? last.items?.join('\n') ?? '') : firstDraft(topIdeas, isStatement)))
  const draftBox = useRef<HTMLTextAreaElement>(null)
  const [note, setNote] = useState('')
  const [threshold, setThreshold] = useState('')
  const [suggestion, setSuggestion] = useState('')
  const [message, setMessage] = useState<Message | null>(null)
  const [tooFew, setTooFew] = useState<string | null>(null)
  const suggestions = ideas.filter((idea) => idea.kind === 'suggestion' && idea.status === 'published')
  // Once the latest round is agreed, the next step is "Done", not another draft: the form waits behind a button.
  const agreed = !open && last?.outcome === 'agreed'
  const [redrafting, setRedrafting] = useState(false)
  const objected = (last?.counts?.object ?? 0) > 0 || (last?.reasons.some((reason) => reason.response === 'object') ?? false)
  const wordingOf = (proposal: PublicProposal) => proposal.text ?? proposal.items?.join('\n') ?? ''

  const propose = async (event: FormEvent) => {
    event.preventDefault()
    const items = draft
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    const body = {
      ...(isStatement ? { text: draft } : { items }),
      ...(note.trim() ? { revisionNote: note } : {}),
      ...(threshold ? { threshold: Number(threshold) } : {}),
      ...(suggestion ? { adoptedSuggestionId: suggestion } : {}),
    }
    const result = await callApi(`/api/workshops/${workshopId}/sections/${section.sectionId}/proposals`, { body, token: facilitatorKey })
    setMessage(result.ok ? { text: 'The draft is open for answers.', error: false } : { text: result.message, error: true })
  }
  const insert = (words: string) => {
    setDraft((current) => insertIntoDraft(current, words, isStatement))
    draftBox.current?.focus()
  }
  const close = async (publishAnyway = false) => {
    const result = await callApi(`/api/workshops/${workshopId}/proposals/${open!.proposalId}/close`, { body: publishAnyway ? { publishAnyway } : {}, token: facilitatorKey })
    if (!result.ok && result.code === 'too_few_people') {
      setMessage(null)
      setTooFew(result.message)
      return
    }
    setTooFew(null)
    setMessage(result.ok ? { text: 'Round closed. The answers are shown to everyone.', error: false } : { text: result.message, error: true })
  }

  return (
    <div className="proposal-controls">
      {open ? (
        <>
          <p>
            <strong>
              Round {open.roundNumber}: {open.respondedCount} of {participantCount} have answered.
            </strong>
          </p>
          {tooFew ? (
            <TooFewPeople
              headline="Keep the round open?"
              detail={tooFew}
              keepLabel="Keep the round open"
              publishLabel="Close and show answers anyway"
              onKeep={() => {
                setTooFew(null)
                setMessage({ text: 'The round stays open.', error: false })
              }}
              onPublish={() => void close(true)}
            />
          ) : (
            <button type="button" className="primary" onClick={() => void close()}>
              Close this round
            </button>
          )}
        </>
      ) : agreed && !redrafting ? (
        <div className="agreed-next" data-testid="agreed-next">
          <p>
            <strong>Agreed.</strong> Next: move this part to “Done”.
          </p>
          <button
            type="button"
            onClick={() => {
              setDraft(wordingOf(last))
              setNote('')
              setMessage(null)
              setRedrafting(true)
              // The form replaces this button: take focus to the draft it opens with.
              requestAnimationFrame(() => draftBox.current?.focus())
            }}
          >
            Change the wording again
          </button>
        </div>
      ) : (
        <div className="drafting">
          <form onSubmit={propose}>
            {!last && tiedFirst > 1 && (
              <p className="hint" data-testid="tie-note">
                The vote has {tiedFirst} in joint first place, so the draft starts with {tiedFirst > draftStart ? `the first ${draftStart} of them` : 'all of them'}. Talk it
                through and edit the draft before you choose “Ask everyone”.
              </p>
            )}
            <label htmlFor={`${id}-draft`}>{isStatement ? 'Draft statement' : 'Draft list (one item per line, in order)'}</label>
            <textarea id={`${id}-draft`} ref={draftBox} rows={isStatement ? 4 : 6} value={draft} onChange={(event) => setDraft(event.target.value)} />
            {last && (
              <>
                <label htmlFor={`${id}-note`}>{objected ? 'What changed since the last round? (answers the objections)' : 'What changed since the last round? (you can leave this empty)'}</label>
                <textarea id={`${id}-note`} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
              </>
            )}
            {suggestions.length > 0 && (
              <>
                <label htmlFor={`${id}-suggestion`}>Based on a suggestion (optional)</label>
                <select id={`${id}-suggestion`} value={suggestion} onChange={(event) => setSuggestion(event.target.value)}>
                  <option value="">None</option>
                  {suggestions.map((idea) => (
                    <option key={idea.ideaId} value={idea.ideaId}>
                      {idea.text.slice(0, 80)}
                    </option>
                  ))}
                </select>
              </>
            )}
            <label htmlFor={`${id}-threshold`}>When is it agreed?</label>
            <select id={`${id}-threshold`} value={threshold} onChange={(event) => setThreshold(event.target.value)}>
              {AGREEMENT_RULES.map((rule) => (
                <option key={rule.threshold ?? ''} value={rule.threshold ?? ''}>
                  {rule.words.charAt(0).toUpperCase() + rule.words.slice(1)}
                </option>
              ))}
            </select>
            <button type="submit" className="primary">
              Ask everyone
            </button>
          </form>
          <DraftHelp
            ranked={ranked}
            themes={themed}
            suggestions={suggestions}
            objections={proposals.flatMap((proposal) => proposal.reasons.filter((reason) => reason.response === 'object').map((reason) => ({ round: proposal.roundNumber, text: reason.text })))}
            onInsert={insert}
          />
        </div>
      )}
      <StatusMessage message={message} />
    </div>
  )
}

/**
 * Beside the draft box: the ranked ideas and the suggestions, each added to the draft with one
 * button, and the objections from earlier rounds to answer. Reasons come without who gave them.
 */
function DraftHelp({
  ranked,
  themes,
  suggestions,
  objections,
  onInsert,
}: {
  ranked: DraftRow[]
  themes: { key: string; name: string; ideas: string[] }[]
  suggestions: PublicIdea[]
  objections: { round: number; text: string }[]
  onInsert: (text: string) => void
}) {
  const id = useId()
  if (ranked.length === 0 && themes.length === 0 && suggestions.length === 0 && objections.length === 0) return null
  const addButton = (text: string, what = '') => (
    <button type="button" className="quiet" aria-label={`Add to the draft: ${what}${text}`} onClick={() => onInsert(text)}>
      Add
    </button>
  )
  const themeIdeas = (ideas: string[]) => (
    <ul className="draft-help-list draft-help-theme">
      {ideas.map((text, index) => (
        <li key={index}>
          <span>{text}</span>
          {addButton(text)}
        </li>
      ))}
    </ul>
  )
  return (
    <aside className="draft-help" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Help with the draft</h4>
      {ranked.length > 0 && (
        <>
          <h5>{ranked.some((row) => row.themeIdeas) ? 'Themes and ideas, most dots first' : 'Ideas, most dots first'}</h5>
          <ol className="draft-help-list">
            {ranked.map((row) => (
              <li key={row.key} value={row.rank}>
                <span>
                  {row.themeIdeas ? `Theme: ${row.text}` : row.text} ({row.dots} {row.dots === 1 ? 'dot' : 'dots'})
                </span>
                {addButton(row.text, row.themeIdeas ? 'theme ' : '')}
                {row.themeIdeas && themeIdeas(row.themeIdeas)}
              </li>
            ))}
          </ol>
        </>
      )}
      {themes.length > 0 && (
        <>
          <h5>Themes people made</h5>
          <ul className="draft-help-list">
            {themes.map((theme) => (
              <li key={theme.key}>
                <span>Theme: {theme.name}</span>
                {addButton(theme.name, 'theme ')}
                {themeIdeas(theme.ideas)}
              </li>
            ))}
          </ul>
        </>
      )}
      {suggestions.length > 0 && (
        <>
          <h5>Suggestions</h5>
          <ul className="draft-help-list">
            {suggestions.map((idea) => (
              <li key={idea.ideaId}>
                <span>{idea.text}</span>
                <button type="button" className="quiet" aria-label={`Add to the draft: ${idea.text}`} onClick={() => onInsert(idea.text)}>
                  Add
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {objections.length > 0 && (
        <>
          <h5>Objections from earlier rounds</h5>
          <ul className="draft-help-list">
            {objections.map((objection, index) => (
              <li key={index}>
                Round {objection.round}: “{objection.text}”
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  )
}
