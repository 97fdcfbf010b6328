import { useId, useState } from 'react'
import type { OwnIdea } from '../../shared/ideas.ts'

const STATUS_TEXT: Record<OwnIdea['status'], string> = {
  pending: 'Waiting — only you can see it',
  published: 'Shown to everyone, without your name',
  hidden: 'Hidden by the facilitator',
  merged: 'Combined with a similar idea',
  withdrawn: 'Withdrawn',
}

/** One of my ideas, with edit and withdraw while the phase allows. */
export function MyIdeaItem({
  idea,
  canChange,
  onEdit,
  onWithdraw,
}: {
  idea: OwnIdea
  canChange: boolean
  onEdit: (text: string) => Promise<{ ok: boolean; message?: string }>
  onWithdraw: () => Promise<{ ok: boolean; message?: string }>
}) {
  const id = useId()
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(idea.text)
  const [error, setError] = useState<string | null>(null)
  const changeable = canChange && (idea.status === 'pending' || idea.status === 'published')

  if (idea.status === 'withdrawn') return null
  return (
    <li className="my-idea">
      {editing ? (
        <form
          onSubmit={async (event) => {
            event.preventDefault()
            const result = await onEdit(draft)
            if (!result.ok) return setError(result.message ?? 'Your change was not saved.')
            setEditing(false)
            setError(null)
          }}
        >
          <label htmlFor={`${id}-edit`}>Change your idea</label>
          <textarea id={`${id}-edit`} value={draft} rows={3} onChange={(event) => setDraft(event.target.value)} />
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="primary">
              Save change
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p className="idea-text">{idea.text}</p>
          <p className="idea-status">{STATUS_TEXT[idea.status]}</p>
          {changeable && (
            <div className="button-row">
              <button type="button" onClick={() => setEditing(true)} aria-label={`Edit your idea: ${idea.text}`}>
                Edit
              </button>
              <button
                type="button"
                onClick={async () => {
                  const result = await onWithdraw()
                  if (!result.ok) setError(result.message ?? 'Your idea was not withdrawn.')
                }}
                aria-label={`Withdraw your idea: ${idea.text}`}
              >
                Withdraw
              </button>
            </div>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </li>
  )
}
