import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { COMMITMENT_STATUSES, STATUS_LABEL, type CommitmentStatus, type PublicCommitment } from '../../shared/coproduction.ts'
import { formatDay } from '../../shared/days.ts'
import type { ProgrammeView } from '../../shared/programme.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

interface Options {
  sections: { sectionId: string; title: string }[]
  ideas: { ideaId: string; sectionId: string; text: string }[]
}

/** "You said, we did": add commitments to a workshop and give dated updates. Owners are roles, never names. */
export function CommitmentEditor({ view, programmeKey, onChange }: { view: ProgrammeView; programmeKey: string; onChange: () => Promise<void> }) {
  return (
    <section className="card" aria-labelledby="commitments-h">
      <h2 id="commitments-h">You said, we did</h2>
      <p className="hint">Write who will do it as a role, like “Ward manager”, not a name.</p>
      {view.commitments.length === 0 ? (
        <p className="empty">No commitments yet.</p>
      ) : (
        <ul className="commitments">
          {view.commitments.map((c) => (
            <CommitmentItem key={c.commitmentId} commitment={c} programmeKey={programmeKey} onChange={onChange} />
          ))}
        </ul>
      )}
      {view.workshops.length > 0 && <NewCommitment view={view} programmeKey={programmeKey} onChange={onChange} />}
    </section>
  )
}

function CommitmentItem({ commitment, programmeKey, onChange }: { commitment: PublicCommitment & { workshopTitle: string }; programmeKey: string; onChange: () => Promise<void> }) {
  const id = useId()
  const [status, setStatus] = useState<CommitmentStatus>(commitment.status)
  const [note, setNote] = useState('')
  const [message, setMessage] = useState<Message | null>(null)
  const save = async (event: FormEvent) => {
    event.preventDefault()
    const result = await callApi(`/api/commitments/${commitment.commitmentId}/updates`, { body: { status, note }, token: programmeKey })
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setNote('')
    setMessage({ text: `Saved: ${STATUS_LABEL[status]}.`, error: false })
    await onChange()
  }
  // Asked first: it goes for good, from the share page too.
  const [confirming, setConfirming] = useState(false)
  const removeButton = useRef<HTMLButtonElement>(null)
  const keep = () => {
    setConfirming(false)
    // Back where the question was asked, not lost to the top of the page.
    requestAnimationFrame(() => removeButton.current?.focus())
  }
  const remove = async () => {
    const result = await callApi(`/api/commitments/${commitment.commitmentId}`, { method: 'DELETE', token: programmeKey })
    if (!result.ok) return setMessage({ text: result.message, error: true })
    await onChange()
  }
  return (
    <li>
      <p>
        <strong>{commitment.text}</strong> — {commitment.ownerRole}. From {commitment.workshopTitle}. Now: <strong>{STATUS_LABEL[commitment.status]}</strong>
        {commitment.due && <>. Due {formatDay(commitment.due)}</>}.
      </p>
      {commitment.updates.length > 0 && (
        <ul>
          {commitment.updates.map((u, index) => (
            <li key={index}>
              {formatDay(u.day)}: {STATUS_LABEL[u.status]}
              {u.note && <> — {u.note}</>}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} className="commitment-update">
        <label htmlFor={`${id}-status`}>New status</label>
        <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as CommitmentStatus)}>
          {COMMITMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-note`}>{status === 'not-possible' ? 'Why is it not possible? (needed)' : 'Note (you can leave this empty)'}</label>
        <textarea id={`${id}-note`} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
        <button type="submit">Save the update</button>
        <StatusMessage message={message} />
      </form>
      {confirming ? (
        <p role="group" aria-label="Remove this commitment?">
          Remove this commitment and its updates for good? It goes from the share page too.{' '}
          <button type="button" onClick={() => void remove()}>
            Yes, remove it
          </button>{' '}
          <button type="button" autoFocus onClick={keep}>
            No, keep it
          </button>
        </p>
      ) : (
        <button type="button" ref={removeButton} onClick={() => setConfirming(true)}>
          Remove this commitment
        </button>
      )}
    </li>
  )
}

function NewCommitment({ view, programmeKey, onChange }: { view: ProgrammeView; programmeKey: string; onChange: () => Promise<void> }) {
  const [workshopId, setWorkshopId] = useState(view.workshops.at(-1)!.workshopId)
  const [options, setOptions] = useState<Options | null>(null)
  const [text, setText] = useState('')
  const [ownerRole, setOwnerRole] = useState('')
  const [due, setDue] = useState('')
  const [sectionId, setSectionId] = useState('')
  const [ideaIds, setIdeaIds] = useState<string[]>([])
  const [message, setMessage] = useState<Message | null>(null)

  useEffect(() => {
    let cancelled = false
    setIdeaIds([])
    // A slower answer for the workshop chosen before must not replace this one's options.
    void callApi<Options>(`/api/workshops/${workshopId}/commitment-options`, { token: programmeKey }).then((result) => {
      if (!cancelled) setOptions(result.ok ? result.value : null)
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, programmeKey])

  const add = async (event: FormEvent) => {
    event.preventDefault()
    const body = { text, ownerRole, ...(due ? { due } : {}), ...(sectionId ? { sectionId } : {}), ideaIds }
    const result = await callApi(`/api/workshops/${workshopId}/commitments`, { body, token: programmeKey })
    if (!result.ok) return setMessage({ text: result.message, error: true })
    setText('')
    setIdeaIds([])
    setMessage({ text: 'Commitment added.', error: false })
    await onChange()
  }
  const ideas = options?.ideas.filter((idea) => !sectionId || idea.sectionId === sectionId) ?? []
  return (
    <form onSubmit={add} className="new-commitment">
      <h3>Add a commitment</h3>
      <label htmlFor="commitment-workshop">From which workshop</label>
      <select id="commitment-workshop" value={workshopId} onChange={(event) => setWorkshopId(event.target.value)}>
        {view.workshops.map((w) => (
          <option key={w.workshopId} value={w.workshopId}>
            {w.title}
          </option>
        ))}
      </select>
      <label htmlFor="commitment-text">What will be done</label>
      <textarea id="commitment-text" rows={2} value={text} onChange={(event) => setText(event.target.value)} />
      <label htmlFor="commitment-owner">Who will do it (a role)</label>
      <input id="commitment-owner" value={ownerRole} onChange={(event) => setOwnerRole(event.target.value)} />
      <label htmlFor="commitment-due">By when (you can leave this empty)</label>
      <input id="commitment-due" type="date" value={due} onChange={(event) => setDue(event.target.value)} />
      <label htmlFor="commitment-section">Which part of the workshop</label>
      <select id="commitment-section" value={sectionId} onChange={(event) => setSectionId(event.target.value)}>
        <option value="">Any</option>
        {options?.sections.map((s) => (
          <option key={s.sectionId} value={s.sectionId}>
            {s.title}
          </option>
        ))}
      </select>
      {ideas.length > 0 && (
        <fieldset>
          <legend>Which ideas does it answer? The people who wrote them will see what happens.</legend>
          {ideas.map((idea) => (
            <label key={idea.ideaId} className="checkbox">
              <input
                type="checkbox"
                checked={ideaIds.includes(idea.ideaId)}
                onChange={(event) => setIdeaIds((current) => (event.target.checked ? [...current, idea.ideaId] : current.filter((x) => x !== idea.ideaId)))}
              />{' '}
              {idea.text}
            </label>
          ))}
        </fieldset>
      )}
      <p>
        <button type="submit">Add the commitment</button>
      </p>
      <StatusMessage message={message} />
    </form>
  )
}
