import * as Y from 'yjs'

/**
 * A last-writer-wins key-value map stored in a Y.Array of `{key, val}` entries.
 *
 * Why not a Y.Map: every overwrite of a Y.Map key leaves a tombstone that never merges, so a
 * dragged shape grows the doc ~10 bytes per move. Here an overwrite appends a new entry and
 * deletes the old one; runs of deleted entries from one client merge into a single struct, so
 * the doc stays near the size of its live content.
 *
 * Why not y-utility's YKeyValue: its observer reads `event.changes`, which walks the whole
 * array on every transaction (milliseconds at 5,000 shapes). This class reads only the structs a
 * transaction inserted and deleted, so remote apply costs O(changes · log n).
 *
 * Concurrent writes of one key can leave two live entries. Every peer then picks the same
 * winner (highest clientID, then highest clock) and the peer that wrote the loser deletes it.
 */

interface Entry<V> {
  key: string
  val: V
}

interface Live<V> {
  val: V
  /**
   * The ID of the key's live entry, or of each after concurrent writes (oldest first). One ID,
   * not a list of one: a list per record was ~40 bytes of every record in memory.
   */
  ids: Y.ID | Y.ID[]
}

const idList = (ids: Y.ID | Y.ID[]): Y.ID[] => (Array.isArray(ids) ? ids : [ids])
/** An entry's ID: the item's own for its first entry (IDs never change), else a new one. */
const entryId = (item: Y.Item, offset: number): Y.ID => (offset === 0 ? item.id : Y.createID(item.id.client, item.id.clock + offset))

export interface KeyValueChange<V> {
  /** Keys whose value was set, with the new value. */
  updated: Map<string, V>
  /** Keys that no longer have a value. */
  removed: Set<string>
}

type Listener<V> = (change: KeyValueChange<V>, transaction: Y.Transaction) => void

const compareIds = (a: Y.ID, b: Y.ID): number => a.client - b.client || a.clock - b.clock

const isEntry = (value: unknown): value is Entry<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string'

/** Entries an item carries, if it is a live-content item of this array (ContentAny). */
const entriesOf = (struct: Y.AbstractStruct): unknown[] | null => {
  if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) return null
  return struct.content.getContent()
}

export class KeyValueArray<V> {
  readonly yarray: Y.Array<Entry<V>>
  private readonly live = new Map<string, Live<V>>()
  private readonly listeners = new Set<Listener<V>>()

  constructor(yarray: Y.Array<Entry<V>>) {
    this.yarray = yarray
    this.loadAll()
    yarray.observe((_event, transaction) => this.onTransaction(transaction))
  }

  get size(): number {
    return this.live.size
  }

  get(key: string): V | undefined {
    return this.live.get(key)?.val
  }

  has(key: string): boolean {
    return this.live.has(key)
  }

  /** Number of live entries for a key: 1 normally, more for a moment after concurrent writes. */
  liveEntryCount(key: string): number {
    const current = this.live.get(key)
    return current ? idList(current.ids).length : 0
  }

  keys(): IterableIterator<string> {
    return this.live.keys()
  }

  *entries(): IterableIterator<[string, V]> {
    for (const [key, { val }] of this.live) yield [key, val]
  }

  /** Set one key. Call inside `doc.transact` to batch several writes into one update. */
  set(key: string, val: V): void {
    const doc = this.requireDoc()
    doc.transact((transaction) => {
      this.deleteEntriesOf(transaction, key)
      this.yarray.push([{ key, val }])
    })
  }

  delete(key: string): void {
    const doc = this.requireDoc()
    doc.transact((transaction) => this.deleteEntriesOf(transaction, key))
  }

  /** Listen to changes made by any transaction (local or remote). */
  observe(listener: Listener<V>): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private requireDoc(): Y.Doc {
    const doc = this.yarray.doc
    if (!doc) throw new Error('KeyValueArray needs its Y.Array to be part of a Y.Doc')
    return doc
  }

  private deleteEntriesOf(transaction: Y.Transaction, key: string): void {
    const current = this.live.get(key)
    if (!current) return
    for (const id of idList(current.ids)) this.deleteEntry(transaction, id)
  }

