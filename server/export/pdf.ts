import PDFDocument from 'pdfkit'
import type { ExportModel } from '../../shared/exportModel.ts'
import { buildOutline, documentTitle, formatDay, type Block, type TextDirection } from './content.ts'
import { face, type FaceKey } from './pdfFonts.ts'
import { RTL_SCRIPT, breakLines, clusterize, visualRuns, type Line, type TextStyle } from './pdfText.ts'

const PAGE = { size: 'A4', width: 595.28, height: 841.89 } as const
const MARGIN = { top: 78, bottom: 68, left: 64, right: 64 } as const
const INK = '#1a1a1a'
const QUIET = '#555555'
const SHAPED_SCRIPT = /[\p{Script=Arabic}\p{Script=Bengali}\p{Script=Devanagari}\p{Script=Gujarati}\p{Script=Gurmukhi}\p{Script=Tamil}]/u

// Lines of what a heading introduces that go with it to the next page (fewer if it is shorter).
const KEEP_LINES = 2
const HEADING_BEFORE = [18, 12, 8] as const
const HEADING_AFTER = 6

const STYLE = {
  title: { size: 24, bold: true, color: INK },
  subtitle: { size: 15, bold: false, color: INK },
  h1: { size: 18, bold: true, color: INK },
  h2: { size: 14, bold: true, color: INK },
  h3: { size: 12, bold: true, color: INK },
  body: { size: 11, bold: false, color: INK },
  statement: { size: 12.5, bold: true, color: INK },
  note: { size: 10.5, bold: false, color: QUIET },
  running: { size: 9, bold: false, color: QUIET },
} satisfies Record<string, TextStyle>

/**
 * A4 PDF: the outline every format shares, with the workshop title and export day at the top of
 * every page and "Page n of m" at the bottom. Tagged (headings, paragraphs, lists) so screen
 * readers can follow it; the running header and footer are marked as page furniture.
 */
export async function renderPdf(model: ExportModel): Promise<Uint8Array> {
  return renderPdfOutline(buildOutline(model), { title: model.workshop.title, subject: documentTitle(model.sections), day: model.workshop.exportedOn })
}

/** What a document is about, for its metadata and running header: its title and the day it was made. */
export interface DocumentMeta {
  title: string
  subject: string
  /** YYYY-MM-DD */
  day: string
}

/** Any outline (the workshop export, the programme's evidence pack) as a tagged A4 PDF. */
export async function renderPdfOutline(blocks: readonly Block[], meta: DocumentMeta): Promise<Uint8Array> {
  // The day only: no time of export in the file's metadata either.
  const day = new Date(`${meta.day}T00:00:00Z`)
  const doc = new PDFDocument({
    size: PAGE.size,
    margins: MARGIN,
    bufferPages: true,
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: `${meta.subject}: ${meta.title}`,
      Creator: 'Parity',
      ...(Number.isNaN(day.getTime()) ? {} : { CreationDate: day, ModDate: day }),
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve)
    doc.on('error', reject)
  })

  const writer = new PdfWriter(doc)
  blocks.forEach((block, i) => writer.block(block, blocks.slice(i + 1)))
  writer.runningHeadAndFoot(meta.title, `Made on ${formatDay(meta.day)}`)
  doc.end()
  await ended
  return new Uint8Array(Buffer.concat(chunks))
}

class PdfWriter {
  private y = MARGIN.top
  private readonly registered = new Set<FaceKey>()
  private readonly widths = new Map<string, number>()
  private readonly unshapeable = new Set<string>()
  private readonly left = MARGIN.left
  private readonly right = PAGE.width - MARGIN.right

  constructor(private readonly doc: PDFKit.PDFDocument) {}

  /** `following`: the blocks after this one, so a heading can keep with what it introduces. */
  block(block: Block, following: readonly Block[] = []): void {
    switch (block.type) {
      case 'title':
        return this.tagged('H1', () => this.paragraph(block.text, STYLE.title, { after: 4, dir: 'auto' }))
      case 'subtitle':
        return this.tagged('P', () => this.paragraph(block.text, STYLE.subtitle, { after: 12, dir: 'auto' }))
      case 'heading': {
        // A heading never sits alone at the foot of a page: if it, the headings straight after it
        // and the first lines they introduce do not fit, they all start the next page.
        this.keepTogether([block, ...following])
        return this.tagged(`H${block.level + 1}`, () =>
          this.paragraph(block.text, headingStyle(block.level), { before: headingBefore(block.level), after: HEADING_AFTER, dir: 'auto' }),
        )
      }
      case 'paragraph': {
        const { style, indent } = paragraphLook(block.style)
        const dir = block.dir ?? 'ltr'
        return this.tagged('P', () => this.paragraph(block.text, style, { indent, after: 6, rule: block.style === 'statement', dir }))
      }
      case 'list':
        return this.list(block.items, block.ordered, block.dir ?? 'ltr')
    }
  }

