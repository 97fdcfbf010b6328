import { useId } from 'react'
import type { PublicIdea } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import { dotsLeftWords, dotWord, useBallot } from '../participate/ballot.ts'
import { ideaWords } from '../participate/openedNotes.ts'
import { session } from '../session.ts'
import { FieldError } from '../ui/StatusMessage.tsx'
import { cardVoteItem } from './cardDots.ts'
import type { IdeaLookup } from './IdeaCardShape.tsx'

/**
 * Voting from the selected card: the same ballot as the list's "Your votes" (ballot.ts), so both
 * always agree. In a theme vote the card's dots go to its theme, as in the list. Only for
 * participants: the facilitator votes, if at all, by joining as one.
 */
export function CardVote({ workshopId, idea, lookup }: { workshopId: string; idea: PublicIdea; lookup: IdeaLookup }) {
  const token = session.participantToken(workshopId)
  const section = lookup.sections.get(idea.sectionId)
  const item = cardVoteItem(idea.ideaId, section, lookup.ideas, lookup.themeList ?? [...new Set(lookup.themes.values())])
  if (!token || !section || !item) return null
  return <CardVoteButtons workshopId={workshopId} token={token} section={section} idea={idea} item={item} lookup={lookup} />
}

function CardVoteButtons({
  workshopId,
  token,
  section,
  idea,
  item,
  lookup,
}: {
  workshopId: string
  token: string
  section: Section
  idea: PublicIdea
  item: { itemId: string; theme: string | null }
  lookup: IdeaLookup
}) {
  const id = useId()
  const ballot = useBallot(workshopId, token, section, 'card')
  const { budget, maxPerIdea } = section.vote.settings
  const mine = ballot.dots[item.itemId] ?? 0
  // The same names as the list's buttons, so a screen reader hears the same thing in both places.
  const words = item.theme !== null ? `theme ${item.theme}` : ideaWords(idea, lookup.opened, idea.ideaId)
  const thing = item.theme !== null ? 'theme' : 'idea'
  return (
    <div className="move-row card-vote" role="group" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Your dots</h3>
      {item.theme !== null && (
        <p className="hint">
          This vote is on themes. This card is in the theme “{item.theme}”, so your dots go to the theme.
        </p>
      )}
      <p className="my-dots">
        <span aria-hidden="true">{'●'.repeat(mine)} </span>
        {dotWord(mine)} on this {thing}. Only you can see your dots.
      </p>
      <div className="button-row">
        <button type="button" onClick={() => ballot.change(item.itemId, 1)} aria-disabled={mine >= maxPerIdea || ballot.remaining <= 0 || undefined} aria-label={`Add a dot to: ${words}`}>
          Add a dot
        </button>
        <button type="button" onClick={() => ballot.change(item.itemId, -1)} aria-disabled={mine === 0 || undefined} aria-label={`Take a dot off: ${words}`}>
          Take a dot off
        </button>
      </div>
      <p className="dots-left">
        {dotsLeftWords(ballot.remaining, budget, ballot.saving)}
      </p>
      <FieldError text={ballot.errorAt === 'card' ? ballot.error : null} times={ballot.errorTimes} />
    </div>
  )
}
