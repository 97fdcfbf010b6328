import { useId, useState, type FormEvent } from 'react'
import type { Section } from '../../shared/sections.ts'
import { describeMoreTimeRequests, describePauseRequests, type WellbeingState } from '../../shared/wellbeing.ts'
import { callApi } from '../api.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'
import type { TimerView } from '../wellbeing/useTimer.ts'

/**
 * The facilitator's room controls (W4, W5, W10, L17): pause the room for everyone, see how many
 * people asked for a pause or more time (a count, never who), a soft timer, and what to show.
 */
export function WellbeingControls({
  workshopId,
  facilitatorKey,
  wellbeing,
  sections,
  timer,
}: {
  workshopId: string
  facilitatorKey: string
  wellbeing: WellbeingState
  sections: Section[]
  timer: TimerView | null
}) {
  const id = useId()
  const [message, setMessage] = useState<Message | null>(null)
  const [timerSection, setTimerSection] = useState(() => sections[0]?.sectionId ?? '')
  const [minutes, setMinutes] = useState(10)
  const [spotlight, setSpotlight] = useState(wellbeing.spotlightSectionId ?? sections[0]?.sectionId ?? '')
  const base = `/api/workshops/${workshopId}/wellbeing`

  const run = async (path: string, body: unknown, done: string, method?: string) => {
    const result = await callApi(`${base}${path}`, { body, token: facilitatorKey, ...(method ? { method } : {}) })
    setMessage(result.ok ? { text: done, error: false } : { text: result.message, error: true })
  }
  const startTimer = (event: FormEvent) => {
    event.preventDefault()
    void run('/timer', { sectionId: timerSection, minutes }, `Timer started: ${minutes} minutes. It is a guide only; nobody is stopped when it ends.`)
  }
  const shown = sections.find((section) => section.sectionId === wellbeing.spotlightSectionId)

  return (
    <section className="card facilitator-controls wellbeing-controls" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Room and wellbeing (facilitator)</h2>
      <p className="request-count" data-testid="pause-requests">
        <strong>{describePauseRequests(wellbeing.pauseRequests)}</strong>
      </p>
      <p className="request-count" data-testid="more-time-requests">
        {describeMoreTimeRequests(wellbeing.moreTimeRequests)}
      </p>
      <div className="button-row">
        {wellbeing.paused ? (
          <button type="button" className="primary" onClick={() => run('/pause', { paused: false }, 'The room is carrying on. The timer is running again.')}>
            Carry on after the break
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => run('/pause', { paused: true }, 'Everyone sees a calm break screen. The timer has stopped.')}>
            Pause the room for everyone
          </button>
        )}
        {(wellbeing.pauseRequests > 0 || wellbeing.moreTimeRequests > 0) && (
          <button
            type="button"
            onClick={async () => {
              await run('/clear', { signal: 'pause' }, 'Requests cleared.')
              await run('/clear', { signal: 'more-time' }, 'Requests cleared.')
            }}
          >
            Clear the requests
          </button>
        )}
      </div>

      <h3>Timer</h3>
      {timer ? (
        <>
          <p data-testid="facilitator-timer">{timer.text}</p>
          <div className="button-row">
            <button type="button" onClick={() => run('/timer/extend', { minutes: 2 }, 'Added 2 minutes.')}>
              Add 2 minutes
            </button>
            <button type="button" onClick={() => run('/timer/extend', { minutes: 5 }, 'Added 5 minutes.')}>
              Add 5 minutes
            </button>
            <button type="button" onClick={() => run('/timer', undefined, 'Timer stopped.', 'DELETE')}>
              Stop the timer
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={startTimer}>
          <p className="hint">A gentle guide for the current step. When it ends, nobody is stopped and nothing is sent.</p>
          <label htmlFor={`${id}-timer-section`}>Section</label>
          <select id={`${id}-timer-section`} value={timerSection} onChange={(event) => setTimerSection(event.target.value)}>
            {sections.map((section) => (
              <option key={section.sectionId} value={section.sectionId}>
                {section.title}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-minutes`}>Minutes</label>
          <input id={`${id}-minutes`} type="number" min={1} max={120} value={minutes} onChange={(event) => setMinutes(Number(event.target.value))} />
          <button type="submit">Start the timer</button>
        </form>
      )}

      <h3>Show everyone</h3>
      <p className="hint">People who chose to follow you are taken there. Everyone else sees where you are, with a link.</p>
      {shown && <p>Showing now: {shown.title}</p>}
      <label htmlFor={`${id}-spotlight`}>Section to show</label>
      <select id={`${id}-spotlight`} value={spotlight} onChange={(event) => setSpotlight(event.target.value)}>
        {sections.map((section) => (
          <option key={section.sectionId} value={section.sectionId}>
            {section.title}
          </option>
        ))}
      </select>
      <div className="button-row">
        <button type="button" onClick={() => run('/spotlight', { sectionId: spotlight }, 'Everyone can see which section you are showing.', 'PUT')}>
          Show this section
        </button>
        {shown && (
          <button type="button" onClick={() => run('/spotlight', { sectionId: null }, 'Stopped showing a section.', 'PUT')}>
            Stop showing
          </button>
        )}
      </div>
      <p>
        <a href={`/w/${workshopId}/present`}>Open the presenter view</a> on the projector: big text, no names, no pointers.
      </p>
      <StatusMessage message={message} />
    </section>
  )
}
