/**
 * Test-only: reads exported files back with real parsers (pdf.js, fflate, xmldom) so the export
 * tests check what a reader's software sees, not the strings we meant to write. Imports dev
 * dependencies; never import it from server code.
 */
import { inflateSync } from 'node:zlib'
import { DOMParser, type Element } from '@xmldom/xmldom'
import { strFromU8, unzipSync } from 'fflate'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

export interface PdfPage {
  text: string
  width: number
  /** Every text item's horizontal extent, in points. */
  extents: { str: string; left: number; right: number }[]
}

export interface PdfReadBack {
  pages: PdfPage[]
  text: string
  info: Record<string, unknown>
  marked: boolean
  /** Structure roles on page 1, in reading order (H1, P, L…). */
  roles: string[]
}

export async function readPdf(bytes: Uint8Array): Promise<PdfReadBack> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: false }).promise
  try {
    const pages: PdfPage[] = []
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n)
      const content = await page.getTextContent()
      const items = content.items.filter((item) => 'str' in item)
      pages.push({
        text: items.map((item) => item.str + (item.hasEOL ? '\n' : '')).join(''),
        width: page.view[2] ?? 0,
        extents: items.filter((i) => i.str.trim()).map((i) => ({ str: i.str, left: i.transform[4] as number, right: (i.transform[4] as number) + i.width })),
      })
    }
    const tree = await (await pdf.getPage(1)).getStructTree()
    const roles: string[] = []
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return
      if ('role' in node && typeof node.role === 'string') roles.push(node.role)
      if ('children' in node && Array.isArray(node.children)) node.children.forEach(walk)
    }
    walk(tree)
    const { info } = await pdf.getMetadata()
    const markInfo = await pdf.getMarkInfo()
    return { pages, text: pages.map((p) => p.text).join('\n'), info: info as Record<string, unknown>, marked: markInfo?.Marked === true, roles }
  } finally {
    await pdf.destroy()
  }
}

/** Names of the fonts a PDF embeds, without the subset prefix ("ABCDEF+NotoSans-Regular"). */
export function pdfFontNames(bytes: Uint8Array): { name: string; subset: boolean }[] {
  const raw = Buffer.from(bytes).toString('latin1')
  return [...raw.matchAll(/\/BaseFont \/([A-Z]{6}\+)?([\w-]+)/g)].map((m) => ({ name: m[2] ?? '', subset: Boolean(m[1]) }))
}

/** Every ActualText string in the PDF's page content (decoded from UTF-16BE). */
export function pdfActualTexts(bytes: Uint8Array): string[] {
  const raw = Buffer.from(bytes)
  const texts: string[] = []
  let from = 0
  for (;;) {
    const start = raw.indexOf('stream\n', from)
    if (start < 0) break
    const end = raw.indexOf('\nendstream', start)
    if (end < 0) break
    from = end + 10
    let body: string
    try {
      body = inflateSync(raw.subarray(start + 7, end)).toString('latin1')
    } catch {
      continue // not a Flate stream (fonts are, images none): skip what is not content
    }
    for (const m of body.matchAll(/\/ActualText \(((?:\\.|[^\\)])*)\)/gs)) texts.push(decodePdfString(m[1] ?? ''))
  }
  return texts
}

function decodePdfString(escaped: string): string {
  const ESC: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' }
  const bytes = Buffer.from(escaped.replace(/\\([nrtbf()\\])/g, (_, c: string) => ESC[c] ?? c), 'latin1')
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le')
  return bytes.toString('latin1')
}

/** Every file of a zip (a .docx), as text. */
export function unzipText(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]))
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

export interface DocxParagraph {
  style: string | null
  numId: string | null
  text: string
  bidi: boolean
}

/** The body paragraphs of word/document.xml with their style, list and text. */
export function docxParagraphs(documentXml: string): DocxParagraph[] {
  const doc = new DOMParser().parseFromString(documentXml, 'application/xml')
  return Array.from(doc.getElementsByTagNameNS(W, 'p')).map((p) => ({
    style: first(p, 'pStyle')?.getAttributeNS(W, 'val') ?? null,
    numId: first(first(p, 'numPr'), 'numId')?.getAttributeNS(W, 'val') ?? null,
    text: Array.from(p.getElementsByTagNameNS(W, 't'))
      .map((t) => t.textContent ?? '')
      .join(''),
    bidi: first(p, 'bidi') !== null,
  }))
}

const first = (el: Element | null, name: string): Element | null => (el ? (el.getElementsByTagNameNS(W, name)[0] ?? null) : null)

/** numId → number format of its first level ("decimal", "bullet"), from word/numbering.xml. */
export function docxNumberFormats(numberingXml: string): Map<string, string> {
  const doc = new DOMParser().parseFromString(numberingXml, 'application/xml')
  const abstractFormat = new Map<string, string>()
  for (const a of Array.from(doc.getElementsByTagNameNS(W, 'abstractNum'))) {
    abstractFormat.set(a.getAttributeNS(W, 'abstractNumId') ?? '', first(a, 'numFmt')?.getAttributeNS(W, 'val') ?? '')
  }
  const formats = new Map<string, string>()
  for (const num of Array.from(doc.getElementsByTagNameNS(W, 'num'))) {
    const abstractId = first(num, 'abstractNumId')?.getAttributeNS(W, 'val') ?? ''
    formats.set(num.getAttributeNS(W, 'numId') ?? '', abstractFormat.get(abstractId) ?? '')
  }
  return formats
}

/** A strict RFC 4180 parser: fails on a stray quote rather than guessing. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  const endRow = (): void => {
    rows.push(row)
    row = []
  }
  while (i < text.length) {
    let cell = ''
    if (text[i] === '"') {
      i++
      for (;;) {
        if (i >= text.length) throw new Error('Unclosed quoted cell')
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"'
            i += 2
            continue
          }
          i++
          break
        }
        cell += text[i++]
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`Quote inside an unquoted cell at ${i}`)
        cell += text[i++]
      }
    }
    row.push(cell)
    if (text[i] === ',') {
      i++
    } else if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2
      endRow()
    } else if (i >= text.length) {
      endRow()
    } else {
      throw new Error(`Expected a comma or CRLF at ${i}`)
    }
  }
  return rows
}
