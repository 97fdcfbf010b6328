import { beforeAll, describe, expect, it } from 'vitest'
import { nothingAgreedExportModel, sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { PART, WORKSHOP_DOCUMENT_TITLE } from './content.ts'
import { renderDocx } from './docx.ts'
import { docxNumberFormats, docxParagraphs, unzipText, type DocxParagraph } from './readBack.testkit.ts'

async function read(model = sampleExportModel()) {
  const files = unzipText(await renderDocx(model))
  const paragraphs = docxParagraphs(files['word/document.xml'] ?? '')
  const formats = docxNumberFormats(files['word/numbering.xml'] ?? '')
  return { files, paragraphs, formats }
}

const byStyle = (paragraphs: DocxParagraph[], style: string): string[] => paragraphs.filter((p) => p.style === style).map((p) => p.text)

describe('Word export', () => {
  let doc: Awaited<ReturnType<typeof read>>
  beforeAll(async () => {
    doc = await read()
  })

  it('uses Word heading styles for the title, the four parts, sections and rounds', () => {
    const { paragraphs } = doc
    expect(byStyle(paragraphs, 'Title')).toEqual([WORKSHOP_DOCUMENT_TITLE])
    expect(byStyle(paragraphs, 'Heading1')).toEqual([PART.agreed, PART.provenance, PART.ideas, PART.hidden])
    expect(byStyle(paragraphs, 'Heading2').filter((t) => t === 'Our vision')).toHaveLength(3)
    expect(byStyle(paragraphs, 'Heading3')).toEqual(['Round 1', 'Round 2', 'Round 1'])
  })

  it('writes agreed lists as real numbered lists, each starting again at 1, and other lists as bullets', () => {
    const { paragraphs, formats } = doc
    const values = ['Respect', 'Honesty', 'Kindness first 😊', 'Szacunek dla każdego — respect for everyone']
    const agreed = paragraphs.filter((p) => values.includes(p.text))
    expect(agreed.map((p) => p.text)).toEqual([...values, ...values]) // the agreed list, then the draft of round 1
    const [first, second] = [agreed[0]!.numId, agreed[4]!.numId]
    expect(agreed.slice(0, 4).every((p) => p.numId === first)).toBe(true)
    expect(formats.get(first!)).toBe('decimal')
    expect(second).not.toBe(first)
    expect(formats.get(second!)).toBe('decimal')

    const bullet = paragraphs.find((p) => p.text === 'Joint 2nd: Honesty — 7 dots')
    expect(bullet?.numId).not.toBeNull()
    expect(formats.get(bullet!.numId!)).toBe('bullet')
  })

  it('keeps agreed texts first, then provenance, every idea and hidden counts', () => {
    const texts = doc.paragraphs.map((p) => p.text)
    const at = (s: string): number => texts.indexOf(s)
    expect(at('Everyone who uses our services, and the people who care for them, is heard and helps to shape them.')).toBeLessThan(at(PART.provenance))
    expect(at('Objected: It should say carers too.')).toBeGreaterThan(at(PART.provenance))
    expect(at('What we changed to answer objections: We added carers, as one person asked in round 1.')).toBeGreaterThan(at('Objected: It should say carers too.'))
    expect(at('Respect — 9 dots')).toBeGreaterThan(at(PART.ideas))
    expect(at('Our values: 3 ideas hidden by the facilitator: off-topic (2), duplicate (1).')).toBeGreaterThan(at(PART.hidden))
    expect(texts).toContain('This copy was made on 14 March 2026. The workshop started on 2 March 2026. 14 people took part.')
  })

  it('names the workshop in its properties, with Parity as creator and the export day only', () => {
    const core = doc.files['docProps/core.xml'] ?? ''
    expect(core).toContain('<dc:title>Ward 4 co-production group — spring 2026</dc:title>')
    expect(core).toContain('<dc:creator>Parity</dc:creator>')
    expect(core).toContain('<cp:lastModifiedBy>Parity</cp:lastModifiedBy>')
    const dates = [...core.matchAll(/<dcterms:(created|modified)[^>]*>([^<]*)</g)].map((m) => m[2])
    expect(dates).toEqual(['2026-03-14T00:00:00Z', '2026-03-14T00:00:00Z'])
  })

  it('puts the workshop title and day in the header and page numbers in the footer', () => {
    expect(doc.files['word/header1.xml']).toContain('Ward 4 co-production group — spring 2026 · Made on 14 March 2026')
    const footer = doc.files['word/footer1.xml'] ?? ''
    expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/)
    expect(footer).toMatch(/<w:instrText[^>]*>\s*NUMPAGES\s*<\/w:instrText>/)
  })

  it('keeps accents, other scripts and emoji, and marks right-to-left statements', async () => {
    const all = doc.paragraphs.map((p) => p.text).join('\n')
    for (const s of ['Zażółć gęślą jaźń', 'café', 'مرحبا', 'সবাইকে স্বাগতম', 'ਸਤ ਸ੍ਰੀ ਅਕਾਲ', '你好', '😊']) expect(all).toContain(s)

    const model = sampleExportModel()
    model.sections[0]!.agreement.text = 'یہ ہمارا خواب ہے'
    const { paragraphs, files } = await read(model)
    expect(paragraphs.find((p) => p.text === 'یہ ہمارا خواب ہے')?.bidi).toBe(true)
    expect(files['word/document.xml']).toContain('<w:rtl/>')
    expect(paragraphs.find((p) => p.text === 'Respect')?.bidi).toBe(false)
  })

  it('keeps line breaks people typed as line breaks', async () => {
    const model = sampleExportModel()
    model.sections[0]!.agreement.text = 'First line\nSecond line'
    const { files } = await read(model)
    expect(files['word/document.xml']).toMatch(/First line<\/w:t><\/w:r><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:br\/><w:t[^>]*>Second line/)
  })

  it('says plainly what is not agreed yet', async () => {
    const texts = (await read(nothingAgreedExportModel())).paragraphs.map((p) => p.text)
    expect(texts.filter((t) => t === 'Not agreed yet. Nobody has proposed a wording yet.')).toHaveLength(4)
    expect(texts.filter((t) => t === 'The vote results are not ready yet.')).toHaveLength(4)
  })
})
