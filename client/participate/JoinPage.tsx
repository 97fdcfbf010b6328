import { useEffect, useId, useState, type FormEvent } from 'react'
import type { JoinedWorkshop, Perspective } from '../../shared/intents.ts'
import { PSEUDONYM_MAX_CHARS } from '../../shared/presence.ts'
import { announce } from '../announce/announcer.ts'
import { callApi } from '../api.ts'
import { navigate, usePageTitle } from '../router.tsx'
import { myPresenceIdentity, session } from '../session.ts'
import { FieldError, useFieldError } from '../ui/StatusMessage.tsx'
import { useWelcome } from '../ui/useWelcome.ts'
import { loadWorkshopChunk, prefetchWorkshopChunk, workshopChunkIfLoaded } from '../workshop/workshopChunk.ts'
import { SupportLine } from '../ui/SupportLine.tsx'

const PERSPECTIVES: { value: Perspective | ''; label: string }[] = [
  { value: '', label: 'I would rather not say' },
  { value: 'lived-experience', label: 'I have lived experience of mental health services' },
  { value: 'carer', label: 'I am a carer, family member or friend' },
  { value: 'staff', label: 'I work in mental health services' },
  { value: 'manager-or-commissioner', label: 'I manage services, or decide which services to pay for' },
  { value: 'other', label: 'Something else' },
]

