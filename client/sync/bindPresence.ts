import { createUserId, InstancePresenceRecordType, react, type Editor, type TLInstancePresence } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { sanitisePresence, type Presence } from '../../shared/presence.ts'

/** Cursor updates sent at most this often: enough to look live, light on a 300-person room. */
const PRESENCE_INTERVAL_MS = 80

export interface PresenceControls {
  setHidden(hidden: boolean): void
  /** Off: nobody else's pointer is drawn (a calmer screen, L18). Ours is still shared unless hidden. */
  setShowOthers(show: boolean): void
  setName(name: string): void
  stop(): void
}

/**
 * Shares our cursor as the server's compact presence (name, colour, point, hidden) and shows
 * others' as tldraw collaborator records. Nothing else — no selection, no camera, no typing.
 */
export function bindPresence(editor: Editor, awareness: Awareness, identity: { name: string; color: string }, hiddenAtStart: boolean): PresenceControls {
  let local: Presence = { ...identity, cursor: null, hidden: hiddenAtStart }
  let timer: ReturnType<typeof setTimeout> | null = null
  let dirty = false
  let showingOthers = true

  const publish = () => {
    timer = null
    if (!dirty) return
    dirty = false
    awareness.setLocalState(local)
    timer = setTimeout(publish, PRESENCE_INTERVAL_MS)
  }
  const schedule = () => {
    dirty = true
    timer ??= setTimeout(publish, 0)
  }

  const stopCursor = react('share cursor', () => {
    const point = editor.inputs.getCurrentPagePoint()
    const cursor: [number, number] | null = local.hidden ? null : [Math.round(point.x), Math.round(point.y)]
    local = { ...local, cursor }
    schedule()
  })

  const showOthers = () => {
    const pageId = editor.getCurrentPageId()
    const wanted: TLInstancePresence[] = []
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID || !showingOthers) continue
      const presence = sanitisePresence(state)
      if (!presence || presence.hidden || !presence.cursor) continue
      wanted.push(
        InstancePresenceRecordType.create({
          id: InstancePresenceRecordType.createId(String(clientId)),
          currentPageId: pageId,
          userId: createUserId(String(clientId)),
          userName: presence.name,
          color: presence.color,
          cursor: { x: presence.cursor[0], y: presence.cursor[1], type: 'default', rotation: 0 },
          lastActivityTimestamp: Date.now(),
        }),
      )
    }
    const wantedIds = new Set(wanted.map((record) => record.id))
    const stale = editor.store
      .query.records('instance_presence')
      .get()
      .filter((record) => !wantedIds.has(record.id))
      .map((record) => record.id)
    editor.store.mergeRemoteChanges(() => {
      if (stale.length > 0) editor.store.remove(stale)
      if (wanted.length > 0) editor.store.put(wanted)
    })
  }
  awareness.on('change', showOthers)
  showOthers()

  return {
    setHidden(hidden) {
      local = { ...local, hidden, cursor: hidden ? null : local.cursor }
      schedule()
    },
    setShowOthers(show) {
      showingOthers = show
      showOthers()
    },
    setName(name) {
      local = { ...local, name }
      schedule()
    },
    stop() {
      stopCursor()
      awareness.off('change', showOthers)
      if (timer) clearTimeout(timer)
      awareness.setLocalState(null)
    },
  }
}
