import { text as alex } from 'alex'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { gradeLevel, readingEase, sentences, words } from './readability.ts'
import type { Section } from '../../shared/sections.ts'
import { whoCanSee } from '../participate/IdeaForm.tsx'
import { collectUiStrings } from './uiStrings.testkit.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
// Everything people read: the client, the shared wording (phases, errors, help lines), and what
// the server says to facilitators and participants (refusals, exports).
const strings = collectUiStrings(root, ['client', 'shared', 'server/services', 'server/domain', 'server/http', 'server/export'])
/** Where only facilitators look: their controls, and the server's words to them. */
const FACILITATOR_ONLY = /^(client\/facilitate|server)\//
/** Words for the software, not the workshop: out of participants' sight (issue 14). */
const SOFTWARE_WORDS = ['tldraw', 'canvas', 'pointer', 'pointers', 'png', 'svg', 'minimap', 'commissioner']

/** Words that label or blame people who use mental health services. */
const STIGMATISING = [
  'crazy', 'insane', 'psycho', 'psychotic', 'schizo', 'lunatic', 'nutter', 'mad', 'mentally ill', 'the mentally',
  'sufferer', 'suffers from', 'suffering from', 'victim', 'patients', 'committed suicide', 'non-compliant', 'noncompliant',
  'attention seeking', 'attention-seeking', 'manipulative', 'challenging behaviour', 'hard to reach', 'disengaged', 'frequent flyer',
  'normal people', 'service user engagement',
]
/** Words for software, not people ("Invalid input" is the example W13 forbids). */
const JARGON = [
  'invalid', 'error code', 'authenticate', 'authentication', 'token', 'websocket', 'payload', 'submit', 'terminate', 'execute',
  'abort', 'fatal', 'exception', 'null', 'undefined', 'utilise', 'leverage', 'stakeholder', 'modality', 'cohort', 'timeout',
  'http', 'server error', 'sync',
]
/** Not UI copy: messages for developers who call the API directly, never shown by our screens. */
const API_ONLY = /must be (text|a number|an object)|must be one of|must be "open"/

const ui = strings.filter((s) => !API_ONLY.test(s.text))
const has = (text: string, term: string) => new RegExp(`(^|[^a-z])${term.replace(/[-\s]/g, '[-\\s]')}([^a-z]|$)`, 'i').test(text)

describe('plain, respectful language in the UI (L22)', () => {
  it('finds the UI strings to check', () => {
    expect(ui.length).toBeGreaterThan(400)
    expect(ui.some((s) => s.text === 'I need a pause')).toBe(true)
  })

  it('passes alex (insensitive and inconsiderate writing)', () => {
    const findings = ui.flatMap((s) => {
      // "Mental health" is the respectful name of the field; alex flags "mental" on its own.
      const checked = s.text.replace(/…/g, 'something').replace(/mental health/gi, 'wellbeing')
      return alex(checked, { profanitySureness: 1 }).messages.map((m) => `${s.file}: “${s.text}” — ${m.reason}`)
    })
    expect(findings).toEqual([])
  })

  it('uses none of our stigmatising words', () => {
    const found = ui.flatMap((s) => STIGMATISING.filter((term) => has(s.text, term)).map((term) => `${s.file}: “${s.text}” uses “${term}”`))
    expect(found).toEqual([])
  })

  it('uses no technical jargon', () => {
    const found = ui.flatMap((s) => JARGON.filter((term) => has(s.text, term)).map((term) => `${s.file}: “${s.text}” uses “${term}”`))
    expect(found).toEqual([])
  })

  it('keeps software words out of what participants read', () => {
    const found = ui
      .filter((s) => !FACILITATOR_ONLY.test(s.file))
      .flatMap((s) => SOFTWARE_WORDS.filter((term) => has(s.text, term)).map((term) => `${s.file}: “${s.text}” uses “${term}”`))
    expect(found).toEqual([])
  })

  it('says who the facilitator is where people first meet the word: the home and join pages', () => {
    for (const file of ['client/home/HomePage.tsx', 'client/participate/JoinPage.tsx']) {
      expect(ui.some((s) => s.file === file && /facilitator \(the person who runs the workshop\)/.test(s.text)), file).toBe(true)
    }
  })

  it('answers “Who can see this?” at reading age 9', () => {
    const section = { hiddenUntilReveal: true, revealed: false } as Section
    const lines = [whoCanSee(section), whoCanSee({ ...section, revealed: true })].flatMap(sentences)
    expect(gradeLevel(lines)).toBeLessThanOrEqual(4)
    expect(readingEase(lines)).toBeGreaterThanOrEqual(80)
  })

  it('reads at about age 9 for facilitators too', () => {
    const prose = ui.filter((s) => FACILITATOR_ONLY.test(s.file)).flatMap((s) => sentences(s.text)).filter((s) => words(s).length >= 6)
    expect(prose.length).toBeGreaterThan(80)
    expect(gradeLevel(prose)).toBeLessThanOrEqual(4.5)
    expect(readingEase(prose)).toBeGreaterThanOrEqual(75)
  })

  it('reads at about age 9: short sentences, plain words', () => {
    const all = ui.flatMap((s) => sentences(s.text))
    const tooLong = all.filter((s) => words(s).length > 25)
    expect(tooLong).toEqual([])
    // Labels are short by nature; grade the sentences that carry explanations.
    const prose = all.filter((s) => words(s).length >= 6)
    expect(prose.length).toBeGreaterThan(150)
    // Flesch–Kincaid grade 4.5 ≈ reading age 9 to 10; ease 75+ is "fairly easy" or easier.
    expect(gradeLevel(prose)).toBeLessThanOrEqual(4.5)
    expect(readingEase(prose)).toBeGreaterThanOrEqual(75)
  })
})
