import { useEffect, useId, useRef, useState } from 'react'
import { IDEA_MAX_CHARS, type OwnIdea } from '../../shared/ideas.ts'
import { FieldError, StatusMessage, type Message, useFieldError } from '../ui/StatusMessage.tsx'

const STATUS_TEXT: Record<OwnIdea['status'], string> = {
  pending: 'Waiting — only you can see it',
  published: 'Shown to everyone, without your name',
  hidden: 'Hidden by the facilitator',
  merged: 'Combined with a similar idea',
  withdrawn: 'Withdrawn',
}

type Outcome = { ok: boolean; message?: string }

/** One of my ideas, with edit, withdraw and a content note while the phase allows. */
export function MyIdeaItem({
  idea,
  hiddenReason = null,
  canChange,
  wordsFixed = false,
  outOfVote = false,
  onEdit,
  onWithdraw,
  onContentNote,
}: {
  idea: OwnIdea
  /** Why the facilitator hid it: shown here, on the author's own screen only. */
  hiddenReason?: string | null
  canChange: boolean
  /** People have voted on it: its words stay (shared/ideas.ts wordsFixed); a content note may still change. */
  wordsFixed?: boolean
  /** Still waiting while people vote: the vote started without it. */
  outOfVote?: boolean
  onEdit: (text: string) => Promise<Outcome>
  onWithdraw: () => Promise<Outcome>
  onContentNote: (note: string) => Promise<Outcome>
}) {
  const id = useId()
  const [editing, setEditing] = useState<'text' | 'note' | null>(null)
  const [confirmingWithdraw, setConfirmingWithdraw] = useState(false)
  const [draft, setDraft] = useState(idea.text)
  const [noteDraft, setNoteDraft] = useState(idea.contentNote ?? '')
  const [error, setError, errorTimes] = useFieldError()
  const [status, setStatus] = useState<Message | null>(null)
  const editButton = useRef<HTMLButtonElement>(null)
  const returnFocus = useRef(false)
  const changeable = canChange && (idea.status === 'pending' || idea.status === 'published')

  const finish = (saved: string | null) => {
    setEditing(null)
    setError(null)
    if (saved) setStatus({ text: saved, error: false })
    returnFocus.current = true
  }

  // Back to where the person started, once the Edit button is on screen again.
  useEffect(() => {
    if (editing !== null || !returnFocus.current) return
    returnFocus.current = false
    editButton.current?.focus()
  }, [editing])

  if (idea.status === 'withdrawn') return null
  return (
    <li className="my-idea">
      {editing === 'text' && (
        <form
          onSubmit={async (event) => {
            event.preventDefault()
            const length = [...draft.trim()].length
            if (length === 0) return setError('Your idea is empty — type a few words, or withdraw it instead.')
            if (length > IDEA_MAX_CHARS) return setError(`Your idea is ${length} characters long. Please keep it to ${IDEA_MAX_CHARS}.`)
            const result = await onEdit(draft)
            if (!result.ok) return setError(result.message ?? 'Your change was not saved. Your text is still here.')
            finish('Your change is saved.')
          }}
        >
          <label htmlFor={`${id}-edit`}>Change your idea</label>
          {/* Focus goes straight into the box: the person just asked to edit. */}
          <textarea id={`${id}-edit`} value={draft} rows={3} autoFocus onChange={(event) => setDraft(event.target.value)} />
          <FieldError text={error} times={errorTimes} />
          <div className="button-row">
            <button type="submit" className="primary">
              Save change
            </button>
            <button type="button" onClick={() => finish(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {editing === 'note' && (
        <form
          onSubmit={async (event) => {
            event.preventDefault()
            const result = await onContentNote(noteDraft)
            if (!result.ok) return setError(result.message ?? 'The content note was not saved.')
            finish(noteDraft.trim() ? 'Content note saved. Others see the note first and choose whether to read the idea.' : 'Content note removed.')
          }}
        >
          <label htmlFor={`${id}-note`}>Content note (for example “mentions self-harm”). Leave it empty to remove it.</label>
          <input id={`${id}-note`} value={noteDraft} autoFocus onChange={(event) => setNoteDraft(event.target.value)} />
          <FieldError text={error} times={errorTimes} />
          <div className="button-row">
            <button type="submit" className="primary">
              Save note
            </button>
            <button type="button" onClick={() => finish(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {editing === null && (
        <>
          <p className="idea-text">{idea.text}</p>
          {idea.contentNote && <p className="idea-meta">Content note: {idea.contentNote}</p>}
          <p className="idea-status">{STATUS_TEXT[idea.status]}</p>
          {outOfVote && idea.status === 'pending' && (
            <p className="idea-meta" data-testid="my-idea-out-of-vote">
              It is not in this vote: the vote started before it was shown. The facilitator can show it after the vote.
            </p>
          )}
          {idea.status === 'hidden' && (
            <p className="idea-meta hidden-reason" data-testid="my-hidden-reason">
              {hiddenReason ? `The reason given: ${hiddenReason}. ` : ''}Only you can see this note. Nobody else knows this idea was yours, and you
              are welcome to keep taking part.
            </p>
          )}
          {changeable && confirmingWithdraw && (
            <div className="confirm-withdraw" role="group" aria-label="Withdraw this idea?">
              <p>
                <strong>Withdraw this idea?</strong>{' '}
                {idea.status === 'pending'
                  ? 'Nobody has seen it yet. You can undo this while ideas are still being added here.'
                  : 'It is taken off the board and the lists for everyone. This cannot be undone.'}
              </p>
              <div className="button-row">
                <button
                  type="button"
                  className="danger"
                  onClick={async () => {
                    const result = await onWithdraw()
                    setConfirmingWithdraw(false)
                    if (!result.ok) setError(result.message ?? 'Your idea was not withdrawn.')
                  }}
                >
                  Yes, withdraw it
                </button>
                {/* Focus moves to the question's safe answer: the Withdraw button it replaced is gone. */}
                <button type="button" autoFocus onClick={() => setConfirmingWithdraw(false)}>
                  No, keep it
                </button>
              </div>
            </div>
          )}
          {changeable && wordsFixed && (
            <p className="idea-meta">People have voted on this idea, so its words stay as they are. You can ask for them to be left out of exports.</p>
          )}
          {changeable && !confirmingWithdraw && (
            <div className="button-row">
              {!wordsFixed && (
                <>
                  <button
                    type="button"
                    ref={editButton}
                    onClick={() => {
                      setDraft(idea.text)
                      setEditing('text')
                    }}
                    aria-label={`Edit your idea: ${idea.text}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      setError(null)
                      setConfirmingWithdraw(true)
                    }}
                    aria-label={`Withdraw your idea: ${idea.text}`}
                  >
                    Withdraw
                  </button>
                </>
              )}
              <button
                type="button"
                onClick={() => {
                  setNoteDraft(idea.contentNote ?? '')
                  setEditing('note')
                }}
                aria-label={`${idea.contentNote ? 'Change content note on' : 'Add content note to'} your idea: ${idea.text}`}
              >
                {idea.contentNote ? 'Change content note' : 'Add content note'}
              </button>
            </div>
          )}
          <FieldError text={error} times={errorTimes} />
          <StatusMessage message={status} />
        </>
      )}
    </li>
  )
}
