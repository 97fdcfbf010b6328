import type { Cell, SqlValue } from './sqlitePages.ts'

/**
 * The attack a reader of a database copy can run without any key: rank the cells that hold
 * contributions by physical age (WAL frame they first appear in, then page, then offset — a page
 * fills from its end, so a lower offset is newer), rank the cells that name participants the
 * same way, and pair them by rank. Plus the blunt one: a single cell naming both.
 *
 * Cells are grouped by page and shape (number of values, column of the marker), which stands
 * for "the same table or index": the attacker tries every pair of groups and every reading of
 * what a contribution's owner is, and keeps the best.
 */

/** For one kind of contribution (ideas by author, ballots by voter, answers by responder): marker value → owner. */
export type Truth = ReadonlyMap<string, number>

export interface AttackResult {
  /** Correct pairs found by rank, per `contribution group | participant group | truth`. */
  byRank: Map<string, number>
  /** Cells that name a participant next to one of their own contributions. */
  colocated: number
}

type Age = [number, number, number]
const older = (a: Age, b: Age) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
const ageOf = (cell: Cell): Age => [cell.sourceRank, cell.pageNo, -cell.offset]
const asText = (value: SqlValue): string | null => (typeof value === 'string' ? value : null)

/** First-seen age of each marker in each shape group. */
function groups(cells: readonly Cell[], isMarker: (value: string) => boolean): Map<string, Map<string, Age>> {
  const result = new Map<string, Map<string, Age>>()
  for (const cell of cells) {
    cell.values.forEach((value, column) => {
      const text = asText(value)
      if (text === null || !isMarker(text)) return
      const key = `p${cell.pageNo}:${cell.values.length}:${column}`
      const group = result.get(key) ?? new Map<string, Age>()
      const seen = group.get(text)
      if (!seen || older(ageOf(cell), seen) < 0) group.set(text, ageOf(cell))
      result.set(key, group)
    })
  }
  return result
}

const byAge = (group: Map<string, Age>): string[] => [...group.entries()].sort((a, b) => older(a[1], b[1])).map(([marker]) => marker)

export function pairingAttack(cells: readonly Cell[], truths: Record<string, Truth>, participants: ReadonlyMap<string, number>): AttackResult {
  const contributionMarkers = new Set(Object.values(truths).flatMap((truth) => [...truth.keys()]))
  let colocated = 0
  for (const cell of cells) {
    const texts = cell.values.map(asText).filter((text): text is string => text !== null)
    const people = texts.filter((text) => participants.has(text)).map((text) => participants.get(text)!)
    if (people.length === 0) continue
    for (const text of texts)
      for (const truth of Object.values(truths)) if (truth.has(text) && people.includes(truth.get(text)!)) colocated++
  }
  const contributionGroups = groups(cells, (text) => contributionMarkers.has(text))
  const participantGroups = groups(cells, (text) => participants.has(text))
  const byRank = new Map<string, number>()
  for (const [cKey, cGroup] of contributionGroups) {
    const contributions = byAge(cGroup)
    for (const [pKey, pGroup] of participantGroups) {
      // Several markers (id, token hash) may name one person in one group: keep their first.
      const people = [...new Set(byAge(pGroup).map((marker) => participants.get(marker)!))]
      if (contributions.length < 2 || people.length < 2) continue
      for (const [name, truth] of Object.entries(truths)) {
        let correct = 0
        for (let rank = 0; rank < Math.min(contributions.length, people.length); rank++) if (truth.get(contributions[rank]!) === people[rank]) correct++
        byRank.set(`${cKey}|${pKey}|${name}`, correct)
      }
    }
  }
  return { byRank, colocated }
}

/**
 * How much of an arrival order survives: for each group of cells holding these markers, rank
 * them by physical age and count those at their true place in `order` (oldest first). Chance is
 * 1; the whole timeline readable is `order.length`. Keeps the best group.
 */
export function timelineAttack(cells: readonly Cell[], order: readonly string[]): { key: string; correct: number } | null {
  const wanted = new Set(order)
  let best: { key: string; correct: number } | null = null
  for (const [key, group] of groups(cells, (text) => wanted.has(text))) {
    if (group.size < 2) continue
    const ranked = byAge(group).filter((marker) => wanted.has(marker))
    const truth = order.filter((marker) => group.has(marker))
    const correct = ranked.filter((marker, rank) => truth[rank] === marker).length
    if (!best || correct > best.correct) best = { key, correct }
  }
  return best
}