  /** Delete one entry by its ID without computing its index (which would walk the array). */
  private deleteEntry(transaction: Y.Transaction, id: Y.ID): void {
    const item = Y.getItemCleanStart(transaction, id)
    if (item.deleted) return
    if (item.length > 1) Y.getItemCleanEnd(transaction, transaction.doc.store, id)
    item.delete(transaction)
    // Index-based search markers are stale after a direct delete; Yjs rebuilds them lazily.
    const markers = (this.yarray as unknown as { _searchMarker: unknown[] | null })._searchMarker
    if (markers) markers.length = 0
  }

  private loadAll(): void {
    let item = this.yarray._start
    while (item !== null) {
      if (!item.deleted) {
        const entries = entriesOf(item)
        entries?.forEach((entry, offset) => {
          if (isEntry(entry)) this.addLive(entry.key, entry.val as V, entryId(item!, offset))
        })
      }
      item = item.right
    }
    for (const key of this.live.keys()) this.resolveDuplicates(key, null)
  }

  private addLive(key: string, val: V, id: Y.ID): void {
    const current = this.live.get(key)
    if (!current) {
      this.live.set(key, { val, ids: id })
      return
    }
    const ids = [...idList(current.ids), id].sort(compareIds)
    current.ids = ids
    // The winner is the greatest ID; keep its value.
    if (compareIds(id, ids[ids.length - 1]!) === 0) current.val = val
  }

  private onTransaction(transaction: Y.Transaction): void {
    const change: KeyValueChange<V> = { updated: new Map(), removed: new Set() }
    const touched = new Set<string>()

    Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
      if (!(struct instanceof Y.Item) || struct.parent !== this.yarray) return
      const entries = entriesOf(struct)
      entries?.forEach((entry, offset) => {
        if (!isEntry(entry)) return
        const current = this.live.get(entry.key)
        if (!current) return
        const id = Y.createID(struct.id.client, struct.id.clock + offset)
        const ids = idList(current.ids)
        const remaining = ids.filter((candidate) => compareIds(candidate, id) !== 0)
        if (remaining.length === ids.length) return
        touched.add(entry.key)
        if (remaining.length === 0) this.live.delete(entry.key)
        else current.ids = remaining.length === 1 ? remaining[0]! : remaining
      })
    })

    for (const [client, afterClock] of transaction.afterState) {
      const beforeClock = transaction.beforeState.get(client) ?? 0
      if (afterClock <= beforeClock) continue
      const structs = transaction.doc.store.clients.get(client)
      if (!structs) continue
      for (let i = Y.findIndexSS(structs, beforeClock); i < structs.length; i++) {
        const struct = structs[i]!
        if (!(struct instanceof Y.Item) || struct.parent !== this.yarray || struct.deleted) continue
        entriesOf(struct)?.forEach((entry, offset) => {
          if (!isEntry(entry)) return
          this.addLive(entry.key, entry.val as V, entryId(struct, offset))
          touched.add(entry.key)
        })
      }
    }

    for (const key of touched) {
      const current = this.live.get(key)
      if (current) {
        this.refreshValue(key, current)
        change.updated.set(key, current.val)
      } else {
        change.removed.add(key)
      }
    }
    if (touched.size > 0) for (const listener of this.listeners) listener(change, transaction)
    for (const key of touched) this.resolveDuplicates(key, transaction.doc.clientID)
  }

  /** After deletions the winner may have changed; read its value back from the doc. */
  private refreshValue(key: string, current: Live<V>): void {
    const winner = idList(current.ids).at(-1)!
    const structs = this.requireDoc().store.clients.get(winner.client)
    if (!structs) return
    const struct = structs[Y.findIndexSS(structs, winner.clock)]!
    const entry = entriesOf(struct)?.[winner.clock - struct.id.clock]
    if (isEntry(entry)) current.val = entry.val as V
  }

  /**
   * Delete losing duplicates that this peer wrote (null: any). Only the writer cleans up its
   * own entries, so peers do not race to delete the same thing.
   */
  private resolveDuplicates(key: string, ownClient: number | null): void {
    const current = this.live.get(key)
    if (!current || !Array.isArray(current.ids)) return
    const losers = current.ids.slice(0, -1).filter((id) => ownClient === null || id.client === ownClient)
    if (losers.length === 0) return
    const doc = this.requireDoc()
    // Runs after the observer: a new transaction, queued by Yjs once this one finishes.
    doc.transact((transaction) => {
      for (const id of losers) this.deleteEntry(transaction, id)
    })
  }
}
