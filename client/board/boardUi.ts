import type { TLUiOverrides } from 'tldraw'

/** Participants need only these (L3): select, move around, and a sticky note. No pointer-only drawing. */
export const PARTICIPANT_TOOLS = ['select', 'hand', 'note'] as const

const translations: TLUiOverrides['translations'] = { en: { 'tool.idea-card': 'idea card' } }

/** Module-level so tldraw sees the same object on every render, as it asks. */
export const PARTICIPANT_OVERRIDES: TLUiOverrides = {
  translations,
  tools(_editor, tools) {
    return Object.fromEntries(Object.entries(tools).filter(([id]) => (PARTICIPANT_TOOLS as readonly string[]).includes(id)))
  },
}

export const FACILITATOR_OVERRIDES: TLUiOverrides = { translations }
