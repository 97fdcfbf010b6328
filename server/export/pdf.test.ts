import PDFDocument from 'pdfkit'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ExportModel } from '../../shared/exportModel.ts'
import { nothingAgreedExportModel, sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { PART, WORKSHOP_DOCUMENT_TITLE, type Block } from './content.ts'
import { renderPdf, renderPdfOutline } from './pdf.ts'
import { pdfActualTexts, pdfFontNames, readPdf, type PdfReadBack } from './readBack.testkit.ts'

// Page geometry from pdf.ts: A4 with 64 pt side margins.
const LEFT = 64
const RIGHT = 595.28 - 64

/** Text with line wraps undone, for searching sentences that may wrap. */
const flat = (text: string): string => text.replace(/\s+/g, ' ')

describe('PDF export', () => {
  let bytes: Uint8Array
  let pdf: PdfReadBack

  beforeAll(async () => {
    bytes = await renderPdf(sampleExportModel())
    pdf = await readPdf(bytes)
  })

  it('reads back agreed texts first, then how they were agreed, every idea and hidden counts', () => {
    const text = flat(pdf.text)
    const order = [
      WORKSHOP_DOCUMENT_TITLE,
      PART.agreed,
      'Everyone who uses our services, and the people who care for them, is heard and helps to shape them.',
      '1. Respect',
      PART.provenance,
      '8 agreed, 3 could live with it, 1 objected.',
      'Objected: It should say carers too.',
      'What we changed to answer objections: We added carers, as one person asked in round 1.',
      'Supported across 3 of 4 perspectives.',
      'Joint 2nd: Honesty — 7 dots',
      PART.ideas,
      'Respect — 9 dots',
      'Be honest with us — 0 dots (joined with “Honesty”)',
      PART.hidden,
      'Our values: 3 ideas hidden by the facilitator: off-topic (2), duplicate (1).',
    ]
    // Each one found after the one before it.
    let from = 0
    const missing = order.filter((s) => {
      const at = text.indexOf(s, from)
      if (at >= 0) from = at + s.length
      return at < 0
    })
    expect(missing).toEqual([])
    expect(text).toContain('14 people took part.')
    expect(text).toContain('Not agreed yet. The vote has not closed yet.')
  })

  it('prints the workshop title, the day and "Page n of m" on every page', () => {
    expect(pdf.pages.length).toBeGreaterThan(1)
    pdf.pages.forEach((page, i) => {
      expect(page.text).toContain('Ward 4 co-production group — spring 2026')
      expect(page.text).toContain('Made on 14 March 2026')
      expect(page.text).toContain(`Page ${i + 1} of ${pdf.pages.length}`)
    })
  })

  it('is tagged, titled after the workshop and made by Parity on the export day only', () => {
    expect(pdf.marked).toBe(true)
    expect(pdf.roles.filter((r) => r !== 'Root').slice(0, 5)).toEqual(['H1', 'P', 'P', 'P', 'H2'])
    expect(pdf.roles).toContain('L')
    expect(pdf.info).toMatchObject({ Title: `${WORKSHOP_DOCUMENT_TITLE}: Ward 4 co-production group — spring 2026`, Creator: 'Parity', Language: 'en-GB' })
    expect(pdf.info.Author).toBeUndefined()
    expect(pdf.info.CreationDate).toBe('D:20260314000000Z')
  })

  it('titles a document of one part after it, in the text and the metadata', async () => {
    const model = sampleExportModel()
    const rules = await readPdf(await renderPdf({ ...model, sections: model.sections.filter((section) => section.kind === 'ground-rules') }))
    expect(flat(rules.pages[0]!.text)).toContain('Our ground rules')
    expect(flat(rules.text)).not.toContain('Our shared vision')
    expect(rules.info).toMatchObject({ Title: 'Our ground rules: Ward 4 co-production group — spring 2026' })
  })

  it('embeds subset fonts for every script in the workshop and stays small', () => {
    const fonts = pdfFontNames(bytes)
    expect(fonts.every((f) => f.subset)).toBe(true)
    expect(new Set(fonts.map((f) => f.name))).toEqual(
      new Set(['NotoSans-Regular', 'NotoSans-Bold', 'NotoNaskhArabic', 'NotoSansBengali-Regular', 'MuktaMahee-Regular', 'NotoSansHans-Regular', 'NotoEmoji-Regular']),
    )
    expect(bytes.length).toBeLessThan(200_000)
  })

  it('gives back accents, Gurmukhi, Chinese and emoji exactly, and Arabic and Urdu words', () => {
    const text = pdf.text
    for (const s of ['Zażółć gęślą jaźń', 'café', 'Szacunek dla każdego', 'ਸਤ ਸ੍ਰੀ ਅਕਾਲ', '你好 — 尊重每一个人', '😊']) expect(text).toContain(s)
    // Right-to-left runs are drawn in visual order; pdf.js puts the letters of each word back
    // in reading order, though the order of words around them can differ on mixed lines.
    for (const s of ['مرحبا', 'سب کی بات سنی جائے']) expect(text).toContain(s)
    // Bengali vowel signs that are drawn before their consonant come back in drawn order, so
    // only the consonants' stretch is searched here; the typed text is in ActualText below.
    expect(text).toContain('সবাই')
  })

  it('carries the typed text of shaped scripts as ActualText for screen readers and copying', () => {
    const actual = pdfActualTexts(bytes)
    // One span per run; a space between words may be drawn in another font, ending the run.
    const words = actual.join(' ')
    for (const s of ['সবাইকে', 'স্বাগতম', 'ਸਤ', 'ਸ੍ਰੀ', 'ਅਕਾਲ', 'مرحبا', 'سب کی بات سنی جائے']) expect(words).toContain(s)
  })

  it('right-aligns an agreed statement written right to left', async () => {
    const model = sampleExportModel()
    model.sections[0]!.agreement.text = 'نحن نستمع إلى الجميع ونعمل معًا'
    const page = (await readPdf(await renderPdf(model))).pages[0]!
    const arabic = page.extents.filter((e) => /\p{Script=Arabic}/u.test(e.str))
    expect(arabic.length).toBeGreaterThan(0)
    expect(Math.max(...arabic.map((e) => e.right))).toBeCloseTo(RIGHT, 0)
  })

  it('starts a new line where people typed one', async () => {
    const model = sampleExportModel()
    model.sections[0]!.agreement.text = 'We listen.\nWe act together.'
    const { text } = await readPdf(await renderPdf(model))
    expect(text).toContain('We listen.\nWe act together.')
  })

  it('wraps very long texts inside the margins and adds pages instead of overflowing', async () => {
    const model: ExportModel = sampleExportModel()
    const unbroken = 'abcdefghij'.repeat(500)
    const sentence = 'We want a service where people are listened to, where carers are welcome and where staff have time. '
    model.sections[3]!.ideas = [
      { text: unbroken, dots: 3, mergedInto: null, theme: null },
      ...Array.from({ length: 30 }, (_, i) => ({ text: `${i + 1}. ${sentence.repeat(5)}`, dots: 1, mergedInto: null, theme: null })),
      { text: '我们希望每个人都被倾听'.repeat(40), dots: 1, mergedInto: null, theme: null },
      { text: 'نريد خدمة يستمع فيها الجميع إلى بعضهم '.repeat(12), dots: 1, mergedInto: null, theme: null },
    ]
    model.sections[0]!.agreement.text = sentence.repeat(4)
    const long = await readPdf(await renderPdf(model))

    expect(long.pages.length).toBeGreaterThan(pdf.pages.length + 3)
    for (const page of long.pages) {
      for (const { str, left, right } of page.extents) {
        expect(left, str).toBeGreaterThanOrEqual(LEFT - 0.5)
        expect(right, str).toBeLessThanOrEqual(RIGHT + 0.5)
      }
    }
    // The running head and foot come last on each page: cut them to read the body across pages.
    const body = long.pages.map((p) => p.text.slice(0, p.text.lastIndexOf('Ward 4 co-production group'))).join('')
    expect(body.replace(/\s+/g, '')).toContain(unbroken)
    expect(body.replace(/\s+/g, '')).toContain('我们希望每个人都被倾听'.repeat(40))
  })

  it('still renders when the font engine cannot shape some of the text, marking only that part', async () => {
    // fontkit throws on some glyph sequences (Noto Sans Gurmukhi's web subset did, on ਸ੍ਰੀ).
    const proto = (PDFDocument as unknown as { prototype: PDFKit.PDFDocument }).prototype
    const original = proto.widthOfString
    proto.widthOfString = function (this: PDFKit.PDFDocument, text: string, options?: PDFKit.Mixins.TextOptions): number {
      if (text.includes('☃')) throw new TypeError("Cannot read properties of null (reading 'xCoordinate')")
      return original.call(this, text, options)
    }
    try {
      const model = sampleExportModel()
      model.sections[3]!.ideas = [{ text: 'Warm ☃ welcome', dots: 2, mergedInto: null, theme: null }]
      const text = (await readPdf(await renderPdf(model))).text
      expect(text).toContain('Warm \uFFFD welcome — 2 dots')
    } finally {
      proto.widthOfString = original
    }
  })

  it('never leaves a heading at the foot of a page: it moves on with the headings and first lines that follow', async () => {
    // Runs of a part heading, a section heading, a round heading and what they introduce, after
    // fillers of different lengths, so some runs fall at every height down a page.
    const blocks: Block[] = []
    const runs = 60
    for (let i = 1; i <= runs; i++) {
      for (let line = 0; line <= i % 9; line++) blocks.push({ type: 'paragraph', text: `Filler ${i}.${line}.`, style: 'normal' })
      blocks.push({ type: 'heading', level: 1, text: `Part ${i}:` }, { type: 'heading', level: 2, text: `Section ${i}:` })
      if (i % 2 === 0) blocks.push({ type: 'heading', level: 3, text: `Round ${i}:` })
      blocks.push(
        i % 3 === 0
          ? { type: 'list', ordered: true, items: [`Item ${i}: ${'words that run on '.repeat(6)}end of item ${i}:`, `Second item ${i}.`] }
          : { type: 'paragraph', text: `Opening ${i}: ${'the first lines of what the heading introduces, '.repeat(2)}second line ${i}:`, style: 'normal' },
      )
    }
    const { pages } = await readPdf(await renderPdfOutline(blocks, { title: 'Keeping headings', subject: 'Test', day: '2026-03-14' }))
    expect(pages.length).toBeGreaterThan(8)
    const pageOf = (needle: string): number => pages.findIndex((page) => flat(page.text).includes(needle))
    const split: string[] = []
    for (let i = 1; i <= runs; i++) {
      // Every heading after it, and the first two lines of what they introduce (each is two lines).
      const follows = [`Section ${i}:`, ...(i % 2 === 0 ? [`Round ${i}:`] : []), ...(i % 3 === 0 ? [`Item ${i}:`, `end of item ${i}:`] : [`Opening ${i}:`, `second line ${i}:`])]
      const at = pageOf(`Part ${i}:`)
      for (const needle of follows) if (pageOf(needle) !== at) split.push(`Part ${i}: "${needle}" on page ${pageOf(needle) + 1}, the heading on ${at + 1}`)
    }
    expect(split).toEqual([])
  })

  it('says plainly what is not agreed yet', async () => {
    const text = flat((await readPdf(await renderPdf(nothingAgreedExportModel()))).text)
    expect(text.split('Not agreed yet. Nobody has proposed a wording yet.').length - 1).toBe(8)
    expect(text).toContain('The vote results are not ready yet.')
    expect(text).not.toContain('Agreed in round')
  })
})
