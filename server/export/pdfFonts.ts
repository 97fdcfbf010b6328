import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { inflateSync } from 'node:zlib'
import * as fontkit from 'fontkit'

/**
 * The fonts the PDF embeds, all from npm packages (SIL Open Font License), and which one draws a
 * character. pdfkit embeds only the glyphs used, so a page of English carries one small subset.
 *
 * Coverage, in the order we try them:
 * - Noto Sans: Latin (all European accents, Vietnamese), Greek, Cyrillic;
 * - Noto Naskh Arabic: Arabic, Urdu, Persian, Pashto letters (Naskh style, not Nastaliq);
 * - Noto Sans Bengali, Mukta Mahee (Gurmukhi/Punjabi), Noto Sans Gujarati, Noto Sans Devanagari
 *   (Hindi, Nepali, Marathi), Noto Sans Tamil;
 * - Noto Sans Hans: Chinese, simplified and traditional characters (simplified glyph shapes);
 * - Noto Emoji: black-and-white emoji (PDF fonts cannot be coloured here).
 * Anything else (Hebrew, Thai, Korean, Ethiopic…) draws as a missing-glyph box.
 */
export type FaceKey =
  | 'latin'
  | 'latin-bold'
  | 'arabic'
  | 'arabic-bold'
  | 'bengali'
  | 'gurmukhi'
  | 'gujarati'
  | 'devanagari'
  | 'tamil'
  | 'cjk'
  | 'emoji'

const SOURCES: Record<FaceKey, { pkg: string; file: string }> = {
  latin: { pkg: '@embedpdf/fonts-latin', file: 'fonts/NotoSans-Regular.ttf' },
  'latin-bold': { pkg: '@embedpdf/fonts-latin', file: 'fonts/NotoSans-Bold.ttf' },
  arabic: { pkg: '@embedpdf/fonts-arabic', file: 'fonts/NotoNaskhArabic-Regular.ttf' },
  'arabic-bold': { pkg: '@embedpdf/fonts-arabic', file: 'fonts/NotoNaskhArabic-Bold.ttf' },
  bengali: { pkg: '@fontsource/noto-sans-bengali', file: 'files/noto-sans-bengali-bengali-400-normal.woff' },
  // Noto Sans Gurmukhi's web subset trips fontkit's mark positioning (null anchor); Mukta Mahee does not.
  gurmukhi: { pkg: '@fontsource/mukta-mahee', file: 'files/mukta-mahee-gurmukhi-400-normal.woff' },
  gujarati: { pkg: '@fontsource/noto-sans-gujarati', file: 'files/noto-sans-gujarati-gujarati-400-normal.woff' },
  devanagari: { pkg: '@fontsource/noto-sans-devanagari', file: 'files/noto-sans-devanagari-devanagari-400-normal.woff' },
  tamil: { pkg: '@fontsource/noto-sans-tamil', file: 'files/noto-sans-tamil-tamil-400-normal.woff' },
  cjk: { pkg: '@embedpdf/fonts-sc', file: 'fonts/NotoSansHans-Regular.otf' },
  // The "emoji" subset is the whole Noto Emoji set in one file.
  emoji: { pkg: '@fontsource/noto-emoji', file: 'files/noto-emoji-emoji-400-normal.woff' },
}

const SCRIPT_FACES: FaceKey[] = ['bengali', 'gurmukhi', 'gujarati', 'devanagari', 'tamil', 'cjk', 'emoji']

/** Fallback order for regular and bold text. Scripts without a bold face use their regular one. */
export const FALLBACK: Record<'regular' | 'bold', FaceKey[]> = {
  regular: ['latin', 'arabic', ...SCRIPT_FACES],
  bold: ['latin-bold', 'arabic-bold', ...SCRIPT_FACES],
}

export const ALL_FACES = Object.keys(SOURCES) as FaceKey[]

const requireHere = createRequire(import.meta.url)

/** A package's folder, found from its entry point (some packages export no file paths). */
function packageDir(pkg: string): string {
  let dir = dirname(requireHere.resolve(pkg))
  while (!existsSync(join(dir, 'package.json')) || !isPackage(join(dir, 'package.json'), pkg)) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`Cannot find the folder of ${pkg}`)
    dir = parent
  }
  return dir
}

const isPackage = (file: string, pkg: string): boolean => (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === pkg

export interface Face {
  key: FaceKey
  data: Buffer
  font: fontkit.Font
}

// Loaded once per process, on first use: the Chinese font alone is 8 MB.
const loaded = new Map<FaceKey, Face>()

export function face(key: FaceKey): Face {
  let f = loaded.get(key)
  if (!f) {
    const { pkg, file } = SOURCES[key]
    const raw = readFileSync(join(packageDir(pkg), file))
    const data = raw.subarray(0, 4).toString('latin1') === 'wOFF' ? woffToSfnt(raw) : raw
    const font = fontkit.create(data)
    if (!('hasGlyphForCodePoint' in font)) throw new Error(`${pkg}/${file} is a font collection`)
    f = { key, data, font }
    loaded.set(key, f)
  }
  return f
}

/** The first face in the chain that has a glyph for the code point, or null. */
export function faceFor(codePoint: number, chain: FaceKey[]): FaceKey | null {
  for (const key of chain) if (face(key).font.hasGlyphForCodePoint(codePoint)) return key
  return null
}

/** Ascent and descent (positive) in font units per 1 of font size. */
export function metrics(key: FaceKey): { ascent: number; descent: number } {
  const { font } = face(key)
  return { ascent: font.ascent / font.unitsPerEm, descent: Math.abs(font.descent) / font.unitsPerEm }
}

/**
 * Unpacks a WOFF 1.0 file into the plain TrueType/OpenType font it wraps. fontkit can read WOFF,
 * but inflates it in JavaScript every time a document opens the font (the emoji font took most
 * of a render); Node's zlib does it once here.
 */
export function woffToSfnt(woff: Buffer): Buffer {
  const numTables = woff.readUInt16BE(12)
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20
    const offset = woff.readUInt32BE(at + 4)
    const compLength = woff.readUInt32BE(at + 8)
    const origLength = woff.readUInt32BE(at + 12)
    const stored = woff.subarray(offset, offset + compLength)
    return {
      tag: woff.readUInt32BE(at),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(stored) : stored,
    }
  })
  const padded = (n: number): number => (n + 3) & ~3
  const headerLength = 12 + numTables * 16
  const out = Buffer.alloc(headerLength + tables.reduce((sum, t) => sum + padded(t.data.length), 0))
  const entrySelector = Math.floor(Math.log2(numTables))
  out.writeUInt32BE(woff.readUInt32BE(4), 0) // flavour: TrueType or CFF
  out.writeUInt16BE(numTables, 4)
  out.writeUInt16BE(16 * 2 ** entrySelector, 6)
  out.writeUInt16BE(entrySelector, 8)
  out.writeUInt16BE(numTables * 16 - 16 * 2 ** entrySelector, 10)
  let offset = headerLength
  tables.forEach((t, i) => {
    out.writeUInt32BE(t.tag, 12 + i * 16)
    out.writeUInt32BE(t.checksum, 16 + i * 16)
    out.writeUInt32BE(offset, 20 + i * 16)
    out.writeUInt32BE(t.data.length, 24 + i * 16)
    t.data.copy(out, offset)
    offset += padded(t.data.length)
  })
  return out
}