  private list(items: string[], ordered: boolean, dir: TextDirection): void {
    const list = this.doc.struct('L')
    this.doc.addStructure(list)
    items.forEach((item, i) => {
      const marker = ordered ? `${i + 1}.` : '•'
      list.add(this.doc.struct('LI', {}, [this.doc.struct('LBody', {}, () => this.paragraph(item, STYLE.body, { indent: LIST_INDENT, marker, after: 3, dir }))]))
    })
    list.end()
    this.y += 4
  }

  /** Starts a new page unless a run of headings and the first lines after them fit on this one. */
  private keepTogether(run: readonly Block[]): void {
    if (this.y <= MARGIN.top) return
    let room = 0
    for (const block of run) {
      if (block.type === 'heading') {
        room += headingBefore(block.level) + this.height(block.text, headingStyle(block.level), 'auto', 0) + HEADING_AFTER
        continue
      }
      if (block.type === 'paragraph') room += this.height(block.text, paragraphLook(block.style).style, block.dir ?? 'ltr', paragraphLook(block.style).indent, KEEP_LINES)
      else if (block.type === 'list' && block.items[0] !== undefined) room += this.height(block.items[0], STYLE.body, block.dir ?? 'ltr', LIST_INDENT, KEEP_LINES)
      break
    }
    // A run taller than a page could never fit: it starts the next page, then flows on.
    this.ensureSpace(Math.min(room, PAGE.height - MARGIN.bottom - MARGIN.top - 1))
  }

  /** The height of a text's first `maxLines` lines (all of them by default), as paragraph draws them. */
  private height(text: string, style: TextStyle, dir: TextDirection, indent: number, maxLines = Infinity): number {
    return this.lines(text, style, dir, indent)
      .slice(0, maxLines)
      .reduce((sum, line) => sum + lineHeight(line, style), 0)
  }

  private lines(text: string, style: TextStyle, dir: TextDirection, indent: number): (Line & { rtl: boolean })[] {
    // Line breaks people typed start a new line; each piece wraps on its own.
    return text.split(/\r\n?|\n/).flatMap((piece) => {
      const { clusters, rtl } = clusterize(piece, style.bold, dir)
      return breakLines(clusters, this.right - this.left - indent, this.measure(style.size), style.size).map((line) => ({ ...line, rtl }))
    })
  }

  private tagged(type: string, draw: () => void): void {
    this.doc.addStructure(this.doc.struct(type, {}, draw))
  }

  /** Draws one paragraph from the current position, adding pages as it goes. */
  private paragraph(
    text: string,
    style: TextStyle,
    opts: { dir: TextDirection; indent?: number; before?: number; after?: number; marker?: string; rule?: boolean },
  ): void {
    const indent = opts.indent ?? 0
    const lines = this.lines(text, style, opts.dir, indent)
    if (this.y > MARGIN.top) this.y += opts.before ?? 0
    lines.forEach((line, i) => {
      const height = lineHeight(line, style)
      this.ensureSpace(height)
      const baseline = this.y + line.ascent + (height - line.ascent - line.descent) / 2
      if (i === 0 && opts.marker) this.draw(opts.marker, 'latin', this.left + 4, baseline, style)
      if (opts.rule) this.doc.save().rect(this.left, this.y, 3, height).fill('#b9c6d6').restore()
      let x = line.rtl ? this.right - line.width : this.left + indent
      for (const run of visualRuns(line)) x += this.draw(run.text, run.face, x, baseline, style)
      this.y += height
    })
    this.y += opts.after ?? 0
  }

  private ensureSpace(height: number): void {
    if (this.y + height <= PAGE.height - MARGIN.bottom) return
    // Closes the open tags on this page and reopens them on the next, so tagging stays whole.
    this.doc.continueOnNewPage()
    this.y = MARGIN.top
  }

  /** Draws a run at a baseline and returns its width. */
  private draw(text: string, key: FaceKey, x: number, baseline: number, style: TextStyle): number {
    const width = this.measure(style.size)(text, key)
    if (this.unshapeable.has(widthKey(text, key, style.size))) return this.drawByGrapheme(text, key, x, baseline, style)
    this.use(key, style.size).fillColor(style.color)
    // Shaped scripts reorder and merge glyphs, so the glyphs alone do not spell the words back
    // (copying Bengali gives vowel signs in drawn order). ActualText carries the words as typed
    // for screen readers and copy-paste in readers that honour it.
    const shaped = SHAPED_SCRIPT.test(text)
    if (shaped) this.doc.markContent('Span', { actual: text })
    this.doc.text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic', ...wholeRun(text) })
    if (shaped) this.doc.endMarkedContent()
    return width
  }

