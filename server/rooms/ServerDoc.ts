import * as Y from 'yjs'

/** Who hears of every change to a server doc: its SharedDoc. */
export interface DocUpdateSink {
  docUpdated(update: Uint8Array, origin: unknown): void
  /**
   * The one client whose values a change from `origin` adds (a socket's bound clientID), or null
   * when it may be any (loads, server writes): the trim then walks every client.
   */
  writerOf(origin: unknown): number | null
}

/**
 * A Y.Doc as the server keeps it. Every loaded room has two, so their fixed cost counts (a bare
 * Y.Doc is ~2 KB of heap):
 * - no listener table: Yjs only asks whether anyone listens to `update`, and every event goes
 *   to the one owner (`emit`). A table of its own, with the owner's closure, was ~550 bytes a
 *   doc. Adding a listener throws, rather than silently never being called;
 * - one gcFilter for every doc (Yjs's default is a new closure per doc);
 * - one guid for every doc: it names subdocuments, which we never use, and is never sent;
 * - no `load`/`sync` listeners or promises. Yjs makes them for providers; the server's doc is
 *   the source of truth and never waits for either (~900 bytes a doc);
 * - one empty subdocument set: updates with subdocuments never reach a server doc (updateScan
 *   refuses any content but plain values and deletions, and the server writes only those). It
 *   takes nothing, so one doc's subdocument could never show in another's;
 * - values at their exact size (`trimValues`), and struct lists at theirs when asked
 *   (`trimStructLists`).
 */
export class ServerDoc extends Y.Doc {
  /** Clients whose struct lists changed since the last `trimStructLists`; null: none. */
  private changedLists: Set<number> | null = null
  /** Never the same for two docs. With `updates`, a key for what was built from it (ExportService). */
  readonly serial = ++serverDocs
  /** Updates so far, deletions too (which leave the state vector as it was). */
  updates = 0

  constructor(private readonly owner: DocUpdateSink) {
    super({ gc: true, gcFilter: collectAll, guid: SERVER_DOC_GUID })
    this._observers = UPDATE_ONLY
    this.whenLoaded = this.whenSynced = SETTLED
    this.subdocs = NO_SUBDOCS
  }

  override emit(name: string, args: unknown[]): void {
    if (name !== 'update') return
    const transaction = args[3] as Y.Transaction
    const writer = this.owner.writerOf(args[1])
    trimValues(this, transaction, writer)
    this.noteChangedLists(transaction, writer)
    this.updates += 1
    this.owner.docUpdated(args[0] as Uint8Array, args[1])
  }

  /**
   * Each client's struct list keeps the capacity it grew to as Yjs pushed to it (17 slots or
   * more, ~150 bytes a writer, mostly empty). Copies the lists changed since the last call at
   * their exact size. Call between transactions (the periodic pass), when Yjs holds none of them.
   */
  trimStructLists(): void {
    if (!this.changedLists) return
    const clients = this.store.clients
    for (const client of this.changedLists) {
      const structs = clients.get(client)
      if (structs) clients.set(client, structs.slice())
    }
    this.changedLists = null
  }

  /** Lists grow where structs were added (the writer's), and where deletions or inserts split them. */
  private noteChangedLists(transaction: Y.Transaction, writer: number | null): void {
    const changed = (this.changedLists ??= new Set())
    if (writer !== null) changed.add(writer)
    else for (const [client, after] of transaction.afterState) if (transaction.beforeState.get(client) !== after) changed.add(client)
    for (const client of transaction.deleteSet.clients.keys()) changed.add(client)
    for (const struct of transaction._mergeStructs) changed.add(struct.id.client)
  }
}

const collectAll = () => true
const SERVER_DOC_GUID = 'parity-server'
const SETTLED = Promise.resolve()

/** A set that stays empty: shared by every server doc, so nothing may be kept in it. */
class NoSubdocs extends Set<Y.Doc> {
  override add(): this {
    return this
  }
}
const NO_SUBDOCS: Set<Y.Doc> = new NoSubdocs()

let serverDocs = 0

/** A set that takes nothing: `doc.on(...)` on a server doc fails loudly. */
class NoListeners<T> extends Set<T> {
  override add(): this {
    throw new Error('a server doc takes no listeners: its SharedDoc hears every update')
  }
}

/** The one listener table of every server doc: it says `update` is listened to, and takes no more. */
class UpdateOnly<K, V> extends Map<K, V> {
  override set(key: K, value: V): this {
    if (this.size > 0) throw new Error('a server doc takes no listeners: its SharedDoc hears every update')
    return super.set(key, value)
  }
}
const UPDATE_ONLY = new UpdateOnly<string, Set<(...args: unknown[]) => void>>().set('update', new NoListeners())

/**
 * Yjs builds a value's array by pushing, so one decoded entry holds 17 slots (~150 bytes, most of
 * a small board record's cost). Copies the values a transaction added at their exact size. A
 * socket's change is looked for under its own client only: walking every client's state on each
 * update cost a room of 300 a few microseconds a message. (Values a socket adds under another
 * clientID it owns stay as Yjs made them: memory only, never content.)
 */
function trimValues(doc: Y.Doc, transaction: Y.Transaction, writer: number | null): void {
  if (writer !== null) return trimClient(doc, writer, transaction.beforeState.get(writer) ?? 0)
  for (const [client, after] of transaction.afterState) {
    const before = transaction.beforeState.get(client) ?? 0
    if (before !== after) trimClient(doc, client, before)
  }
}

function trimClient(doc: Y.Doc, client: number, from: number): void {
  const structs = doc.store.clients.get(client)
  if (!structs || from >= Y.getState(doc.store, client)) return
  for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
    const struct = structs[i]!
    if (struct instanceof Y.Item && struct.content instanceof Y.ContentAny) struct.content.arr = struct.content.arr.slice()
  }
}
