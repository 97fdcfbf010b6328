import type { ExportModel } from '../../shared/exportModel.ts'
import { buildOutline, type Block } from './content.ts'

/**
 * CommonMark. Participants' texts are escaped so that an idea can never become a heading, a list,
 * a link, HTML or a table in someone's viewer: it always reads back as the words that were typed.
 */
export function renderMarkdown(model: ExportModel): string {
  return buildOutline(model).map(renderBlock).join('\n\n') + '\n'
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'title':
      return `# ${inline(block.text)}`
    case 'subtitle':
      return `**${inline(block.text)}**`
    case 'heading':
      return `${'#'.repeat(block.level + 1)} ${inline(block.text)}`
    case 'paragraph': {
      const text = escapeMarkdown(block.text)
      if (block.style === 'statement') return `> ${text.replaceAll('\n', '\n> ')}`
      if (block.style === 'note') return `*${text}*`
      return text
    }
    case 'list':
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? `${i + 1}. ` : '- '
          return marker + escapeMarkdown(item).replaceAll('\n', `\n${' '.repeat(marker.length)}`)
        })
        .join('\n')
  }
}

/** Headings hold one line: newlines become spaces. */
const inline = (text: string): string => escapeMarkdown(text.replace(/\s*\n\s*/g, ' '))

// Characters that start inline syntax anywhere in a line (emphasis, code, links, HTML, entities,
// GFM tables, strikethrough and e-mail autolinks). Escaped with a backslash, which CommonMark
// allows before any ASCII punctuation.
const INLINE_SPECIAL = /[\\`*_[\]<>&|~@]/g
// GFM turns bare web addresses into links; an export shows what was typed, not a live link.
const AUTOLINK = /\b(https?|ftp)(:\/\/)|\b(www)(\.)/gi
// Line starts that open a block: headings, quotes, lists, thematic breaks, setext underlines.
const BLOCK_START = /^([#>+=-]|\d+[.)])/

/** Escapes one text, keeping its line breaks as hard breaks ("\" at the end of the line). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const escaped = line
        .trim()
        .replace(INLINE_SPECIAL, '\\$&')
        .replace(AUTOLINK, (_, scheme?: string, sep?: string, www?: string, dot?: string) => `${scheme ?? www}\\${sep ?? dot}`)
      return escaped.replace(BLOCK_START, (start) => start.replace(/[#>+=.)-]/, '\\$&'))
    })
    // A blank line would end the paragraph or list item, so blank lines go.
    .filter((line) => line !== '')
    .join('\\\n')
}
