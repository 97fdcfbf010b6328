import { useEffect, useId } from 'react'
import { subjectOf, voteItems } from '../../shared/ballots.ts'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import type { PublicTheme } from '../../shared/themes.ts'
import { announce } from '../announce/announcer.ts'
import { FieldError } from '../ui/StatusMessage.tsx'
import { dotsLeftWords, dotWord, useBallot } from './ballot.ts'
import { IdeaText } from './IdeaText.tsx'
import { ideaWords, useOpenedNotes } from './openedNotes.ts'

/**
 * Voting with buttons (no dragging): each idea has a toggle, or add/remove buttons when more
 * than one dot per idea is allowed. The remaining dots are always shown and read out. The ballot
 * itself (loading, saving, errors) is shared with the board's card panel (ballot.ts).
 */
export function VotePanel({ workshopId, token, section, ideas, themes }: { workshopId: string; token: string; section: Section; ideas: PublicIdea[]; themes: PublicTheme[] }) {
  const id = useId()
  const { budget, maxPerIdea } = section.vote.settings
  const ballot = useBallot(workshopId, token, section, 'list')
  const { dots, saving, returned, used, remaining, change, keepOnly } = ballot
  const error = ballot.errorAt === 'list' ? ballot.error : null
  const opened = useOpenedNotes()

  // What the dots go on: each idea, or in a theme vote each theme and each idea in no theme.
  const onThemes = subjectOf(section.vote) === 'themes'
  const byId = new Map(ideas.map((idea) => [idea.ideaId, idea]))
  const items = onThemes
    ? voteItems(ideas, themes).map((item) => ({ itemId: item.itemId, name: item.name, ideas: item.ideaIds.flatMap((ideaId) => byId.get(ideaId) ?? []) }))
    : ideas.map((idea) => ({ itemId: idea.ideaId, name: null, ideas: [idea] }))
  // An idea the facilitator hid or merged leaves the vote, and the server gives its dots back.
  const itemKey = items.map((item) => item.itemId).join(' ')
  useEffect(() => {
    const back = keepOnly(itemKey.split(' '))
    if (back > 0) announce(`An idea you voted for was taken out of the vote. Your ${dotWord(back)} on it ${back === 1 ? 'is' : 'are'} back for you to use.`)
  }, [itemKey, keepOnly])

  return (
    <div className="vote-panel" aria-labelledby={`${id}-h`} role="group">
      <h3 id={`${id}-h`}>Your votes</h3>
      <p className="hint">
        {onThemes
          ? `You are voting on themes: an idea in no theme counts on its own. Everyone has ${dotWord(budget)}, at most ${dotWord(maxPerIdea)} on one theme or idea.`
          : `Everyone has ${dotWord(budget)}, at most ${dotWord(maxPerIdea)} on one idea.`}{' '}
        {maxPerIdea === 1 && 'Press ✓ Vote again to take your dot off. '}
        Your votes are secret: nobody, not even the facilitator, can see them.
      </p>
      <p className="dots-left">
        <span aria-hidden="true">
          {'●'.repeat(Math.max(0, remaining))}
          {'○'.repeat(Math.max(0, used))}{' '}
        </span>
        {dotsLeftWords(remaining, budget, saving)}
      </p>
      {returned > 0 && <p className="hint">An idea you voted for was taken out of the vote, so your {dotWord(returned)} on it came back to you.</p>}
      <ul className="vote-list">
        {items.map((item) => {
          const mine = dots[item.itemId] ?? 0
          const words = item.name !== null ? `theme ${item.name}` : item.ideas[0] ? ideaWords(item.ideas[0], opened, item.itemId) : 'an idea'
          const thing = item.name !== null ? 'theme' : 'idea'
          return (
            <li key={item.itemId} className="vote-item">
              {item.name !== null ? (
                <div className="vote-theme">
                  <p className="theme-name">Theme: {item.name}</p>
                  <ul className="result-theme-ideas">
                    {item.ideas.map((idea) => (
                      <li key={idea.ideaId}>
                        <IdeaText idea={idea} />
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                item.ideas[0] && <IdeaText idea={item.ideas[0]} />
              )}
              {maxPerIdea === 1 ? (
                // The name starts with the visible word (2.5.3); aria-pressed and the tick say whether it is on.
                <button type="button" aria-pressed={mine > 0} onClick={() => change(item.itemId, mine > 0 ? -1 : 1)} aria-label={`Vote for: ${words}`}>
                  Vote
                </button>
              ) : (
                <div className="button-row">
                  <button type="button" onClick={() => change(item.itemId, -1)} aria-disabled={mine === 0 || undefined} aria-label={`Take a dot off: ${words}`}>
                    −
                  </button>
                  <span className="my-dots">
                    {dotWord(mine)} on this {thing}
                  </span>
                  <button type="button" onClick={() => change(item.itemId, 1)} aria-disabled={mine >= maxPerIdea || undefined} aria-label={`Add a dot to: ${words}`}>
                    +
                  </button>
                </div>
              )}
            </li>
          )
        })}
      </ul>
      <FieldError text={error} times={ballot.errorTimes} />
    </div>
  )
}
