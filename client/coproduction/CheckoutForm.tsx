import { useId, useRef, useState, type FormEvent } from 'react'
import { CHANGED_MAX_CHARS, LADDER, LADDER_EXPLAINED } from '../../shared/coproduction.ts'
import type { CheckoutBody } from '../../shared/coproductionBodies.ts'
import { callApi } from '../api.ts'
import { FieldError, StatusMessage, useFieldError } from '../ui/StatusMessage.tsx'
import { deviceNotes } from './deviceNotes.ts'

const SCALES = [
  { name: 'heard', label: 'I was heard' },
  { name: 'safe', label: 'I felt safe' },
  { name: 'equal', label: 'I was treated as an equal' },
] as const

const SCALE_WORDS = ['Not at all', 'A little', 'Partly', 'Mostly', 'Fully']

type Answers = Partial<Record<'rung' | 'heard' | 'safe' | 'equal', number>>
type Question = keyof Answers

const QUESTIONS: readonly Question[] = ['rung', 'heard', 'safe', 'equal']
/** Short names for the questions, to say which are still unanswered. */
const QUESTION_NAME: Record<Question, string> = { rung: 'the ladder question', heard: '“I was heard”', safe: '“I felt safe”', equal: '“I was treated as an equal”' }

const listWords = (words: string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`)

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
  // The questions still to answer once "Send" was pressed: each is marked, and the first takes focus.
  const [missing, setMissing] = useState<Question[]>([])
  const [error, setError, errorTimes] = useFieldError()
  const firstRadio = useRef<Partial<Record<Question, HTMLInputElement | null>>>({})
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
    const unanswered = QUESTIONS.filter((question) => !answers[question])
    setMissing(unanswered)
    if (!rung || !heard || !safe || !equal) {
      setMessage(null)
      setError(`Please answer ${listWords(unanswered.map((question) => QUESTION_NAME[question]))}. The last box is up to you.`)
      firstRadio.current[unanswered[0]!]?.focus()
      return
    }
    setError(null)
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

  const choose = (name: keyof Answers, value: number) => {
    setAnswers((current) => ({ ...current, [name]: value }))
    setMissing((current) => current.filter((question) => question !== name))
  }
  const invalid = (question: Question) => (error && missing.includes(question) ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {})
  const firstOf = (question: Question) => (element: HTMLInputElement | null) => {
    firstRadio.current[question] = element
  }

  return (
    <section className="card checkout" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Check-out: how was it for you?</h2>
      <p className="hint">Your answers are anonymous. We only show them for groups of 3 or more people.</p>
      <form onSubmit={send}>
        <fieldset aria-describedby={`${id}-ladder-hint`} data-question="rung">
          <legend>Where do you think this work sits on the ladder?</legend>
          <p className="hint" id={`${id}-ladder-hint`}>
            {LADDER_EXPLAINED}
          </p>
          {error && missing.includes('rung') && <p className="field-error">Please choose a step on the ladder.</p>}
          <ol className="ladder">
            {[...LADDER].reverse().map((rung, index) => (
              <li key={rung.rung}>
                <label>
                  <input
                    type="radio"
                    name={`${id}-rung`}
                    value={rung.rung}
                    ref={index === 0 ? firstOf('rung') : undefined}
                    checked={answers.rung === rung.rung}
                    onChange={() => choose('rung', rung.rung)}
                    {...invalid('rung')}
                  />{' '}
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
          <fieldset key={scale.name} data-question={scale.name}>
            <legend>{scale.label}</legend>
            {error && missing.includes(scale.name) && <p className="field-error">Please choose one.</p>}
            <div className="scale">
              {SCALE_WORDS.map((word, index) => (
                <label key={word}>
                  <input
                    type="radio"
                    name={`${id}-${scale.name}`}
                    value={index + 1}
                    ref={index === 0 ? firstOf(scale.name) : undefined}
                    checked={answers[scale.name] === index + 1}
                    onChange={() => choose(scale.name, index + 1)}
                    {...invalid(scale.name)}
                  />{' '}
                  {index + 1} ({word})
                </label>
              ))}
            </div>
          </fieldset>
        ))}
        <label htmlFor={`${id}-changed`}>What changed for you? (you can leave this empty)</label>
        <textarea
          id={`${id}-changed`}
          value={changed}
          maxLength={CHANGED_MAX_CHARS}
          rows={3}
          aria-describedby={`${id}-changed-hint`}
          onChange={(event) => setChanged(event.target.value)}
        />
        {/* The programme's evidence pack quotes these words as written: people should know before they type. */}
        <p className="hint" id={`${id}-changed-hint`} data-testid="changed-quoted">
          We may quote what you write here, word for word and without your name, in reports for the trust’s board and funders. Please leave out
          anyone’s name.
        </p>
        <p>
          <button type="submit" aria-disabled={sending || undefined}>
            Send my check-out
          </button>
        </p>
        <FieldError text={error} id={`${id}-error`} times={errorTimes} />
        <StatusMessage message={message} />
      </form>
    </section>
  )
}
