import { ErrorCode, fail, ok, type Result } from '../../shared/errors.ts'
import type { Section } from '../../shared/sections.ts'

/** New order for sections: every existing id exactly once. */
export function reorderSections(sections: readonly Section[], sectionIds: readonly string[]): Result<Section[]> {
  const existing = new Set(sections.map((section) => section.sectionId))
  if (sectionIds.length !== existing.size || new Set(sectionIds).size !== sectionIds.length || !sectionIds.every((id) => existing.has(id)))
    return fail(ErrorCode.unprocessable, 'List every section exactly once to reorder them.')
  const byId = new Map(sections.map((section) => [section.sectionId, section]))
  return ok(sectionIds.map((id, order) => ({ ...byId.get(id)!, order })))
}

/** "Hidden until reveal" can change only before anyone has added an idea to the section. */
export function canChangeRevealMode(section: Section, ideaCount: number): Result<void> {
  if (ideaCount === 0 && !section.revealed) return ok(undefined)
  return fail(ErrorCode.conflict, 'People have already added ideas here, so how ideas are shown can’t change now.')
}

/** A short id from a title: readable in exports and URLs, unique among existing ids. */
export function sectionIdFor(title: string, taken: ReadonlySet<string>): string {
  const base =
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'section'
  let candidate = base
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`
  return candidate
}
