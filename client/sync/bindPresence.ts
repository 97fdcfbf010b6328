import { createUserId, InstancePresenceRecordType, react, type Editor, type TLInstancePresence } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { sanitisePresence, type Presence } from '../../shared/presence.ts'
import { cancelNextFrame, onNextFrame } from './remoteFrame.ts'

/** Cursor updates sent at most this often: enough to look live, light on a 300-person room. */
const PRESENCE_INTERVAL_MS = 80
/** How stale an unchanged pointer's activity time may get (tldraw hides pointers after 60 s). */
const ACTIVITY_REFRESH_MS = 10_000

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

  let later: ReturnType<typeof setTimeout> | null = null
  let shownAt = -Infinity
  const showOthers = () => {
    if (later !== null) clearTimeout(later)
    later = null
    cancelNextFrame(editor.store, showOthers)
    shownAt = performance.now()
    const pageId = editor.getCurrentPageId()
    const now = Date.now()
    const wantedIds = new Set<TLInstancePresence['id']>()
    const changed: TLInstancePresence[] = []
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID || !showingOthers) continue
      const presence = sanitisePresence(state)
      if (!presence || presence.hidden || !presence.cursor) continue
      const id = InstancePresenceRecordType.createId(String(clientId))
      wantedIds.add(id)
      const current = editor.store.unsafeGetWithoutCapture(id)
      const [x, y] = presence.cursor
      // Unchanged pointers are not rewritten (every rewrite redraws every pointer), except to
      // keep them well inside tldraw's inactivity timeout while anyone in the room is active.
      if (
        current &&
        current.cursor?.x === x &&
        current.cursor.y === y &&
        current.userName === presence.name &&
        current.color === presence.color &&
        current.currentPageId === pageId &&
        now - (current.lastActivityTimestamp ?? 0) < ACTIVITY_REFRESH_MS
      )
        continue
      changed.push(
        InstancePresenceRecordType.create({
          id,
          currentPageId: pageId,
          userId: createUserId(String(clientId)),
          userName: presence.name,
          color: presence.color,
          cursor: { x, y, type: 'default', rotation: 0 },
          lastActivityTimestamp: now,
        }),
      )
    }
    const stale = editor.store
      .query.records('instance_presence')
      .get()
      .filter((record) => !wantedIds.has(record.id))
      .map((record) => record.id)
    if (stale.length === 0 && changed.length === 0) return
    editor.store.mergeRemoteChanges(() => {
      if (stale.length > 0) editor.store.remove(stale)
      if (changed.length > 0) editor.store.put(changed)
    })
  }
  // Each of 30 pointers moving at 10 Hz is 300 changes a second, and every store write redraws
  // every pointer: they are shown together, at the rate pointers are sent (no one sends faster).
  const showOthersSoon = () => {
    later ??= setTimeout(() => onNextFrame(editor.store, showOthers), Math.max(0, shownAt + PRESENCE_INTERVAL_MS - performance.now()))
  }
  awareness.on('change', showOthersSoon)
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
      awareness.off('change', showOthersSoon)
      if (later !== null) clearTimeout(later)
      cancelNextFrame(editor.store, showOthers)
      if (timer) clearTimeout(timer)
      awareness.setLocalState(null)
    },
  }
}
