import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { IDEA_MAX_CHARS } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'
import { IDEA_CONTENT_NOTE_MAX_CHARS } from '../../shared/wellbeing.ts'
import { FieldError, StatusMessage, type Message, useFieldError } from '../ui/StatusMessage.tsx'
import { useDraft } from './drafts.ts'

/** Who can see an idea at this moment — shown next to the box (W1). */
export function whoCanSee(section: Section): string {
  if (section.hiddenUntilReveal && !section.revealed)
    return 'Only you can see it for now. Later, all the ideas are shown at once. Nobody will know which one is yours.'
  return 'It will be shown with at least two other ideas at the same time. So nobody can tell which one is yours.'
}

export type AddOutcome = { ok: true } | { ok: false; message: string; offline: boolean }

/**
 * Adding an idea. The text is kept as a draft while typed (Back or a reload keep it); a double
 * press sends once; offline, it waits and sends by itself when the connection is back, with the
 * same key, so the server never makes two.
 */
export function IdeaForm({
  section,
  onAdd,
  draftKey,
  label = `Add an idea to “${section.title}”`,
  submitLabel = 'Add my idea',
  allowContentNote = true,
}: {
  section: Section
  onAdd: (text: string, contentNote: string, idempotencyKey: string) => Promise<AddOutcome>
  draftKey: string | null
  label?: string
  submitLabel?: string
  allowContentNote?: boolean
}) {
  const id = useId()
  const [text, setText] = useDraft(draftKey)
  const [noteOn, setNoteOn] = useState(false)
  const [note, setNote] = useState('')
  const [error, setError, errorTimes] = useFieldError()
  /** The error is about the content note, not the idea's words: it marks that field instead. */
  const [errorOnNote, setErrorOnNote] = useState(false)
  const [status, setStatus] = useState<Message | null>(null)
  const [busy, setBusy] = useState(false)
  const [waitingForNetwork, setWaitingForNetwork] = useState(false)
  const sending = useRef(false)
  const pressedWhileSending = useRef(false)
  const idempotencyKey = useRef<string | null>(null)
  const latest = useRef({ text, note, noteOn })
  latest.current = { text, note, noteOn }
  const length = [...text.trim()].length
  const over = length > IDEA_MAX_CHARS

  const send = async () => {
    // Rapid repeated presses (a held key, a double tap) send once. A press while sending is kept:
    // someone who typed their next idea on a slow connection gets it sent after the first.
    if (sending.current) {
      pressedWhileSending.current = true
      return
    }
    const { text: current, note: currentNote, noteOn: withNote } = latest.current
    const currentLength = [...current.trim()].length
    setErrorOnNote(false)
    if (currentLength === 0) return setError('Your idea is empty — type a few words.')
    if (currentLength > IDEA_MAX_CHARS)
      return setError(`Your idea is ${currentLength} characters long. Please keep it to ${IDEA_MAX_CHARS}. Your text is still here to shorten.`)
    if (withNote && [...currentNote.trim()].length > IDEA_CONTENT_NOTE_MAX_CHARS) {
      setErrorOnNote(true)
      return setError(`Keep the content note short — ${IDEA_CONTENT_NOTE_MAX_CHARS} characters at most.`)
    }
    sending.current = true
    setBusy(true)
    setError(null)
    idempotencyKey.current ??= crypto.randomUUID()
    const result = await onAdd(current, withNote ? currentNote : '', idempotencyKey.current)
    // Words typed while this was sending are the next idea: keep them. Only the words sent go.
    const typedSince = latest.current.text !== current
    // A press landing after the save but before React re-renders must not find the old words
    // (with a fresh key they would be a second idea), so clear them here, not only in state.
    if (result.ok && !typedSince) latest.current = { text: '', note: '', noteOn: false }
    sending.current = false
    const pressedAgain = pressedWhileSending.current
    pressedWhileSending.current = false
    setBusy(false)
    if (!result.ok) {
      if (result.offline) {
        setWaitingForNetwork(true)
        return setStatus({ text: 'You are offline, so your idea is not sent yet. It is kept here and will be sent when you are back online.', error: false, info: true })
      }
      return setError(result.message)
    }
    idempotencyKey.current = null
    setWaitingForNetwork(false)
    setStatus({ text: 'Your idea is saved.', error: false })
    if (typedSince) {
      if (pressedAgain) void send()
      return
    }
    setText('')
    setNote('')
    setNoteOn(false)
  }

  // "Your idea is saved" belongs to the step it was said in: it stayed on screen through the
  // vote and the agreeing, long after (December UX review). Other words stay until read.
  useEffect(() => {
    setStatus((current) => (current && !current.error && !current.info ? null : current))
  }, [section.phase])

  // Back online: send what was waiting, as it is now.
  useEffect(() => {
    if (!waitingForNetwork) return
    const retry = () => void send()
    window.addEventListener('online', retry)
    return () => window.removeEventListener('online', retry)
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void send()
  }

  return (
    <form className="idea-form" onSubmit={submit} noValidate>
      <label htmlFor={`${id}-text`}>{label}</label>
      <p className="hint" id={`${id}-who`}>
        <strong>Who can see this? </strong>
        {whoCanSee(section)}
      </p>
      <textarea
        id={`${id}-text`}
        value={text}
        rows={3}
        onChange={(event) => {
          setText(event.target.value)
          // Different words are a different idea: a later send must not reuse the old key.
          idempotencyKey.current = null
          setStatus(null)
        }}
        aria-describedby={`${id}-who ${id}-count${error && !errorOnNote ? ` ${id}-error` : ''}`}
        aria-invalid={(error && !errorOnNote) || over ? true : undefined}
      />
      <p className={`char-count${over ? ' over' : ''}`} id={`${id}-count`}>
        {length} of {IDEA_MAX_CHARS} characters{over ? ' — too long' : ''}
      </p>
      {allowContentNote && (
        <>
          <label className="choice">
            <input type="checkbox" checked={noteOn} onChange={(event) => setNoteOn(event.target.checked)} />
            Add a content note, so others can choose whether to read it
          </label>
          {noteOn && (
            <>
              <label htmlFor={`${id}-note`}>Content note (for example “mentions self-harm”)</label>
              <input
                id={`${id}-note`}
                value={note}
                maxLength={IDEA_CONTENT_NOTE_MAX_CHARS * 2}
                onChange={(event) => setNote(event.target.value)}
                aria-describedby={error && errorOnNote ? `${id}-error` : undefined}
                aria-invalid={error && errorOnNote ? true : undefined}
              />
            </>
          )}
        </>
      )}
      <FieldError text={error} id={`${id}-error`} times={errorTimes} />
      <StatusMessage message={status} />
      <button type="submit" className="primary" aria-disabled={busy || undefined}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  )
}
