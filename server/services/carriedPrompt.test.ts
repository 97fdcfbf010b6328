import { describe, expect, it } from 'vitest'
import { carriedPrompt } from './carriedPrompt.ts'

const ASK = 'Is this still right? What would you keep, change or add?'

describe('the wording carried into the next workshop of a programme', () => {
  it('has one full stop after a statement that already ends with one', () => {
    expect(carriedPrompt({ text: 'Care that listens.', items: null })).toBe(`Last time we agreed: “Care that listens.” ${ASK}`)
    expect(carriedPrompt({ text: 'Are we heard?', items: null })).toBe(`Last time we agreed: “Are we heard?” ${ASK}`)
    expect(carriedPrompt({ text: 'Care that listens', items: null })).toBe(`Last time we agreed: “Care that listens”. ${ASK}`)
    expect(carriedPrompt({ text: 'Care that listens.', items: null })).not.toContain('.”.')
  })

  it('keeps the items of a list apart, not run together as “1. Respect 2. Honesty”', () => {
    const prompt = carriedPrompt({ text: null, items: ['Respect', 'Honesty.', 'Hope'] })
    expect(prompt).toBe(`Last time we agreed: “Respect; Honesty; Hope”. ${ASK}`)
    expect(carriedPrompt({ text: null, items: ['Listen to each other.', 'Be kind.'] })).toBe(`Last time we agreed: “Listen to each other; Be kind”. ${ASK}`)
  })

  it('carries nothing when nothing was agreed', () => {
    expect(carriedPrompt(undefined)).toBeNull()
    expect(carriedPrompt({ text: null, items: [] })).toBeNull()
    expect(carriedPrompt({ text: '  ', items: null })).toBeNull()
  })
})
