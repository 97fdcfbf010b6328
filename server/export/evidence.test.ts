import { describe, expect, it } from 'vitest'
import { summariseCheckouts } from '../../shared/coproduction.ts'
import { EVIDENCE_SCHEMA_VERSION, type EvidenceModel } from '../../shared/programme.ts'
import { buildEvidenceOutline, textBar } from './evidence.ts'

const model = (): EvidenceModel => ({
  schemaVersion: EVIDENCE_SCHEMA_VERSION,
  programme: { title: 'Crisis care', createdOn: '2026-01-10', exportedOn: '2026-06-01' },
  agreedTexts: [
    {
      kind: 'vision',
      title: 'Our shared vision',
      current: { text: 'Care that listens, for everyone.', items: null },
      history: [
        { day: '2026-01-10', workshopTitle: 'January', changed: false, agreed: { text: 'Care that listens.', items: null } },
        { day: '2026-04-02', workshopTitle: 'April', changed: true, agreed: { text: 'Care that listens, for everyone.', items: null } },
      ],
    },
  ],
  workshops: [
    {
      title: 'January',
      day: '2026-01-10',
      takingPart: [
        { group: 'lived-experience', label: 'People with lived experience', count: { shown: true, count: 5 } },
        { group: 'staff', label: 'Staff', count: { shown: false, note: 'fewer than 3' } },
      ],
      checkout: summariseCheckouts(
        (['rung', 'heard', 'safe', 'equal'] as const).flatMap((question) => [
          { group: 'lived-experience' as const, question, answer: 4, n: 3 },
          { group: 'staff' as const, question, answer: 6, n: 1 },
        ]),
      ),
    },
  ],
  commitments: [{ workshopTitle: 'January', text: 'Pay people for their time', ownerRole: 'Finance team', due: null, status: 'not-possible', updates: [{ status: 'not-possible', note: 'Budget cut', day: '2026-05-01' }] }],
  reflections: ['I was listened to.'],
})

describe('the evidence pack outline', () => {
  const text = () =>
    buildEvidenceOutline(model())
      .map((block) => ('items' in block ? block.items.join('\n') : block.text))
      .join('\n')

  it('has the agreed text with its history by day, small groups as "fewer than 3", and honest "not possible" reasons', () => {
    const all = text()
    expect(all).toContain('Care that listens, for everyone.')
    expect(all).toContain('2 April 2026, April: the wording changed.')
    expect(all).toContain('Staff: fewer than 3')
    expect(all).toContain('People with lived experience: 5')
    expect(all).toContain('Status: Not possible')
    expect(all).toContain('1 May 2026: Not possible — Budget cut')
    expect(all).toContain('I was listened to.')
  })

  it('charts only groups of 3 or more, never the withheld one', () => {
    const all = text()
    expect(all).toContain(`People with lived experience: ${textBar(4, 7)}`)
    expect(all).toContain('other groups had fewer than 3')
    expect(all).not.toContain(textBar(6, 7))
  })

  it('draws bars in characters every font has', () => {
    expect(textBar(4.3, 7)).toBe('[####...] 4.3 of 7')
    expect(textBar(5, 5)).toBe('[#####] 5 of 5')
  })
})
