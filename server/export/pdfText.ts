import bidiFactory from 'bidi-js'
import { FALLBACK, faceFor, metrics, type FaceKey } from './pdfFonts.ts'

/**
 * Lays out one paragraph of any script for pdfkit: picks a font per character, breaks lines
 * (also inside words too long for a line) and orders each line with the Unicode bidi algorithm
 * into runs that pdf.ts draws left to right. pdfkit's own text() assumes one font and
 * left-to-right text, so a mixed Arabic, Bengali and emoji idea needs this.
 *
 * Shaping (Arabic joining, Indic conjuncts) is fontkit's, inside each run. fontkit also reverses
 * a run written in a right-to-left script, so such runs are given to it in logical order.
 */

const bidi = bidiFactory()
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

export interface TextStyle {
  size: number
  bold: boolean
  color: string
}

interface Cluster {
  text: string
  face: FaceKey
  level: number
  space: boolean
  /** A line may break after this cluster. */
  breakAfter: boolean
}

export interface Line {
  clusters: Cluster[]
  width: number
  ascent: number
  descent: number
}

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\uFE0F|\p{Regional_Indicator}/u
// Characters that belong to no one script take the font of the text around them.
const SHARED_SCRIPT = /^[\p{Script=Common}\p{Script=Inherited}]/u
const IDEOGRAPHIC = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
const BREAK_AFTER = /^[-‐–—/]$/u
/** Scripts fontkit lays out right to left (it reverses their glyphs itself). */
export const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u
const INVISIBLE = /^\p{Default_Ignorable_Code_Point}+$/u
const WHITESPACE = /^[\t\n\r \u1680\u2000-\u200A\u2028\u2029\u205F\u3000]+$/u

/** Measures text in one face at one size, as pdfkit will draw it. */
export type Measure = (text: string, face: FaceKey) => number

export function isRightToLeft(text: string): boolean {
  const { paragraphs } = bidi.getEmbeddingLevels(text, 'auto')
  return (paragraphs[0]?.level ?? 0) % 2 === 1
}

/** Splits text into clusters with the font and bidi level each is drawn with. */
export function clusterize(text: string, bold: boolean, dir: 'auto' | 'ltr'): { clusters: Cluster[]; rtl: boolean } {
  // One line of text: the caller splits at line breaks.
  const clean = text.replace(/\r\n?|\n/g, ' ')
  const chain = FALLBACK[bold ? 'bold' : 'regular']
  const embedding = bidi.getEmbeddingLevels(clean, dir)
  const clusters: Cluster[] = []
  let previous: FaceKey | null = null
  for (const { segment, index } of graphemes.segment(clean)) {
    // Invisible marks (bidi marks, joiners on their own) shape the levels above but draw nothing.
    if (INVISIBLE.test(segment)) continue
    const codePoint = segment.codePointAt(0) ?? 32
    let face: FaceKey | null = null
    if (EMOJI.test(segment) && EMOJI_PRESENTATION.test(segment)) face = faceFor(codePoint, ['emoji'])
    // Not after an emoji: the emoji font's space is an emoji's width.
    if (!face && previous && previous !== 'emoji' && SHARED_SCRIPT.test(segment) && faceFor(codePoint, [previous])) face = previous
    face ??= faceFor(codePoint, chain) ?? chain[0] ?? 'latin'
    const space = WHITESPACE.test(segment)
    const ideographic = IDEOGRAPHIC.test(segment)
    const last = clusters.at(-1)
    // Break before an ideograph too: Chinese has no spaces between words.
    if (last && ideographic) last.breakAfter = true
    clusters.push({ text: space ? ' ' : segment, face, level: embedding.levels[index] ?? 0, space, breakAfter: space || ideographic || BREAK_AFTER.test(segment) })
    previous = face
  }
  return { clusters, rtl: (embedding.paragraphs[0]?.level ?? 0) % 2 === 1 }
}

