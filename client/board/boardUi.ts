import type { TLUiOverrides } from 'tldraw'
import { BOARD_OPTIONS } from './boardAccessibility.tsx'
import { participantActions } from './participantActions.tsx'

/** Participants need only these (L3): select and move around. No pointer-only drawing. */
const PARTICIPANT_TOOLS = ['select', 'hand'] as const

/**
 * Asked for by the board's note button and its key (N): the board opens "Add an idea". A sticky
 * note looked like an idea card but showed at once, beside its writer's named cursor, and was
 * not in the board's outline for screen readers (December review): words go in as ideas.
 */
export const ADD_IDEA_EVENT = 'parity:add-idea'

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
  // The facilitator's note stays a note: only participants' N is "Add an idea".
  translations: { en: { ...translations.en, 'action.parity-add-idea': 'Add an idea' } },
  // The note's key (N) opens "Add an idea"; the board's own "Add an idea" button is the one to see.
  actions: (editor, actions, helpers) => ({
    ...participantActions(editor, actions, helpers),
    'parity-add-idea': { id: 'parity-add-idea', label: 'action.parity-add-idea', kbd: 'n', onSelect: () => void window.dispatchEvent(new Event(ADD_IDEA_EVENT)) },
  }),
  tools(_editor, tools) {
    return Object.fromEntries(Object.entries(tools).filter(([id]) => (PARTICIPANT_TOOLS as readonly string[]).includes(id)))
  },
}

/** Participants' words go in as ideas: a double click on the board makes no loose text. */
export const PARTICIPANT_BOARD_OPTIONS = { ...BOARD_OPTIONS, createTextOnCanvasDoubleClick: false }

export const FACILITATOR_OVERRIDES: TLUiOverrides = { translations }
