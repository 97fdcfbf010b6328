import { describe, expect, it } from 'vitest'
import { nothingAgreedExportModel, sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { PART, WORKSHOP_DOCUMENT_TITLE, buildOutline, documentTitle, formatDay, hiddenLine, orderedIdeas, outcomeLine, perspectivesLine, rankLabel, type Block } from './content.ts'

const texts = (blocks: Block[]): string[] => blocks.flatMap((b) => (b.type === 'list' ? b.items : [b.text]))

describe('export wording', () => {
  it('writes days the UK way, whatever the time zone', () => {
    expect(formatDay('2026-03-14')).toBe('14 March 2026')
    expect(formatDay('2026-01-01')).toBe('1 January 2026')
    expect(formatDay('not a day')).toBe('not a day')
  })

  it('counts hidden ideas by reason, most common first', () => {
    expect(hiddenLine({ count: 3, reasons: ['duplicate', 'off-topic', 'off-topic'] })).toBe(
      '3 ideas hidden by the facilitator: off-topic (2), duplicate (1).',
    )
    expect(hiddenLine({ count: 2, reasons: ['duplicate'] })).toBe('2 ideas hidden by the facilitator: duplicate (1), no reason given (1).')
    expect(hiddenLine({ count: 1, reasons: [] })).toBe('1 idea hidden by the facilitator: no reason given (1).')
    expect(hiddenLine({ count: 0, reasons: [] })).toBeNull()
  })

  it('titles a document after what it covers, not "Our shared vision" for every part', () => {
    const model = sampleExportModel()
    const part = (kind: string) => model.sections.filter((section) => section.kind === kind)
    expect(documentTitle(part('vision'))).toBe('Our shared vision')
    expect(documentTitle(part('values'))).toBe('Our shared values')
    expect(documentTitle(part('ground-rules'))).toBe('Our ground rules')
    expect(documentTitle(part('custom'))).toBe('What gets in the way?')
    expect(documentTitle([...part('vision'), ...part('values')])).toBe('Our shared vision and values')
    expect(documentTitle([...part('vision'), ...part('values'), ...part('ground-rules')])).toBe('Our shared vision, values and ground rules')
    // With a section the facilitator added, or none at all.
    expect(documentTitle(model.sections)).toBe(WORKSHOP_DOCUMENT_TITLE)
    expect(documentTitle([])).toBe(WORKSHOP_DOCUMENT_TITLE)
    const valuesOnly = buildOutline({ ...model, sections: part('values') })
    expect(valuesOnly[0]).toEqual({ type: 'title', text: 'Our shared values' })
  })

  it('names shared places as joint ones', () => {
    expect(rankLabel(1, false)).toBe('1st')
    expect(rankLabel(2, true)).toBe('Joint 2nd')
    expect(rankLabel(11, false)).toBe('11th')
    expect(rankLabel(23, false)).toBe('23rd')
  })

  it('says how many perspectives support a round, or why that is not shown', () => {
    const [, round2] = sampleExportModel().sections[0]?.rounds ?? []
    expect(round2 && perspectivesLine(round2)).toBe('Supported across 3 of 4 perspectives.')
    const withheld = { ...round2!, perspectives: { withheld: 'Some groups had fewer than 3 people.' } }
    expect(perspectivesLine(withheld)).toBe('Support across perspectives is not shown. Some groups had fewer than 3 people.')
  })

  it('orders ideas by dots then A to Z, never by the order they came in', () => {
    const ideas = [
      { text: 'b', dots: 1, mergedInto: null, theme: null },
      { text: 'not voted', dots: null, mergedInto: null, theme: null },
      { text: 'a', dots: 1, mergedInto: null, theme: null },
      { text: 'top', dots: 5, mergedInto: null, theme: null },
    ]
    expect(orderedIdeas(ideas).map((i) => i.text)).toEqual(['top', 'a', 'b', 'not voted'])
  })
})

describe('export outline', () => {
  it('puts agreed texts first, then how they were agreed, then every idea, then hidden ideas', () => {
    const blocks = buildOutline(sampleExportModel())
    const parts = blocks.filter((b) => b.type === 'heading' && b.level === 1).map((b) => (b.type === 'heading' ? b.text : ''))
    expect(parts).toEqual([PART.agreed, PART.provenance, PART.ideas, PART.hidden])

    const all = texts(blocks)
    const vision = 'Everyone who uses our services, and the people who care for them, is heard and helps to shape them.'
    expect(all.indexOf(vision)).toBeLessThan(all.indexOf(PART.provenance))
    expect(all.indexOf('Honesty')).toBeLessThan(all.indexOf(PART.provenance))
    expect(all.indexOf('Round 1')).toBeGreaterThan(all.indexOf(PART.provenance))
    expect(all.indexOf('Honesty — 7 dots')).toBeGreaterThan(all.indexOf(PART.ideas))
    expect(all.at(-1)).toBe('Our values: 3 ideas hidden by the facilitator: off-topic (2), duplicate (1).')
  })

  it('shows each objection and how the next round answered it', () => {
    const all = texts(buildOutline(sampleExportModel()))
    const objection = all.indexOf('Objected: It should say carers too.')
    const answer = all.indexOf('What we changed to answer objections: We added carers, as one person asked in round 1.')
    expect(objection).toBeGreaterThan(0)
    expect(answer).toBeGreaterThan(objection)
    expect(all).toContain('8 agreed, 3 could live with it, 1 objected.')
    expect(all).toContain('Agreed in round 2. Stage now: Done.')
  })

  it('says clearly what is not agreed yet when nothing is', () => {
    const all = texts(buildOutline(nothingAgreedExportModel()))
    const agreedPart = all.slice(0, all.indexOf(PART.provenance))
    expect(agreedPart.filter((t) => t.startsWith('Not agreed yet.'))).toHaveLength(4)
    expect(all).toContain('Not agreed yet. Nobody has proposed a wording yet.')
    expect(all.filter((t) => t === 'The vote results are not ready yet.')).toHaveLength(4)
    expect(all).toContain('Everyone is heard — not voted on yet')
  })

  it('says a finished section ended without an agreement, not that one may still come', () => {
    const model = nothingAgreedExportModel()
    const finished = { ...model, sections: model.sections.map((section) => ({ ...section, phase: 'done' as const })) }
    const all = texts(buildOutline(finished))
    expect(all.filter((t) => t.startsWith('Not agreed yet.'))).toHaveLength(0)
    expect(all).toContain('Finished without an agreement. Nobody was asked to agree a wording.')
  })

  it('says a part agreed or finished without a vote had none, rather than that its results are not ready (December review)', () => {
    const model = nothingAgreedExportModel()
    const agreedWithoutVote = { ...model, sections: model.sections.map((section) => ({ ...section, phase: 'done' as const, voteHeld: false })) }
    const all = texts(buildOutline(agreedWithoutVote))
    expect(all.filter((t) => t === 'No vote was held for this part.')).toHaveLength(model.sections.length)
    expect(all).not.toContain('The vote results are not ready yet.')
    expect(all).toContain('Everyone is heard')
    expect(all.some((t) => t.includes('not voted on yet'))).toBe(false)
    // A vote that was opened still says its results are not ready.
    const voting = { ...model, sections: model.sections.map((section) => ({ ...section, phase: 'agree' as const, voteHeld: true })) }
    expect(texts(buildOutline(voting))).toContain('Everyone is heard — not voted on yet')
  })

  it('says by which rule each round was decided, so an objection that did not block is explained', () => {
    const round = sampleExportModel().sections.flatMap((section) => section.rounds)[0]!
    expect(outcomeLine({ ...round, outcome: 'not-agreed', threshold: null })).toBe('Result: not agreed. The rule: agreed when nobody objects.')
    expect(outcomeLine({ ...round, outcome: 'agreed', threshold: 0.75 })).toBe('Result: agreed. The rule: agreed when 3 in 4 agree or can live with it.')
  })
})
