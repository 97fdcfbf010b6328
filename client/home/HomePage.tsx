import { useId, useState, type FormEvent, type ReactNode } from 'react'
import type { CreatedWorkshop, JoinCodeLookup } from '../../shared/intents.ts'
import type { CreatedProgramme } from '../../shared/coproduction.ts'
import { callApi } from '../api.ts'
import { FieldError, useFieldError } from '../ui/StatusMessage.tsx'
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
  const [error, setError, errorTimes] = useFieldError()
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
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
        <FieldError text={error} id={`${id}-error`} times={errorTimes} />
        <button type="submit" aria-disabled={busy || undefined}>
          {busy ? 'Finding the workshop…' : 'Join'}
        </button>
      </form>
    </section>
  )
}

function CreateWorkshop() {
  const [joinMode, setJoinMode] = useState<'open' | 'invite'>('open')
  return (
    <StartForm
      heading="Start a new workshop"
      intro="For facilitators. You will get a link and a code to share with everyone taking part."
      label="Workshop name"
      whenEmpty="Give the workshop a name — for example “Our shared vision, March”."
      submitLabel="Create workshop"
      busyLabel="Creating…"
      create={async (title) => {
        const result = await callApi<CreatedWorkshop>('/api/workshops', { body: { title, joinMode } })
        if (!result.ok) return result.message
        session.setFacilitatorKey(result.value.workshopId, result.value.facilitatorKey)
        navigate(`/w/${result.value.workshopId}/facilitate`)
        return null
      }}
    >
      {(id) => (
        <fieldset aria-describedby={`${id}-modes`}>
          <legend>Who can join?</legend>
          <p className="hint" id={`${id}-modes`}>
            With a link or code, one phone or browser counts as one person, but someone with two phones could join twice. Count the people in the
            room and close the door once everyone is in. Invite codes are stronger: you hand one code to each person, and each code lets one person in.
          </p>
          <label className="choice">
            <input type="radio" name="joinMode" checked={joinMode === 'open'} onChange={() => setJoinMode('open')} />
            Anyone with the link or code
          </label>
          <label className="choice">
            <input type="radio" name="joinMode" checked={joinMode === 'invite'} onChange={() => setJoinMode('invite')} />
            Only people with a personal invite code (one vote each, guaranteed)
          </label>
        </fieldset>
      )}
    </StartForm>
  )
}

/** A programme groups workshops over months; its link (with the key in the fragment) is the lead's page. */
function CreateProgramme() {
  return (
    <StartForm
      heading="Start a programme"
      intro="For leads. A programme follows a group over many workshops, and shows what was done about what people said."
      label="Programme name"
      whenEmpty="Give the programme a name — for example “Crisis care, 2026”."
      submitLabel="Create programme"
      busyLabel="Creating…"
      create={async (title) => {
        const result = await callApi<CreatedProgramme>('/api/programmes', { body: { title } })
        if (!result.ok) return result.message
        window.location.assign(result.value.programmeUrl)
        return null
      }}
    />
  )
}

/** One named thing to create: a title field, optional extra fields, and a plain error on failure. */
function StartForm(props: {
  heading: string
  intro: string
  label: string
  whenEmpty: string
  submitLabel: string
  busyLabel: string
  /** Resolves to an error message, or null once it has moved on. */
  create: (title: string) => Promise<string | null>
  children?: (id: string) => ReactNode
}) {
  const [title, setTitle] = useState('')
  const [error, setError, errorTimes] = useFieldError()
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (title.trim().length === 0) return setError(props.whenEmpty)
    setBusy(true)
    const failure = await props.create(title)
    setBusy(false)
    setError(failure)
  }

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{props.heading}</h2>
      <p>{props.intro}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor={`${id}-title`}>{props.label}</label>
        <input
          id={`${id}-title`}
          value={title}
          onChange={(event) => setTitle(event.target.value)}
          maxLength={200}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {props.children?.(id)}
        <FieldError text={error} id={`${id}-error`} times={errorTimes} />
        <button type="submit" aria-disabled={busy || undefined}>
          {busy ? props.busyLabel : props.submitLabel}
        </button>
      </form>
    </section>
  )
}
