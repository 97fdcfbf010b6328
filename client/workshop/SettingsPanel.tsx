import { useId } from 'react'
import { setPreference, usePreferences, type AnnouncementMode } from '../ui/preferences.ts'

const MODES: { value: AnnouncementMode; label: string }[] = [
  { value: 'off', label: 'Off: do not read out what others do' },
  { value: 'summary', label: 'A short summary, at most every 10 seconds' },
  { value: 'every', label: 'Every change as it happens' },
]

/** Choices this device remembers: how much is read out (L7), text size (L16), pointers (L18). */
export function SettingsPanel({ showBoardChoices }: { showBoardChoices: boolean }) {
  const id = useId()
  const preferences = usePreferences()
  return (
    <details className="settings">
      <summary>Settings</summary>
      <fieldset>
        <legend>Read out what other people do</legend>
        {MODES.map((mode) => (
          <label className="choice" key={mode.value}>
            <input type="radio" name={`${id}-mode`} checked={preferences.announcements === mode.value} onChange={() => setPreference('announcements', mode.value)} />
            {mode.label}
          </label>
        ))}
      </fieldset>
      <label className="choice">
        <input type="checkbox" checked={preferences.largeText} onChange={(event) => setPreference('largeText', event.target.checked)} />
        Larger text
      </label>
      {showBoardChoices && (
        <label className="choice">
          <input type="checkbox" checked={preferences.hideOthersPointers} onChange={(event) => setPreference('hideOthersPointers', event.target.checked)} />
          Hide where other people are on the board
        </label>
      )}
    </details>
  )
}
