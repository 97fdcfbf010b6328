import type { SignalKind } from '../../shared/intents.ts'
import { plural } from '../../shared/wellbeing.ts'
import { announce } from '../announce/announcer.ts'
import type { MySignalsState } from '../wellbeing/useMySignals.ts'

/**
 * A participant's own wellbeing choices, always in the header: a personal break (W6), an
 * anonymous "I need a pause" (W4), "I need more time" while a timer runs (L17), and pausing
 * live updates (L18) with a quiet button to catch up.
 */
export function WellbeingButtons({
  signals,
  timerRunning,
  onBreak,
  updatesPaused,
  onPauseUpdates,
  waiting,
  onShowLatest,
}: {
  signals: MySignalsState | null
  timerRunning: boolean
  onBreak: () => void
  updatesPaused: boolean
  onPauseUpdates: (paused: boolean) => void
  waiting: number
  onShowLatest: () => void
}) {
  const toggle = async (kind: SignalKind, on: boolean) => {
    if (!signals) return
    const result = await signals.send(kind, on)
    if (!result.ok) return announce(result.message, 'assertive')
    const what = kind === 'pause' ? 'a pause' : 'more time'
    announce(on ? `You asked for ${what}. The facilitator sees how many people asked, never who.` : `You no longer ask for ${what}.`)
  }
  return (
    <div className="wellbeing-buttons" role="group" aria-label="Look after yourself">
      <button type="button" onClick={onBreak}>
        Take a break
      </button>
      {signals && (
        <button type="button" aria-pressed={signals.pauseRequested} onClick={() => toggle('pause', !signals.pauseRequested)}>
          I need a pause
        </button>
      )}
      {signals && timerRunning && (
        <button type="button" aria-pressed={signals.moreTimeRequested} onClick={() => toggle('more-time', !signals.moreTimeRequested)}>
          I need more time
        </button>
      )}
      {/* The state is in the words (and the tick), so the name changes and there is no aria-pressed. */}
      <button
        type="button"
        data-on={updatesPaused}
        onClick={() => {
          onPauseUpdates(!updatesPaused)
          announce(updatesPaused ? 'Live updates are back on.' : 'Live updates are paused. The screen stays as it is until you show them.')
        }}
      >
        {updatesPaused ? 'Live updates paused — resume' : 'Pause live updates'}
      </button>
      {updatesPaused && waiting > 0 && (
        <button type="button" className="quiet" onClick={onShowLatest}>
          {plural(waiting, 'update', 'updates')} — show
        </button>
      )}
      {signals?.pauseRequested && <p className="hint signal-note">You asked for a pause. Nobody knows it was you.</p>}
    </div>
  )
}