export function JoinPage({ workshopId }: { workshopId: string }) {
  const id = useId()
  const alreadyJoined = session.participantToken(workshopId) !== null
  const [name, setName] = useState(() => myPresenceIdentity(workshopId).name)
  const [perspective, setPerspective] = useState<Perspective | ''>('')
  const [inviteCode, setInviteCode] = useState(() => new URLSearchParams(window.location.search).get('invite') ?? '')
  const [error, setError, errorTimes] = useFieldError()
  const [busy, setBusy] = useState(false)
  const [inviteRefused, setInviteRefused] = useState(false)
  const welcome = useWelcome(workshopId)
  const missing = welcome.status === 'error' && welcome.missing
  usePageTitle(missing ? 'This link does not work' : 'Join the workshop')
  // The workshop's code arrives while the person reads this page (`main.tsx` asks first when
  // the join link is opened; this covers coming here from another page).
  useEffect(prefetchWorkshopChunk, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    // This browser is already in: its key is reused, never swapped for a second budget.
    const existing = session.participantToken(workshopId)
    if (existing) {
      connectEarly(workshopId, existing)
      return navigate(`/w/${workshopId}`)
    }
    setBusy(true)
    const result = await callApi<JoinedWorkshop>(`/api/workshops/${workshopId}/join`, {
      body: { ...(perspective ? { perspective } : {}), ...(inviteCode.trim() ? { inviteCode: inviteCode.trim() } : {}) },
    })
    setBusy(false)
    // The server's refusals about the code say so in their words; they mark the code's box.
    setInviteRefused(!result.ok && result.status !== 0 && /invite code/i.test(result.message))
    if (!result.ok) return setError(result.status === 0 ? 'We could not reach the workshop. Check your connection, then press “Join the workshop” again.' : result.message)
    session.setParticipantToken(workshopId, result.value.token)
    // The workshop's socket opens now, while the page below is drawn (the slow part on a phone),
    // on the state doc that came with the answer: the page can show that without waiting for it.
    connectEarly(workshopId, result.value.token, result.value.state)
    if (name.trim()) session.setPseudonym(workshopId, name.trim().slice(0, PSEUDONYM_MAX_CHARS))
    // Said now, read while the workshop connects; its heading takes focus once it is on screen.
    announce('You have joined the workshop.')
    navigate(`/w/${workshopId}`)
  }

  // A deleted workshop or a wrong link: say so at once, not after the form is filled in.
  if (missing) return <NoWorkshopHere />

  return (
    <main className="page narrow" id="main">
      <h1>Join the workshop</h1>
      {welcome.status === 'ready' && <WelcomeNotes title={welcome.welcome.title} contentNote={welcome.welcome.contentNote} supportContacts={welcome.welcome.supportContacts} />}
      {alreadyJoined && (
        <div className="notice">
          <p>You have already joined on this device. Your ideas and votes are kept.</p>
          <a className="button primary" href={`/w/${workshopId}`}>
            Go back to the workshop
          </a>
        </div>
      )}
      <form onSubmit={submit} noValidate className="card">
        <p>No account needed. Nobody will see who wrote an idea or how you voted, not even the facilitator (the person who runs the workshop).</p>
        <label htmlFor={`${id}-name`}>Name others see on the board (optional)</label>
        <p className="hint" id={`${id}-name-hint`}>
          We made one up for you. It is never saved with your ideas or votes.
        </p>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={PSEUDONYM_MAX_CHARS}
          onChange={(event) => setName(event.target.value)}
          aria-describedby={`${id}-name-hint`}
          autoComplete="off"
        />
        <label htmlFor={`${id}-perspective`}>How do you come to this workshop? (optional)</label>
        <p className="hint" id={`${id}-perspective-hint`}>
          Only used as totals for groups of three or more people, never to pick anyone out.
        </p>
        <select
          id={`${id}-perspective`}
          value={perspective}
          onChange={(event) => setPerspective(event.target.value as Perspective | '')}
          aria-describedby={`${id}-perspective-hint`}
        >
          {PERSPECTIVES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-invite`}>Invite code (only if you were given one)</label>
        <input
          id={`${id}-invite`}
          value={inviteCode}
          onChange={(event) => setInviteCode(event.target.value)}
          autoComplete="one-time-code"
          maxLength={40}
          aria-describedby={error && inviteRefused ? `${id}-error` : undefined}
          aria-invalid={error && inviteRefused ? true : undefined}
        />
        <FieldError text={error} id={`${id}-error`} times={errorTimes} />
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          {busy ? 'Joining…' : 'Join the workshop'}
        </button>
      </form>
    </main>
  )
}

/**
 * Synchronously, before `navigate`: the workshop page claims the socket in an effect that can
 * run within the same microtask as the route change. If the workshop's code has not arrived
 * yet, this runs when it does: asked for now, before the page asks for the same chunk, so
 * before the page renders and claims it (a promise's callbacks run in the order they were added).
 */
function connectEarly(workshopId: string, token: string, seed?: string): void {
  const loaded = workshopChunkIfLoaded()
  if (loaded) return loaded.connectStateEarly(workshopId, token, seed)
  void loadWorkshopChunk().then(
    (chunk) => chunk.connectStateEarly(workshopId, token, seed),
    // The page asks for the chunk again, and opens its own socket once it has it.
    () => undefined,
  )
}

/** The workshop's name, its content note and who can help, before anyone commits to joining (L21). */
function WelcomeNotes({ title, contentNote, supportContacts }: { title: string; contentNote: string; supportContacts: string[] }) {
  return (
    <>
      <p className="lead">{title}</p>
      {contentNote && (
        <div className="notice content-note-notice" data-testid="workshop-content-note">
          <h2>Before you join</h2>
          <p>{contentNote}</p>
          <p>You can take a break or leave at any time, and nobody is told.</p>
        </div>
      )}
      {supportContacts.length > 0 && (
        <div className="notice" data-testid="join-support">
          <h2>Who can help today</h2>
          <ul className="support-list">
            {supportContacts.map((line, index) => (
              <li key={index}>
                <SupportLine line={line} />
              </li>
            ))}
          </ul>
          <p>You can find this again under “Get support” at the top of every page.</p>
        </div>
      )}
    </>
  )
}

/** The join link leads nowhere: no form to fill in, and a way to the start page to type a code. */
export function NoWorkshopHere() {
  return (
    <main className="page narrow" id="main">
      <h1>This link does not work</h1>
      <p>There is no workshop at this link. It may have ended and been deleted, or the link may be mistyped.</p>
      <p>Ask the facilitator for the link again, or type the workshop’s code on the start page.</p>
      <p>
        <a className="button primary" href="/">
          Go to the start page
        </a>
      </p>
    </main>
  )
}
