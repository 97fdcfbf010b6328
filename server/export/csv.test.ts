import { describe, expect, it } from 'vitest'
import { nothingAgreedExportModel, sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { CSV_COLUMNS, csvCell, renderCsv } from './csv.ts'
import { parseCsv } from './readBack.testkit.ts'

/** Decodes the bytes a download would carry and parses them into records keyed by column. */
function read(csv: string) {
  const bytes = new TextEncoder().encode(csv)
  const bom = [...bytes.subarray(0, 3)]
  const rows = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)))
  const [header = [], ...body] = rows
  const records = body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])) as Record<(typeof CSV_COLUMNS)[number], string>)
  return { bom, header, rows, records }
}

describe('CSV export', () => {
  it('is UTF-8 with a byte order mark, one header row and the same number of cells in every row', () => {
    const { bom, header, rows } = read(renderCsv(sampleExportModel()))
    expect(bom).toEqual([0xef, 0xbb, 0xbf])
    expect(header).toEqual([...CSV_COLUMNS])
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length)
  })

  it('lists agreed texts in order, results with ranks and ties, every idea with its dots and hidden counts', () => {
    const { records } = read(renderCsv(sampleExportModel()))
    const values = records.filter((r) => r.section_id === 'values')
    expect(values.filter((r) => r.record === 'agreed-item').map((r) => [r.position, r.text])).toEqual([
      ['1', 'Respect'],
      ['2', 'Honesty'],
      ['3', 'Kindness first 😊'],
      ['4', 'Szacunek dla każdego — respect for everyone'],
    ])
    expect(values.filter((r) => r.record === 'result').map((r) => [r.position, r.text, r.dots, r.tied])).toEqual([
      ['1', 'Respect', '9', 'no'],
      ['2', 'Honesty', '7', 'yes'],
      ['2', 'Kindness first 😊', '7', 'yes'],
      ['4', 'Szacunek dla każdego — respect for everyone', '5', 'no'],
      ['5', 'Zażółć gęślą jaźń: say it in any language, even café Polish', '1', 'no'],
    ])
    expect(values.find((r) => r.text === 'Be honest with us')).toMatchObject({ record: 'idea', dots: '0', status: 'merged', note: 'Joined with: Honesty' })
    expect(values.filter((r) => r.record === 'hidden').map((r) => [r.text, r.count])).toEqual([
      ['off-topic', '2'],
      ['duplicate', '1'],
    ])

    const vision = records.filter((r) => r.section_id === 'vision')
    expect(vision[0]).toMatchObject({ record: 'agreed-text', status: 'agreed', note: 'Agreed in round 2.' })
    expect(vision.filter((r) => r.record === 'round').map((r) => [r.position, r.status])).toEqual([
      ['1', 'not-agreed'],
      ['2', 'agreed'],
    ])
    expect(vision.find((r) => r.record === 'round' && r.position === '2')?.note).toBe(
      'What changed: We added carers, as one person asked in round 1. Suggestion used: Add the people who care for them. 10 agreed, 3 could live with it, 0 objected. Supported across 3 of 4 perspectives.',
    )
    expect(vision.find((r) => r.record === 'reason' && r.status === 'object')?.text).toBe('It should say carers too.')
  })

  it('neutralises cells that start with a formula character', () => {
    const model = sampleExportModel()
    model.sections[3]!.ideas = ['=1+1', '+44 7700 900000', '-2', '@SUM(A1:A2)', '\tTabbed', '\rreturn', '＝1+1'].map((text) => ({ text, dots: 1, mergedInto: null, theme: null }))
    const { records } = read(renderCsv(model))
    const texts = records.filter((r) => r.record === 'idea').map((r) => r.text)
    for (const formula of ['=1+1', '+44 7700 900000', '-2', '@SUM(A1:A2)', '\tTabbed', '\rreturn', '＝1+1']) expect(texts).toContain(`'${formula}`)
    expect(texts).toContain(`'=HYPERLINK("http://example.com/x","Click for the rules")`)
    expect(texts).toContain(`'+1 to more breaks`)
    expect(texts).toContain(`'-1 for meetings longer than an hour`)
    expect(texts).toContain(`'@SUM(A1:A9) of our patience`)
    // Nothing a spreadsheet would evaluate is left at the start of any cell.
    for (const r of records) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('quotes commas, quotes and line breaks so they read back exactly', () => {
    const model = sampleExportModel()
    const text = 'Say "please", and\r\nmean it,\nalways'
    model.sections[3]!.ideas = [{ text, dots: 2, mergedInto: null, theme: null }]
    const { records } = read(renderCsv(model))
    expect(records.find((r) => r.section_id === 'barriers' && r.record === 'idea')?.text).toBe(text)
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell(-1)).toBe('-1')
    expect(csvCell(null)).toBe('')
  })

  it('keeps accents, other scripts and emoji as they were typed', () => {
    const { records } = read(renderCsv(sampleExportModel()))
    const all = records.map((r) => r.text).join('\n')
    for (const s of ['Zażółć gęślą jaźń', 'café', 'مرحبا', 'سب کی بات سنی جائے', 'সবাইকে স্বাগতম', 'ਸਤ ਸ੍ਰੀ ਅਕਾਲ', '你好', '😊']) expect(all).toContain(s)
  })

  it('says plainly what is not agreed yet', () => {
    const { records } = read(renderCsv(nothingAgreedExportModel()))
    const agreements = records.filter((r) => r.record === 'agreement')
    expect(agreements).toHaveLength(4)
    for (const r of agreements) expect(r).toMatchObject({ status: 'no-proposal', note: 'Not agreed yet. Nobody has proposed a wording yet.' })
    expect(records.filter((r) => r.record === 'idea' && r.dots === '').every((r) => r.note === 'Not voted on yet.')).toBe(true)
    expect(records.some((r) => r.record === 'result' || r.record === 'agreed-item')).toBe(false)
  })
})
