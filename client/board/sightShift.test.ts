import { describe, expect, it } from 'vitest'
import { sightShift } from './sightShift.ts'

// A 360 × 700 board with the tools across its top (to 60) and the panel's button at its foot (from 640).
const canvas = { left: 0, right: 360, top: 0, bottom: 700 }
const tools = { left: 0, right: 360, top: 0, bottom: 60 }
const panelButton = { left: 200, right: 360, top: 640, bottom: 690 }
const covers = [tools, panelButton]
const card = (top: number, height = 100, left = 100) => ({ left, right: left + 200, top, bottom: top + height })

describe('sliding a chosen card clear of what floats over the board', () => {
  it('leaves a card in plain sight where it is', () => {
    expect(sightShift(card(200), canvas, covers, null, 12)).toBe(0)
    // Docked panel with room under the card: still nothing moves.
    expect(sightShift(card(200), canvas, covers, 150, 12)).toBe(0)
  })

  it('slides a card under the tools down just clear of them', () => {
    expect(sightShift(card(30), canvas, covers, null, 12)).toBe(60 + 12 - 30)
  })

  it('slides a card under the panel’s button up, but never its top out of sight', () => {
    expect(sightShift(card(580), canvas, covers, null, 12)).toBe(-(680 - (640 - 12)))
    // Taller than the free band: its top stops at the band's top.
    expect(sightShift(card(100, 700), canvas, covers, null, 12)).toBe(-(100 - 72))
  })

  it('ignores what floats beside the card’s column', () => {
    expect(sightShift(card(580, 100, 0), canvas, [tools, { ...panelButton, left: 150 }], null, 12)).toBe(-(680 - 628))
    expect(sightShift(card(580, 100, 0), canvas, [tools, { ...panelButton, left: 250 }], null, 12)).toBe(0)
  })

  it('lifts a card to the top of the free band when a panel docked under it has no room', () => {
    expect(sightShift(card(400), canvas, covers, 300, 12)).toBe(72 - 400)
  })

  it('treats an empty (hidden) cover as nothing', () => {
    // Tools folded away measure 0 wide, here inside the card's column.
    expect(sightShift(card(30), canvas, [{ left: 150, right: 150, top: 0, bottom: 60 }], null, 12)).toBe(0)
  })
})
