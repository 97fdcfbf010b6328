import { useId, useState, type ReactNode } from 'react'
import { callApi } from '../api.ts'
import { lifecyclePath, type LifecycleTarget } from './lifecycleTarget.ts'
import { StatusMessage, type Message } from './StatusMessage.tsx'

/**
 * "Delete this workshop / programme": says what will be lost, points to what to download first,
 * and deletes only once the title is typed. Nothing can bring it back afterwards.
 */
export function ConfirmDelete({
  target,
  title,
  losses,
  before,
  onDeleted,
}: {
  target: LifecycleTarget
  title: string
  /** What goes, one plain line each. */
  losses: readonly string[]
  /** What to download first (a sentence with a link). */
  before: ReactNode
  onDeleted: () => void
}) {
  const id = useId()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState<Message | null>(null)
  const matches = typed.trim() === title.trim()
  const what = target.kind

  const remove = async () => {
    if (!matches) return setStatus({ text: 'Type the title exactly as it is shown to confirm.', error: true })
    setBusy(true)
    const result = await callApi<{ deleted: true }>(lifecyclePath(target), { method: 'DELETE', token: target.token })
    setBusy(false)
    if (!result.ok) return setStatus({ text: result.message, error: true })
    onDeleted()
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Delete this {what}</h2>
      {!open ? (
        <button type="button" className="danger" aria-expanded={false} onClick={() => setOpen(true)}>
          Delete this {what}…
        </button>
      ) : (
        <div>
          <p>Deleting removes, for everyone and for good:</p>
          <ul>
            {losses.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>
            Nobody can undo this, not even the people who run Parity. {before}
          </p>
          <form
            onSubmit={(event) => {
              event.preventDefault()
              if (!busy) void remove()
            }}
          >
            <label htmlFor={`${id}-title`}>
              To confirm, type the {what}’s title: <strong>{title}</strong>
            </label>
            <input id={`${id}-title`} type="text" autoComplete="off" value={typed} onChange={(event) => setTyped(event.target.value)} />
            <div className="button-row">
              <button type="submit" className="danger" aria-disabled={busy || undefined}>
                Delete the {what} and everything in it
              </button>
              <button type="button" onClick={() => setOpen(false)}>
                Keep it
              </button>
            </div>
          </form>
          <StatusMessage message={status} />
        </div>
      )}
    </section>
  )
}
