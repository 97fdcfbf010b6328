import { Lexer, marked, type Token } from 'marked'
import { describe, expect, it } from 'vitest'
import type { ExportModel } from '../../shared/exportModel.ts'
import { nothingAgreedExportModel, sampleExportModel } from '../../tests/fixtures/exportModel.ts'
import { PART, WORKSHOP_DOCUMENT_TITLE } from './content.ts'
import { renderMarkdown } from './markdown.ts'

/** The words a reader sees for some tokens: escapes resolved, hard breaks as newlines. */
function plain(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      if (t.type === 'br') return '\n'
      if (t.type === 'list') return (t.items as Token[]).map((i) => plain('tokens' in i ? i.tokens : [])).join('')
      if ('tokens' in t && t.tokens) return plain(t.tokens)
      return 'text' in t ? String(t.text) : ''
    })
    .join('')
}

function walk(tokens: Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t)
    if ('tokens' in t && t.tokens) walk(t.tokens, visit)
    if (t.type === 'list') walk(t.items as Token[], visit)
  }
}

function read(markdown: string) {
  const tokens = Lexer.lex(markdown)
  const kinds = new Set<string>()
  const headings: { depth: number; text: string }[] = []
  const lists: { ordered: boolean; items: string[]; kinds: Set<string> }[] = []
  const quotes: string[] = []
  walk(tokens, (t) => {
    kinds.add(t.type)
    if (t.type === 'heading') headings.push({ depth: t.depth as number, text: plain(t.tokens) })
    if (t.type === 'list') {
      const inside = new Set<string>()
      walk(t.items as Token[], (i) => inside.add(i.type))
      lists.push({ ordered: t.ordered as boolean, items: (t.items as Token[]).map((i) => plain('tokens' in i ? i.tokens : [])), kinds: inside })
    }
    if (t.type === 'blockquote') quotes.push(plain(t.tokens))
  })
  return { kinds, headings, lists, quotes, text: plain(tokens) }
}

describe('Markdown export', () => {
  it('gives the document a title, the four parts and a heading per section', () => {
    const { headings } = read(renderMarkdown(sampleExportModel()))
    expect(headings.filter((h) => h.depth === 1).map((h) => h.text)).toEqual([WORKSHOP_DOCUMENT_TITLE])
    // A document of one part is titled after it.
    const values = sampleExportModel()
    const onlyValues = read(renderMarkdown({ ...values, sections: values.sections.filter((section) => section.kind === 'values') }))
    expect(onlyValues.headings.filter((h) => h.depth === 1).map((h) => h.text)).toEqual(['Our shared values'])
    expect(headings.filter((h) => h.depth === 2).map((h) => h.text)).toEqual([PART.agreed, PART.provenance, PART.ideas, PART.hidden])
    expect(headings.filter((h) => h.depth === 3 && h.text === 'Our values')).toHaveLength(3)
    expect(headings.filter((h) => h.depth === 4).map((h) => h.text)).toEqual(['Round 1', 'Round 2', 'Round 1'])
  })

  it('shows the agreed vision as a quote and the agreed values as a numbered list in order', () => {
    const { quotes, lists, text } = read(renderMarkdown(sampleExportModel()))
    expect(quotes[0]).toBe('Everyone who uses our services, and the people who care for them, is heard and helps to shape them.')
    expect(lists.find((l) => l.ordered)?.items).toEqual(['Respect', 'Honesty', 'Kindness first 😊', 'Szacunek dla każdego — respect for everyone'])
    expect(text).toContain('Joint 2nd: Honesty — 7 dots')
    expect(text).toContain('10 agreed, 3 could live with it, 0 objected.')
    expect(text).toContain('Our values: 3 ideas hidden by the facilitator: off-topic (2), duplicate (1).')
    expect(text).toContain('14 people took part.')
  })

  it('keeps what people typed as plain words, never as headings, links, HTML or lists', () => {
    const tricky = [
      '# Not a heading',
      '<script>alert("x")</script>',
      '[click me](javascript:alert(1))',
      '**loud** and _quiet_',
      '1. not a list',
      '- not a list either',
      '> not a quote',
      '---',
      '| a | b |',
      '&copy; is not an entity',
      '`not code`',
      'first line\n# second line',
      'see http://example.com or www.example.org, or mail me@example.com',
    ]
    const model: ExportModel = sampleExportModel()
    const custom = model.sections[3]!
    custom.ideas = tricky.map((text) => ({ text, dots: null, mergedInto: null, theme: null }))

    const markdown = renderMarkdown(model)
    const { kinds, headings, lists, text } = read(markdown)
    // The document's own markup is headings, lists, a quote, bold and italics: nothing else.
    for (const kind of ['html', 'link', 'codespan', 'hr', 'table', 'del']) expect(kinds).not.toContain(kind)
    expect(headings).toHaveLength(read(renderMarkdown(sampleExportModel())).headings.length)
    const ideaList = lists.find((l) => l.items.includes('# Not a heading — not voted on yet'))
    expect(ideaList?.items).toHaveLength(tricky.length)
    expect([...(ideaList?.kinds ?? [])].sort()).toEqual(['br', 'escape', 'list_item', 'text'])
    for (const idea of tricky) expect(ideaList?.items).toContain(`${idea} — not voted on yet`)
    expect(text).not.toContain('\\')
    expect(marked.parse(markdown, { async: false })).not.toMatch(/<script|<a |<h1>Not/)
  })

  it('keeps accents, other scripts and emoji as they were typed', () => {
    const { text } = read(renderMarkdown(sampleExportModel()))
    for (const s of ['Zażółć gęślą jaźń', 'café', 'مرحبا', 'سب کی بات سنی جائے', 'সবাইকে স্বাগতম', 'ਸਤ ਸ੍ਰੀ ਅਕਾਲ', '你好', '😊']) expect(text).toContain(s)
  })

  it('says plainly what is not agreed yet', () => {
    const { text } = read(renderMarkdown(nothingAgreedExportModel()))
    expect(text).toContain('Not agreed yet. Nobody has proposed a wording yet.')
    expect(text).toContain('The vote results are not ready yet.')
    expect(text).not.toContain('Agreed in round')
  })
})
