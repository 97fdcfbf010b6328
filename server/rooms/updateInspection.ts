import * as Y from 'yjs'

/** What an incoming update would do to a document, worked out before applying it. */
export interface UpdateInspection {
  /** ClientIDs that authored structs the doc does not have yet. */
  authors: Set<number>
  /** The update adds structs the doc does not have. */
  addsStructs: boolean
  /** The update deletes something the doc still has. */
  deletesContent: boolean
  /**
   * The update refers to structs neither the doc nor the update has. Yjs would park it as
   * "pending" forever (memory an attacker controls), so we refuse it instead.
   */
  missingDependencies: boolean
  /** The new structs themselves, for content checks by the board guard. */
  newStructs: Y.Item[]
  /** What the update deletes (ranges may cover structs the doc already has). */
  deleteSet: ReturnType<typeof Y.decodeUpdate>["ds"]
}

const referencedIds = (item: Y.Item): Y.ID[] => {
  const refs: Y.ID[] = []
  if (item.origin) refs.push(item.origin)
  if (item.rightOrigin) refs.push(item.rightOrigin)
  if (item.parent instanceof Y.ID) refs.push(item.parent)
  return refs
}

/** Throws on bytes that are not a Yjs update; the caller closes the socket. */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateInspection {
  const { structs, ds } = Y.decodeUpdate(update)
  // Clock each client of the update reaches once it is applied, if it has no gaps. Filled from the
  // doc for the update's clients only: copying every client's clock cost each edit O(writers ever).
  const reach = new Map<number, number>()
  const reached = (client: number) => {
    let clock = reach.get(client)
    if (clock === undefined) reach.set(client, (clock = Y.getState(doc.store, client)))
    return clock
  }
  const authors = new Set<number>()
  const newStructs: Y.Item[] = []
  let missingDependencies = false

  for (const struct of structs) {
    const client = struct.id.client
    const end = struct.id.clock + struct.length
    if (end <= Y.getState(doc.store, client)) continue
    if (struct instanceof Y.Skip || struct.id.clock > reached(client)) {
      missingDependencies = true
      continue
    }
    reach.set(client, Math.max(reached(client), end))
    authors.add(client)
    if (struct instanceof Y.Item) newStructs.push(struct)
  }

  const isKnown = (id: Y.ID) => id.clock < reached(id.client)
  for (const item of newStructs) {
    if (!referencedIds(item).every(isKnown)) missingDependencies = true
  }

  let deletesContent = false
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      if (range.clock + range.len > reached(client)) {
        missingDependencies = true
        continue
      }
      if (!deletesContent && rangeHasLiveStructs(doc, client, range.clock, range.len)) deletesContent = true
    }
  }

  return { authors, addsStructs: authors.size > 0, deletesContent, missingDependencies, newStructs, deleteSet: ds }
}

function rangeHasLiveStructs(doc: Y.Doc, client: number, clock: number, len: number): boolean {
  const structs = doc.store.clients.get(client)
  if (!structs) return false
  const have = Y.getState(doc.store, client)
  if (clock >= have) return false
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const struct = structs[i]!
    if (struct.id.clock >= clock + len) break
    if (!struct.deleted) return true
  }
  return false
}