/** Consecutive clusters with the same font and level, as drawable strings. */
function runsOf(clusters: Cluster[]): { face: FaceKey; level: number; clusters: Cluster[] }[] {
  const runs: { face: FaceKey; level: number; clusters: Cluster[] }[] = []
  for (const c of clusters) {
    const run = runs.at(-1)
    if (run && run.face === c.face && run.level === c.level) run.clusters.push(c)
    else runs.push({ face: c.face, level: c.level, clusters: [c] })
  }
  return runs
}

const textOf = (clusters: Cluster[]): string => clusters.map((c) => c.text).join('')

function widthOf(clusters: Cluster[], measure: Measure): number {
  return runsOf(clusters).reduce((sum, run) => sum + measure(textOf(run.clusters), run.face), 0)
}

/** Greedy line breaking: whole words where they fit, cluster by cluster where a word cannot. */
export function breakLines(clusters: Cluster[], maxWidth: number, measure: Measure, size: number): Line[] {
  const words: Cluster[][] = []
  let word: Cluster[] = []
  for (const c of clusters) {
    word.push(c)
    if (c.breakAfter) {
      words.push(word)
      word = []
    }
  }
  if (word.length > 0) words.push(word)

  const lines: Cluster[][] = []
  let line: Cluster[] = []
  let width = 0
  const flush = (): void => {
    if (line.length > 0) lines.push(line)
    line = []
    width = 0
  }
  for (const w of words) {
    const ink = trimEnd(w)
    const inkWidth = widthOf(ink, measure)
    if (line.length > 0 && width + inkWidth > maxWidth) flush()
    if (inkWidth <= maxWidth) {
      line.push(...w)
      width += widthOf(w, measure)
      continue
    }
    // Longer than a whole line (a link, or 5,000 letters without a space): cut it where it fills.
    for (const c of w) {
      const cw = widthOf([c], measure)
      if (line.length > 0 && !c.space && width + cw > maxWidth) flush()
      line.push(c)
      width += cw
    }
  }
  flush()
  return lines.map((l) => {
    const ink = trimEnd(l)
    const faces = new Set(ink.map((c) => c.face))
    if (faces.size === 0) faces.add('latin')
    const m = [...faces].map(metrics)
    return {
      clusters: ink,
      width: widthOf(ink, measure),
      ascent: Math.max(...m.map((x) => x.ascent)) * size,
      descent: Math.max(...m.map((x) => x.descent)) * size,
    }
  })
}

function trimEnd(clusters: Cluster[]): Cluster[] {
  let end = clusters.length
  while (end > 0 && clusters[end - 1]?.space) end--
  return clusters.slice(0, end)
}

/** A line's runs in visual order, left to right, each with the string to hand to pdfkit. */
export function visualRuns(line: Line): { face: FaceKey; text: string }[] {
  // Unicode bidi rule L2 on whole clusters (so emoji and combining marks stay whole): from the
  // highest level down to the lowest odd one, reverse every stretch at that level or higher.
  // Trailing spaces, which rule L1 would reset, were already trimmed by breakLines.
  const levels = line.clusters.map((c) => c.level)
  const highest = Math.max(0, ...levels)
  const lowestOdd = Math.min(...levels.filter((l) => l % 2 === 1), highest + 1)
  let visual = line.clusters
  for (let level = highest; level >= lowestOdd; level--) {
    const next: Cluster[] = []
    let stretch: Cluster[] = []
    for (const c of visual) {
      if (c.level >= level) stretch.push(c)
      else {
        next.push(...stretch.reverse(), c)
        stretch = []
      }
    }
    visual = [...next, ...stretch.reverse()]
  }
  return runsOf(visual).map((run) => {
    const logical = [...run.clusters].reverse()
    if (run.level % 2 === 1 && RTL_SCRIPT.test(textOf(run.clusters))) return { face: run.face, text: textOf(logical) }
    // Right-to-left stretch without letters fontkit would reverse (brackets, digits' neighbours):
    // draw as ordered, with brackets mirrored.
    const mirrored = run.level % 2 === 1 ? run.clusters.map((c) => ({ ...c, text: bidi.getMirroredCharacter(c.text) ?? c.text })) : run.clusters
    return { face: run.face, text: textOf(mirrored) }
  })
}
