import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { contrastRatio } from '../ui/contrast.ts'
import { BOARD_TOKENS as T, NOTE_TOKENS } from './theme.ts'

// WCAG 2.2: 1.4.3 text 4.5:1; 1.4.11 borders, focus and selection indicators 3:1.
const TEXT = 4.5
const NON_TEXT = 3

describe('board theme contrast (L15)', () => {
  it('keeps card and frame text readable', () => {
    expect(contrastRatio(T.cardText, T.cardFill)).toBeGreaterThanOrEqual(TEXT)
    expect(contrastRatio(T.frameText, T.canvas)).toBeGreaterThanOrEqual(TEXT)
    expect(contrastRatio(T.text, T.canvas)).toBeGreaterThanOrEqual(TEXT)
  })

  it('outlines cards, notes and frames at 3:1 against the canvas', () => {
    expect(contrastRatio(T.cardBorder, T.canvas)).toBeGreaterThanOrEqual(NON_TEXT)
    expect(contrastRatio(T.cardBorder, T.cardFill)).toBeGreaterThanOrEqual(NON_TEXT)
    expect(contrastRatio(T.noteBorder, T.canvas)).toBeGreaterThanOrEqual(NON_TEXT)
    expect(contrastRatio(T.frameStroke, T.canvas)).toBeGreaterThanOrEqual(NON_TEXT)
  })

  it('shows selection and focus at 3:1 on the canvas and on every fill', () => {
    for (const indicator of [T.selection, T.focus]) {
      expect(contrastRatio(indicator, T.canvas)).toBeGreaterThanOrEqual(NON_TEXT)
      expect(contrastRatio(indicator, T.cardFill)).toBeGreaterThanOrEqual(NON_TEXT)
    }
    for (const note of Object.values(NOTE_TOKENS)) expect(contrastRatio(T.selection, note.fill), note.fill).toBeGreaterThanOrEqual(NON_TEXT)
  })

  it('keeps note text readable on every palette colour', () => {
    for (const [name, note] of Object.entries(NOTE_TOKENS)) expect(contrastRatio(note.text, note.fill), name).toBeGreaterThanOrEqual(TEXT)
  })

  it('uses the same colours in styles.css as the tokens say', () => {
    const css = readFileSync(new URL('../styles.css', import.meta.url), 'utf8').toLowerCase()
    for (const [token, variable] of [
      [T.selection, '--tl-color-selected'],
      [T.focus, '--tl-color-focus'],
      [T.cardFill, '--card-fill'],
      [T.cardBorder, '--card-border'],
    ] as const)
      expect(css).toContain(`${variable}: ${token}`)
  })
})