  /** Fallback for a run fontkit cannot shape: each grapheme alone, or a replacement mark. */
  private drawByGrapheme(text: string, key: FaceKey, x: number, baseline: number, style: TextStyle): number {
    const parts = Array.from(graphemes.segment(text), (g) => g.segment)
    if (RTL_SCRIPT.test(text)) parts.reverse()
    let at = x
    for (const part of parts) {
      this.measure(style.size)(part, key) // notes whether fontkit can shape it
      const ok = !this.unshapeable.has(widthKey(part, key, style.size))
      at += ok ? this.draw(part, key, at, baseline, style) : this.draw('\uFFFD', 'latin', at, baseline, style)
    }
    return at - x
  }

  /**
   * Width of a run as pdfkit will draw it. fontkit can throw on rare glyph sequences (a mark
   * anchor a font lacks); people's words must never break the export, so such a run is noted
   * and measured grapheme by grapheme, as drawByGrapheme will draw it.
   */
  private measure(size: number) {
    return (text: string, key: FaceKey): number => {
      const id = widthKey(text, key, size)
      let width = this.widths.get(id)
      if (width === undefined) {
        try {
          width = this.use(key, size).widthOfString(text, wholeRun(text))
        } catch {
          this.unshapeable.add(id)
          const parts = Array.from(graphemes.segment(text), (g) => g.segment)
          width = parts.length > 1 ? parts.reduce((sum, part) => sum + this.measure(size)(part, key), 0) : this.measure(size)('\uFFFD', 'latin')
        }
        this.widths.set(id, width)
      }
      return width
    }
  }

  private use(key: FaceKey, size: number): PDFKit.PDFDocument {
    if (!this.registered.has(key)) {
      this.doc.registerFont(key, face(key).data)
      this.registered.add(key)
    }
    return this.doc.font(key).fontSize(size)
  }

  /** Title (cut to one line) and day at the top of every page, "Page n of m" at the bottom. */
  runningHeadAndFoot(title: string, day: string): void {
    const { start, count } = this.doc.bufferedPageRange()
    const style = STYLE.running
    const measure = this.measure(style.size)
    const dayWidth = measure(day, 'latin')
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i)
      this.doc.markContent('Artifact', { type: 'Pagination' })
      const head = oneLine(title, this.right - this.left - dayWidth - 24, style, measure)
      const top = MARGIN.top - 30
      let x = this.left
      for (const run of visualRuns(head)) x += this.draw(run.text, run.face, x, top + head.ascent, style)
      this.draw(day, 'latin', this.right - dayWidth, top + head.ascent, style)
      this.doc
        .save()
        .moveTo(this.left, MARGIN.top - 12)
        .lineTo(this.right, MARGIN.top - 12)
        .lineWidth(0.5)
        .stroke('#c8c8c8')
        .restore()
      const foot = `Page ${i - start + 1} of ${count}`
      const footWidth = measure(foot, 'latin')
      this.draw(foot, 'latin', (PAGE.width - footWidth) / 2, PAGE.height - MARGIN.bottom + 32, style)
      this.doc.endMarkedContent()
    }
  }
}

const LIST_INDENT = 22

const headingStyle = (level: 1 | 2 | 3): TextStyle => [STYLE.h1, STYLE.h2, STYLE.h3][level - 1] ?? STYLE.h3
const headingBefore = (level: 1 | 2 | 3): number => HEADING_BEFORE[level - 1] ?? 8

function paragraphLook(kind: 'normal' | 'statement' | 'note'): { style: TextStyle; indent: number } {
  return { style: kind === 'statement' ? STYLE.statement : kind === 'note' ? STYLE.note : STYLE.body, indent: kind === 'statement' ? 14 : 0 }
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

const widthKey = (text: string, key: FaceKey, size: number): string => `${key}\u0000${size}\u0000${text}`

/**
 * Options that make pdfkit shape a right-to-left run whole. By default it shapes word by word,
 * and fontkit reverses each word on its own, which would leave the words in left-to-right order.
 */
const wholeRun = (text: string): { features?: [] } => (RTL_SCRIPT.test(text) ? { features: [] } : {})

function lineHeight(line: Line, style: TextStyle): number {
  return Math.max(line.ascent + line.descent, style.size * 1.3) * 1.05
}

/** The first line of a text, with an ellipsis when the rest does not fit. */
function oneLine(text: string, width: number, style: TextStyle, measure: (text: string, key: FaceKey) => number): Line {
  const { clusters } = clusterize(text, style.bold, 'auto')
  const lines = breakLines(clusters, width, measure, style.size)
  const first = lines[0] ?? { clusters: [], width: 0, ascent: style.size, descent: 0 }
  if (lines.length <= 1) return first
  const ellipsis = clusterize('…', style.bold, 'ltr').clusters
  const shorter = breakLines(clusters, width - measure('…', 'latin'), measure, style.size)[0] ?? first
  return { ...shorter, clusters: [...shorter.clusters, ...ellipsis], width: shorter.width + measure('…', 'latin') }
}
