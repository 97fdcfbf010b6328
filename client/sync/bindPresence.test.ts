import type { Editor } from 'tldraw'
import { afterEach, describe, expect, it } from 'vitest'
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { requestedPresenceKey } from '../../shared/presence.ts'
import { bindPresence, type PresenceControls, type ShownPointer } from './bindPresence.ts'

// Only the pointer position is read from the editor; a real one needs a DOM.
const editorPointingAt = (x: number, y: number) => ({ inputs: { getCurrentPagePoint: () => ({ x, y }) } }) as unknown as Editor

/** A presence entry as the server sends it: under `key`, as if from a page with that id. */
function fromServer(to: Awareness, key: number, state: Record<string, unknown>): void {
  const doc = new Y.Doc()
  doc.clientID = key
  const sender = new Awareness(doc)
  sender.setLocalState(state)
  applyAwarenessUpdate(to, encodeAwarenessUpdate(sender, [key]), 'server')
  sender.destroy()
}

describe('bindPresence', () => {
  let controls: PresenceControls | null = null
  afterEach(() => controls?.stop())

  it('asks for a presence key unrelated to its clientID and never draws its own entry under it', async () => {
    const doc = new Y.Doc()
    const awareness = new Awareness(doc)
    let shown: ReadonlyMap<string, ShownPointer> = new Map()
    controls = bindPresence(editorPointingAt(3, 4), awareness, { name: 'Robin', color: '#1f4e79' }, false, { show: (pointers) => (shown = pointers) })
    await new Promise((resolve) => setTimeout(resolve, 20))

    const own = awareness.getLocalState()
    const key = requestedPresenceKey(own)
    expect(own).toMatchObject({ name: 'Robin', cursor: [3, 4] })
    expect(key).not.toBeNull()
    expect(key).not.toBe(doc.clientID)

    // The server sends our own presence back under our key, with someone else's beside it.
    fromServer(awareness, key!, { name: 'Robin', color: '#1f4e79', cursor: [3, 4], hidden: false })
    fromServer(awareness, 4242, { name: 'Sam', color: '#336699', cursor: [9, 9], hidden: false })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect([...shown.values()].map((pointer) => pointer.name)).toEqual(['Sam'])
  })

  it('keeps its key while the page stays on the board (a new name does not change it)', async () => {
    const awareness = new Awareness(new Y.Doc())
    controls = bindPresence(editorPointingAt(0, 0), awareness, { name: 'Robin', color: '#1f4e79' }, false, { show: () => {} })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const first = requestedPresenceKey(awareness.getLocalState())
    controls.setName('Robin R')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(awareness.getLocalState()).toMatchObject({ name: 'Robin R' })
    expect(requestedPresenceKey(awareness.getLocalState())).toBe(first)
  })
})
