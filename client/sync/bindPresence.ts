import { react, type Editor } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { newPresenceKey, sanitisePresence, type Presence } from '../../shared/presence.ts'

/** Cursor updates sent at most this often: enough to look live, light on a 300-person room. */
const PRESENCE_INTERVAL_MS = 80

/** Someone else's pointer, in page coordinates. */
export interface ShownPointer {
  x: number
  y: number
  name: string
  color: string
}

/** Where other people's pointers are drawn (client/board/othersPointers.tsx). */
export interface PointerSink {
  /** Shows exactly these pointers, keyed by who they are. */
  show(pointers: ReadonlyMap<string, ShownPointer>): void
}

export interface PresenceControls {
  setHidden(hidden: boolean): void
  /** Off: nobody else's pointer is drawn (a calmer screen, L18). Ours is still shared unless hidden. */
  setShowOthers(show: boolean): void
  setName(name: string): void
  stop(): void
}

/**
 * Shares our cursor as the server's compact presence (name, colour, point, hidden) and shows
 * others' on `pointers`. Nothing else — no selection, no camera, no typing.
 */
export function bindPresence(
  editor: Editor,
  awareness: Awareness,
  identity: { name: string; color: string },
  hiddenAtStart: boolean,
  pointers: PointerSink,
): PresenceControls {
  let local: Presence = { ...identity, cursor: null, hidden: hiddenAtStart }
  let timer: ReturnType<typeof setTimeout> | null = null
  let dirty = false
  let showingOthers = true
  // Our presence comes back from the server under this key, not our clientID (see PresenceKeyed).
  const presenceKey = newPresenceKey()

  const publish = () => {
    timer = null
    if (!dirty) return
    dirty = false
    awareness.setLocalState({ ...local, presenceKey })
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
    shownAt = performance.now()
    const shown = new Map<string, ShownPointer>()
    for (const [clientId, state] of awareness.getStates()) {
      if (clientId === awareness.clientID || clientId === presenceKey || !showingOthers) continue
      const presence = sanitisePresence(state)
      if (!presence || presence.hidden || !presence.cursor) continue
      const [x, y] = presence.cursor
      shown.set(String(clientId), { x, y, name: presence.name, color: presence.color })
    }
    pointers.show(shown)
  }
  // Each of 30 pointers moving at 10 Hz is 300 changes a second: they are shown together, at the
  // rate pointers are sent (no one sends faster).
  const showOthersSoon = () => {
    later ??= setTimeout(showOthers, Math.max(0, shownAt + PRESENCE_INTERVAL_MS - performance.now()))
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
      pointers.show(new Map())
      if (timer) clearTimeout(timer)
      awareness.setLocalState(null)
    },
  }
}
