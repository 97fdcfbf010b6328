import { useId, useState, type FormEvent } from 'react'
import type { CreatedWorkshop, JoinCodeLookup } from '../../shared/intents.ts'
import type { CreatedProgramme } from '../../shared/coproduction.ts'
import { callApi } from '../api.ts'
import { FieldError } from '../ui/StatusMessage.tsx'
import { navigate, usePageTitle } from '../router.tsx'
import { session } from '../session.ts'

export function HomePage() {
  usePageTitle('Start or join a workshop')
  return (
    <main className="page narrow" id="main">
      <h1>Parity</h1>
      <p className="lead">A shared board for co-production workshops. Ideas are anonymous and everyone has an equal vote.</p>
      <JoinByCode />
      <CreateWorkshop />
      <CreateProgramme />
    </main>
  )
}

function JoinByCode() {
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const trimmed = code.replace(/[\s-]/g, '')
    if (trimmed.length === 0) return setError('Type the code from the facilitator — six letters and numbers.')
    setBusy(true)
    const result = await callApi<JoinCodeLookup>(`/api/join-codes/${encodeURIComponent(trimmed)}`)
    setBusy(false)
    if (!result.ok) return setError(result.message)
    navigate(`/w/${result.value.workshopId}/join`)
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Join a workshop</h2>
      <form onSubmit={submit} noValidate>
        <label htmlFor={`${id}-code`}>Workshop code</label>
        <p className="hint" id={`${id}-hint`}>
          The facilitator (the person who runs the workshop) will show or read out a code like <span className="code-sample">K7P-QR2</span>.
        </p>
        <input
          id={`${id}-code`}
          className="code-input"
          value={code}
          onChange={(event) => setCode(event.target.value.toUpperCase())}
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          inputMode="text"
          maxLength={12}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          aria-invalid={error ? true : undefined}
        />
        <FieldError text={error} id={`${id}-error`} />
        <button type="submit" disabled={busy}>
          {busy ? 'Finding the workshop…' : 'Join'}
        </button>
      </form>
    </section>
  )
}

function CreateWorkshop() {
  const [title, setTitle] = useState('')
  const [joinMode, setJoinMode] = useState<'open' | 'invite'>('open')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (title.trim().length === 0) return setError('Give the workshop a name — for example “Our shared vision, March”.')
    setBusy(true)
    const result = await callApi<CreatedWorkshop>('/api/workshops', { body: { title, joinMode } })
    setBusy(false)
    if (!result.ok) return setError(result.message)
    session.setFacilitatorKey(result.value.workshopId, result.value.facilitatorKey)
    navigate(`/w/${result.value.workshopId}/facilitate`)
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Start a new workshop</h2>
      <p>For facilitators. You will get a link and a code to share with everyone taking part.</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor={`${id}-title`}>Workshop name</label>
        <input
          id={`${id}-title`}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={200}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <fieldset>
          <legend>Who can join?</legend>
          <label className="choice">
            <input type="radio" name="joinMode" checked={joinMode === 'open'} onChange={() => setJoinMode('open')} />
            Anyone with the link or code
          </label>
          <label className="choice">
            <input type="radio" name="joinMode" checked={joinMode === 'invite'} onChange={() => setJoinMode('invite')} />
            Only people with a personal invite code (one vote each, guaranteed)
          </label>
        </fieldset>
        <FieldError text={error} id={`${id}-error`} />
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create workshop'}
        </button>
      </form>
    </section>
  )
}

/** A programme groups workshops over months; its link (with the key in the fragment) is the lead's page. */
function CreateProgramme() {
  const [title, setTitle] = useState('')
  const [error, setError] = useState<string | null>(null)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (title.trim().length === 0) return setError('Give the programme a name — for example “Crisis care, 2026”.')
    const result = await callApi<CreatedProgramme>('/api/programmes', { body: { title } })
    if (!result.ok) return setError(result.message)
    window.location.assign(result.value.programmeUrl)
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Start a programme</h2>
      <p>For leads. A programme follows a group over many workshops, and shows what was done about what people said.</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor={`${id}-title`}>Programme name</label>
        <input
          id={`${id}-title`}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={200}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <FieldError text={error} id={`${id}-error`} />
        <button type="submit">Create programme</button>
      </form>
    </section>
  )
}
