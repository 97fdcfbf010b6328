import { stepGuide, WORKSHOP_FINISHED } from '../../shared/phases.ts'
import type { Section } from '../../shared/sections.ts'
import type { StateView } from '../../shared/stateDoc.ts'
import type { TimerView } from './useTimer.ts'

/** The section people are on: the one the facilitator is showing, else the first not finished. */
export function currentSection(view: Pick<StateView, 'sections' | 'wellbeing'>): Section | null {
  const spotlight = view.sections.find((section) => section.sectionId === view.wellbeing.spotlightSectionId)
  return spotlight ?? view.sections.find((section) => section.phase !== 'done') ?? view.sections.at(-1) ?? null
}

/** "What happens now and next", always in the header, in plain words (W7). */
export function NowNext({ view, timer, recordsHref }: { view: StateView; timer: TimerView | null; recordsHref?: string | undefined }) {
  const section = currentSection(view)
  if (view.wellbeing.paused)
    return (
      <div className="now-next" data-testid="now-next">
        <p>
          <strong>Now:</strong> we are taking a break.
        </p>
        <p>
          <strong>Next:</strong> we carry on when everyone is ready.
        </p>
      </div>
    )
  if (!section) return null
  const guide = stepGuide(section, view.sections)
  return (
    <div className="now-next" data-testid="now-next">
      <p>
        <strong>Now:</strong> {guide === WORKSHOP_FINISHED ? guide.label : `${section.title} — ${guide.label}`}. {guide.now}
      </p>
      <p>
        <strong>Next:</strong> {guide.next.replace(/^Next, /, '')}
      </p>
      {/* The check-out and the record of taking part live on "What we agreed": point participants there at the end. */}
      {guide === WORKSHOP_FINISHED && recordsHref && (
        <p>
          <a className="button primary" href={recordsHref} data-testid="records-link">
            Tell us how it went and get your record of taking part
          </a>
        </p>
      )}
      {timer && (
        <p className="timer-line" data-testid="timer-line">
          <strong>Timer:</strong> {timer.text}
        </p>
      )}
    </div>
  )
}
