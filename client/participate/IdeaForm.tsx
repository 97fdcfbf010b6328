import { useId, useState, type FormEvent } from 'react'
import { IDEA_MAX_CHARS } from '../../shared/ideas.ts'
import type { Section } from '../../shared/sections.ts'

/** Who can see an idea at this moment — shown next to the box (W1). */
export function whoCanSee(section: Section): string {
  if (section.hiddenUntilReveal && !section.revealed)
    return 'Only you can see your idea until the facilitator shows everyone’s ideas together. Nobody will know it was yours.'
  return 'Your idea will appear with others in a group of at least three, so nobody can tell it was yours.'
}

export function IdeaForm({
  section,
  onAdd,
  label = `Add an idea to “${section.title}”`,
  submitLabel = 'Add my idea',
}: {
  section: Section
  onAdd: (text: string) => Promise<{ ok: boolean; message?: string }>
  label?: string
  submitLabel?: string
}) {
  const id = useId()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const length = [...text.trim()].length
  const over = length > IDEA_MAX_CHARS

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (length === 0) return setError('Your idea is empty — type a few words.')
    if (over) return setError(`Your idea is ${length} characters long. Please keep it to ${IDEA_MAX_CHARS}.`)
    setBusy(true)
    setError(null)
    const result = await onAdd(text)
    setBusy(false)
    if (!result.ok) return setError(result.message ?? 'Your idea was not saved. Please try again.')
    setText('')
    setSaved('Your idea is saved.')
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
          setSaved(null)
        }}
        aria-describedby={`${id}-who ${id}-count${error ? ` ${id}-error` : ''}`}
        aria-invalid={error || over ? true : undefined}
      />
      <p className={`char-count${over ? ' over' : ''}`} id={`${id}-count`} aria-live="off">
        {length} of {IDEA_MAX_CHARS} characters{over ? ' — too long' : ''}
      </p>
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {saved ?? ''}
      </p>
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  )
}
