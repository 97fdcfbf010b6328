import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/** A piece of text people read on screen, and where it came from. */
export interface UiString {
  text: string
  file: string
}

/** Attributes whose value is read out or shown. */
const SPOKEN_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'submitLabel'])

/** Looks like words for people: letters and at least one space, no code-ish characters. */
const isProse = (text: string) => /[a-z]{2,}/i.test(text) && /\s/.test(text.trim()) && !/^[./:#@]|[{}<>=;|]|\$\{|^\w+:\w|\.(tsx?|css|json)\b/.test(text.trim())

function walkFiles(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walkFiles(path, out)
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path)
  }
  return out
}

/**
 * Every string a person can see or hear in the client, and the shared wording (phases, errors,
 * wellbeing lines), read from the source with the TypeScript parser: JSX text, spoken attributes,
 * and string literals that read as prose. Template parts are kept; the `${…}` holes are dropped.
 */
export function collectUiStrings(root: string, dirs: string[]): UiString[] {
  const strings: UiString[] = []
  for (const file of dirs.flatMap((dir) => walkFiles(join(root, dir), []))) {
    if (file.includes(`${join('client', 'language')}`)) continue
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
    const add = (text: string) => {
      const clean = text.replace(/\s+/g, ' ').trim()
      if (clean) strings.push({ text: clean, file: relative(root, file) })
    }
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return
      if (ts.isJsxText(node)) add(node.text)
      else if (ts.isJsxAttribute(node) && SPOKEN_ATTRIBUTES.has(node.name.getText(source)) && node.initializer && ts.isStringLiteral(node.initializer)) add(node.initializer.text)
      else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && isProse(node.text) && !isCodeContext(node)) add(node.text)
      else if (ts.isTemplateExpression(node)) {
        const literal = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)]
        // Judge it with the holes filled by a word, so `parity:${id}:token` is still code.
        if (isProse(literal.join('x')) && !isCodeContext(node)) add(literal.join(' … '))
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return strings
}

/** Strings passed to things that are code, not copy: class names, storage keys, selectors, errors thrown for developers. */
function isCodeContext(node: ts.Node): boolean {
  const parent = node.parent
  if (ts.isJsxAttribute(parent)) return !SPOKEN_ATTRIBUTES.has(parent.name.getText())
  if (ts.isJsxExpression(parent) && ts.isJsxAttribute(parent.parent)) return !SPOKEN_ATTRIBUTES.has(parent.parent.name.getText())
  if (ts.isNewExpression(parent) && parent.expression.getText() === 'Error') return true
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression.getText()
    return /(querySelector|getElementById|classList|console\.|matchMedia|getItem|setItem|removeItem|addEventListener|useValue|describe|\bit$|expect|prepare|exec)/.test(callee)
  }
  return false
}
