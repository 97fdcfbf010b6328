import { DEFAULT_THEME, type TLTheme } from 'tldraw'
import { BOARD_TOKENS, NOTE_TOKENS, type NoteColour } from './theme.ts'

/** tldraw's default theme with our contrast-checked colours in light mode (the only mode we use). */
function buildTheme(): TLTheme {
  const light = { ...DEFAULT_THEME.colors.light }
  const palette = light as unknown as Record<string, unknown>
  for (const [name, note] of Object.entries(NOTE_TOKENS) as [NoteColour, (typeof NOTE_TOKENS)[NoteColour]][]) {
    const colour = palette[name]
    // A palette colour a future tldraw drops is simply skipped.
    if (typeof colour !== 'object' || colour === null) continue
    palette[name] = { ...colour, noteFill: note.fill, noteText: note.text }
  }
  const black = palette.black as Record<string, string>
  palette.black = { ...black, frameStroke: BOARD_TOKENS.frameStroke, frameHeadingStroke: BOARD_TOKENS.frameStroke, frameText: BOARD_TOKENS.frameText }
  return {
    ...DEFAULT_THEME,
    colors: {
      ...DEFAULT_THEME.colors,
      light: {
        ...light,
        text: BOARD_TOKENS.text,
        background: BOARD_TOKENS.canvas,
        negativeSpace: BOARD_TOKENS.canvas,
        noteBorder: BOARD_TOKENS.noteBorder,
        selectionStroke: BOARD_TOKENS.selection,
      },
    },
  }
}

export const parityThemes = { default: buildTheme() }
