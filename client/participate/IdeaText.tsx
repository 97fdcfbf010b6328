import type { PublicIdea } from '../../shared/ideas.ts'
import { setNoteOpen, useOpenedNotes } from './openedNotes.ts'

/**
 * An idea's words, or — when it has a content note — the note and a button to open it (W9).
 * Folded text is not in the page at all, so a screen reader cannot read it out by accident.
 */
export function IdeaText({ idea, className = 'idea-text' }: { idea: Pick<PublicIdea, 'ideaId' | 'text' | 'contentNote'>; className?: string }) {
  const opened = useOpenedNotes()
  if (!idea.contentNote) return <p className={className}>{idea.text}</p>
  const open = opened.has(idea.ideaId)
  return (
    <div className="content-noted">
      <p className="content-note">
        <strong>Content note:</strong> {idea.contentNote}
      </p>
      {open && <p className={className}>{idea.text}</p>}
      <button type="button" className="small" aria-expanded={open} onClick={() => setNoteOpen(idea.ideaId, !open)}>
        {open ? 'Fold the idea away' : 'Show the idea'}
      </button>
    </div>
  )
}
