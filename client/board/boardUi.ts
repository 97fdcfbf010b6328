import type { TLUiOverrides } from 'tldraw'
import { participantActions } from './participantActions.tsx'

/** Participants need only these (L3): select, move around, and a sticky note. No pointer-only drawing. */
export const PARTICIPANT_TOOLS = ['select', 'hand', 'note'] as const

// Our words for tldraw's: no "canvas", "minimap" or "tldraw" in what participants read (issue 14).
const translations: TLUiOverrides['translations'] = {
  en: {
    'tool.idea-card': 'idea card',
    'a11y.skip-to-main-content': 'Go to the board',
    'navigation-zone.minimap': 'Small map of the board',
    'navigation-zone.toggle-minimap': 'Show or hide the small map',
    'app.loading': 'Opening the board…',
  },
}

/** Module-level so tldraw sees the same object on every render, as it asks. */
export const PARTICIPANT_OVERRIDES: TLUiOverrides = {
  translations,
  actions: participantActions,
  tools(_editor, tools) {
    return Object.fromEntries(Object.entries(tools).filter(([id]) => (PARTICIPANT_TOOLS as readonly string[]).includes(id)))
  },
}

export const FACILITATOR_OVERRIDES: TLUiOverrides = { translations }
