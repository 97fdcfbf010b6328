import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
} from 'docx'
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import type { ExportModel } from '../../shared/exportModel.ts'
import { buildOutline, documentTitle, formatDay, type Block, type TextDirection } from './content.ts'
import { isRightToLeft } from './pdfText.ts'
import type { DocumentMeta } from './pdf.ts'

const ORDERED = 'ordered-list'
const QUIET = '555555'
const HEADING = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const

/**
 * Word document with real Heading 1–3 styles (navigation pane, screen readers) and real Word
 * lists (numbered for agreed lists and drafts, bulleted elsewhere). Word shapes and orders
 * right-to-left text itself; paragraphs of people's own right-to-left words are marked as such.
 * The file names no person: creator "Parity", and its dates are the export day only.
 */
export async function renderDocx(model: ExportModel): Promise<Uint8Array> {
  return renderDocxOutline(buildOutline(model), { title: model.workshop.title, subject: documentTitle(model.sections), day: model.workshop.exportedOn })
}

/** Any outline (the workshop export, the programme's evidence pack) as a Word document. */
export async function renderDocxOutline(blocks: readonly Block[], meta: DocumentMeta): Promise<Uint8Array> {
  let lists = 0
  const children = blocks.flatMap((block) => paragraphsOf(block, () => lists++))
  const day = formatDay(meta.day)
  const doc = new Document({
    title: meta.title,
    subject: meta.subject,
    creator: 'Parity',
    lastModifiedBy: 'Parity',
    description: `${meta.subject}: ${meta.title}. Made on ${day}.`,
    // Readable defaults: 11 pt sans serif, a little air after paragraphs and before headings.
    styles: {
      default: {
        document: { run: { font: 'Arial', size: 22 }, paragraph: { spacing: { after: 120, line: 288 } } },
        heading1: { run: { size: 36, bold: true }, paragraph: { spacing: { before: 360, after: 120 } } },
        heading2: { run: { size: 28, bold: true }, paragraph: { spacing: { before: 240, after: 80 } } },
        heading3: { run: { size: 24, bold: true }, paragraph: { spacing: { before: 160, after: 60 } } },
      },
    },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720, hanging: 360 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph({ children: [new TextRun({ text: `${meta.title} · Made on ${day}`, color: QUIET, size: 18 })] })] }) },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], color: QUIET, size: 18 })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  })
  return pinDates(await Packer.toBuffer(doc), meta.day)
}

function paragraphsOf(block: Block, nextList: () => number): Paragraph[] {
  switch (block.type) {
    case 'title':
      return [new Paragraph({ heading: HeadingLevel.TITLE, ...direction(block.text, 'auto'), children: runs(block.text, 'auto') })]
    case 'subtitle':
      return [new Paragraph({ ...direction(block.text, 'auto'), children: runs(block.text, 'auto', { size: 30 }) })]
    case 'heading':
      return [new Paragraph({ heading: HEADING[block.level], ...direction(block.text, 'auto'), children: runs(block.text, 'auto') })]
    case 'paragraph': {
      const dir = block.dir ?? 'ltr'
      if (block.style === 'statement') {
        return [
          new Paragraph({
            ...direction(block.text, dir),
            indent: { left: 360 },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: 'B9C6D6', space: 8 } },
            children: runs(block.text, dir, { bold: true, size: 26 }),
          }),
        ]
      }
      return [new Paragraph({ ...direction(block.text, dir), children: runs(block.text, dir, block.style === 'note' ? { color: QUIET } : {}) })]
    }
    case 'list': {
      const dir = block.dir ?? 'ltr'
      // Each numbered list restarts at 1: its own instance of the one numbering definition.
      const instance = block.ordered ? nextList() : 0
      return block.items.map(
        (item) =>
          new Paragraph({
            ...(block.ordered ? { numbering: { reference: ORDERED, level: 0, instance } } : { bullet: { level: 0 } }),
            ...direction(item, dir),
            children: runs(item, dir),
          }),
      )
    }
  }
}

const rtl = (text: string, dir: TextDirection): boolean => dir === 'auto' && isRightToLeft(text)

const direction = (text: string, dir: TextDirection): { bidirectional?: boolean } => (rtl(text, dir) ? { bidirectional: true } : {})

/** Runs for one text; newlines in people's text become line breaks. */
function runs(text: string, dir: TextDirection, style: { bold?: boolean; size?: number; color?: string } = {}): TextRun[] {
  const rightToLeft = rtl(text, dir) ? { rightToLeft: true } : {}
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => new TextRun({ ...style, ...rightToLeft, text: line, ...(i > 0 ? { break: 1 } : {}) }))
}

/**
 * The docx library stamps the time of export into the core properties and the zip entries.
 * Only the day is kept, like every other export: rewritten here, and the zip made again.
 */
function pinDates(docx: Buffer, isoDay: string): Uint8Array {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(isoDay) ? isoDay : '1980-01-01'
  const stamp = `${day}T00:00:00Z`
  const files = unzipSync(new Uint8Array(docx))
  const core = files['docProps/core.xml']
  if (core) {
    files['docProps/core.xml'] = strToU8(
      strFromU8(core).replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${stamp}$3`),
    )
  }
  const mtime = new Date(`${day}T12:00:00Z`)
  const zippable: Zippable = {}
  for (const [name, data] of Object.entries(files)) zippable[name] = [data, { mtime }]
  return zipSync(zippable, { level: 6 })
}
