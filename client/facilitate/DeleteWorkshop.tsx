import { useId, useState } from 'react'
import { callApi } from '../api.ts'
import { session } from '../session.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

/**
 * "Delete this workshop": says what will be lost, points to the exports first, and deletes only
 * once the title is typed. Nothing can bring the workshop back afterwards.
 */
export function DeleteWorkshop({ workshopId, facilitatorKey, title, onDeleted }: { workshopId: string; facilitatorKey: string; title: string; onDeleted: () => void }) {
  const id = useId()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [status, setStatus] = useState<Message | null>(null)
  const matches = typed.trim() === title.trim()

  const remove = async () => {
    if (!matches) return setStatus({ text: 'Type the title exactly as it is shown to confirm.', error: true })
    setBusy(true)
    const result = await callApi<{ deleted: true }>(`/api/workshops/${workshopId}`, { method: 'DELETE', token: facilitatorKey })
    setBusy(false)
    if (!result.ok) return setStatus({ text: result.message, error: true })
    session.forgetWorkshop(workshopId)
    onDeleted()
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Delete this workshop</h2>
      {!open ? (
        <button type="button" className="danger" aria-expanded={false} onClick={() => setOpen(true)}>
          Delete this workshop…
        </button>
      ) : (
        <div>
          <p>Deleting removes, for everyone and for good:</p>
          <ul>
            <li>every idea, suggestion and reason people gave</li>
            <li>the votes and their results, and the agreed statements</li>
            <li>the board and everything drawn or written on it</li>
            <li>the join link, the code and the “What we agreed” page: they stop working</li>
          </ul>
          <p>
            Nobody can undo this, not even the people who run Parity. <a href="#export-h">Download the agreed vision first</a> if you need it.
          </p>
          <form
            onSubmit={(event) => {
              event.preventDefault()
              void remove()
            }}
          >
            <label htmlFor={`${id}-title`}>
              To confirm, type the workshop’s title: <strong>{title}</strong>
            </label>
            <input id={`${id}-title`} type="text" autoComplete="off" value={typed} onChange={(event) => setTyped(event.target.value)} />
            <div className="button-row">
              <button type="submit" className="danger" disabled={busy}>
                Delete the workshop and everything in it
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
