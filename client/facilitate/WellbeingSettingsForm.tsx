import { useEffect, useId, useState, type FormEvent } from 'react'
import { SUPPORT_CONTACTS_MAX, WORKSHOP_CONTENT_NOTE_MAX_CHARS } from '../../shared/wellbeing.ts'
import { callApi } from '../api.ts'
import { FieldError, StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import { useWelcome } from '../ui/useWelcome.ts'

/** Support contacts and a content note, shown to people as they join and under "Get support" (L21). */
export function WellbeingSettingsForm({ workshopId, facilitatorKey }: { workshopId: string; facilitatorKey: string }) {
  const id = useId()
  const [attempt, setAttempt] = useState(0)
  const load = useWelcome(workshopId, attempt)
  const [contacts, setContacts] = useState('')
  const [note, setNote] = useState('')
  const [loaded, setLoaded] = useState(false)
  const [message, setMessage] = useState<Message | null>(null)

  // Filled in once: the fields appear only then, so nothing typed is overwritten by a late answer.
  useEffect(() => {
    if (load.status !== 'ready' || loaded) return
    setContacts(load.welcome.supportContacts.join('\n'))
    setNote(load.welcome.contentNote)
    setLoaded(true)
  }, [load, loaded])

  const save = async (event: FormEvent) => {
    event.preventDefault()
    const lines = contacts
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
    if (lines.length > SUPPORT_CONTACTS_MAX) return setMessage({ text: `Keep it to ${SUPPORT_CONTACTS_MAX} lines — one person or place on each.`, error: true })
    const result = await callApi(`/api/workshops/${workshopId}/wellbeing/settings`, { method: 'PUT', body: { supportContacts: lines, contentNote: note }, token: facilitatorKey })
    setMessage(result.ok ? { text: 'Saved. People see this when they join and under “Get support”.', error: false } : { text: result.message, error: true })
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Support and content note</h2>
      {!loaded && load.status === 'error' && (
        <>
          <FieldError text={`We could not get the saved support contacts: ${load.message}`} />
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </>
      )}
      {!loaded && load.status !== 'error' && <p>Getting the saved support contacts…</p>}
      {loaded && (
        <form onSubmit={save}>
          <label htmlFor={`${id}-contacts`}>Who people can talk to today (one on each line)</label>
          <p className="hint" id={`${id}-contacts-hint`}>
            For example: “Sam, peer support worker, in the room all day” or “Quiet room: first floor, room 2”.
          </p>
          <textarea id={`${id}-contacts`} rows={4} value={contacts} onChange={(event) => setContacts(event.target.value)} aria-describedby={`${id}-contacts-hint`} />
          <label htmlFor={`${id}-note`}>Content note shown when people join (optional)</label>
          <p className="hint" id={`${id}-note-hint`}>
            Say if the workshop may touch on hard topics, for example “We will talk about crisis care”.
          </p>
          <textarea
            id={`${id}-note`}
            rows={3}
            maxLength={WORKSHOP_CONTENT_NOTE_MAX_CHARS}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            aria-describedby={`${id}-note-hint`}
          />
          <button type="submit">Save support and content note</button>
        </form>
      )}
      <StatusMessage message={message} />
    </section>
  )
}
