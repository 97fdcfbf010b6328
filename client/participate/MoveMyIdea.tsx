import { useId, useState } from 'react'
import type { OwnIdea } from '../../shared/ideas.ts'
import { phaseAllows } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import type { MyIdeas } from './myIdeas.ts'

/** "This fits better elsewhere": the author moves one of their ideas to another open section. */
export function MoveMyIdea({ section, sections, mine, myIdeas }: { section: Section; sections: Section[]; mine: OwnIdea[]; myIdeas: MyIdeas }) {
  const id = useId()
  // Waiting ideas only: a shown idea that moved at once would point at its author.
  const movable = mine.filter((idea) => idea.kind === 'idea' && idea.status === 'pending')
  const targets = sections.filter((other) => other.sectionId !== section.sectionId && phaseAllows(other.phase, 'addIdea'))
  const [ideaId, setIdeaId] = useState('')
  const [sectionId, setSectionId] = useState('')
  const [message, setMessage] = useState<Message | null>(null)
  if (!phaseAllows(section.phase, 'editOwnIdea') || movable.length === 0 || targets.length === 0) return null
  const chosenIdea = ideaId || movable[0]!.ideaId
  const chosenSection = sectionId || targets[0]!.sectionId
  return (
    <details className="move-my-idea">
      <summary>Move a waiting idea of mine to another section</summary>
      {movable.length > 1 && (
        <>
          <label htmlFor={`${id}-idea`}>Idea</label>
          <select id={`${id}-idea`} value={chosenIdea} onChange={(event) => setIdeaId(event.target.value)}>
            {movable.map((idea) => (
              <option key={idea.ideaId} value={idea.ideaId}>
                {idea.text.slice(0, 80)}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${id}-to`}>Move to</label>
      <select id={`${id}-to`} value={chosenSection} onChange={(event) => setSectionId(event.target.value)}>
        {targets.map((other) => (
          <option key={other.sectionId} value={other.sectionId}>
            {other.title}
          </option>
        ))}
      </select>
      <button
        type="button"
        onClick={async () => {
          const result = await myIdeas.move(chosenIdea, chosenSection)
          const title = targets.find((other) => other.sectionId === chosenSection)?.title ?? 'the other section'
          setMessage(result.ok ? { text: `Moved to “${title}”.`, error: false } : { text: result.message, error: true })
        }}
      >
        Move my idea
      </button>
      <StatusMessage message={message} />
    </details>
  )
}
