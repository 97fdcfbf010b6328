import { useId, useState, type FormEvent } from 'react'
import { CHANGED_MAX_CHARS, LADDER } from '../../shared/coproduction.ts'
import type { CheckoutBody } from '../../shared/coproductionBodies.ts'
import { callApi } from '../api.ts'
import { StatusMessage } from '../ui/StatusMessage.tsx'
import { deviceNotes } from './deviceNotes.ts'

const SCALES = [
  { name: 'heard', label: 'I was heard' },
  { name: 'safe', label: 'I felt safe' },
  { name: 'equal', label: 'I was treated as an equal' },
] as const

const SCALE_WORDS = ['Not at all', 'A little', 'Partly', 'Mostly', 'Fully']

type Answers = Partial<Record<'rung' | 'heard' | 'safe' | 'equal', number>>

/**
 * The check-out after "Done": where this work sits on the ladder, three 1 to 5 questions and an
 * optional "what changed for you". Anonymous; radio groups, so it works with keys alone.
 */
export function CheckoutForm({ workshopId, token }: { workshopId: string; token: string }) {
  const id = useId()
  const [answers, setAnswers] = useState<Answers>({})
  const [changed, setChanged] = useState('')
  const [done, setDone] = useState(() => deviceNotes.read(workshopId, 'checked-out') !== null)
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [sending, setSending] = useState(false)

  if (done)
    return (
      <section className="card checkout" aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Check-out</h2>
        <p>Thank you. Your answers are saved, without your name.</p>
      </section>
    )

  const send = async (event: FormEvent) => {
    event.preventDefault()
    if (sending) return
    const { rung, heard, safe, equal } = answers
    if (!rung || !heard || !safe || !equal) return setMessage({ text: 'Please answer the four questions first. The last box is up to you.', error: true })
    setSending(true)
    const body: CheckoutBody = { rung, heard, safe, equal, ...(changed.trim() ? { changed: changed.trim() } : {}) }
    const result = await callApi(`/api/workshops/${workshopId}/checkout`, { body, token })
    setSending(false)
    if (result.ok || result.status === 409) {
      deviceNotes.write(workshopId, 'checked-out', 'yes')
      setDone(true)
      return
    }
    setMessage({ text: result.message, error: true })
  }

  const choose = (name: keyof Answers, value: number) => setAnswers((current) => ({ ...current, [name]: value }))

  return (
    <section className="card checkout" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Check-out: how was it for you?</h2>
      <p className="hint">Your answers are anonymous. We only show them for groups of 3 or more people.</p>
      <form onSubmit={send}>
        <fieldset>
          <legend>Where do you think this work sits on the ladder?</legend>
          <ol className="ladder">
            {[...LADDER].reverse().map((rung) => (
              <li key={rung.rung}>
                <label>
                  <input type="radio" name={`${id}-rung`} value={rung.rung} checked={answers.rung === rung.rung} onChange={() => choose('rung', rung.rung)} />{' '}
                  <strong>
                    {rung.rung}. {rung.name}
                  </strong>
                  <span className="hint"> — {rung.description}</span>
                </label>
              </li>
            ))}
          </ol>
        </fieldset>
        {SCALES.map((scale) => (
          <fieldset key={scale.name}>
            <legend>{scale.label}</legend>
            <div className="scale">
              {SCALE_WORDS.map((word, index) => (
                <label key={word}>
                  <input type="radio" name={`${id}-${scale.name}`} value={index + 1} checked={answers[scale.name] === index + 1} onChange={() => choose(scale.name, index + 1)} />{' '}
                  {index + 1} ({word})
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <label htmlFor={`${id}-changed`}>What changed for you? (you can leave this empty)</label>
        <textarea id={`${id}-changed`} value={changed} maxLength={CHANGED_MAX_CHARS} rows={3} onChange={(event) => setChanged(event.target.value)} />
        <p>
          <button type="submit" aria-disabled={sending || undefined}>
            Send my check-out
          </button>
        </p>
        <StatusMessage message={message} />
      </form>
    </section>
  )
}
