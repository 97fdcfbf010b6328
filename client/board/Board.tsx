import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, createTLStore, defaultShapeUtils, Tldraw, type Editor, type TLRecord, type TLStore } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import 'tldraw/tldraw.css'
import type { StateView } from '../../shared/stateDoc.ts'
import { pageSettings } from '../config.ts'
import { saveBlob } from '../download.ts'
import { myPresenceIdentity } from '../session.ts'
import { bindBoard, boardRecords } from '../sync/bindBoard.ts'
import { bindPresence, type PresenceControls } from '../sync/bindPresence.ts'
import type { DocConnection } from '../sync/useWorkshopSync.ts'
import { IdeaCardShapeUtil, IdeaLookupContext, setIdeaLookup, type IdeaLookup } from './IdeaCardShape.tsx'

// Fonts, icons and translations come from our own server, never a CDN.
const assetUrls = getAssetUrlsByImport()
const shapeUtils = [IdeaCardShapeUtil]
const HIDE_CURSOR_KEY = 'parity:hide-cursor'

/** The tldraw canvas bound to the workshop's board doc. Loaded only when someone opens it. */
export default function Board({ board, view }: { board: DocConnection; view: StateView }) {
  const records = useMemo(() => boardRecords(board.doc), [board.doc])
  const store = useMemo<TLStore>(() => {
    // No current user: tldraw then writes no attribution (names, ids) into any shape.
    const created = createTLStore({ shapeUtils: [...defaultShapeUtils, ...shapeUtils], users: { currentUser: atom('no user', null) } })
    // Load the shared board before tldraw mounts, so it never invents a page of its own.
    created.mergeRemoteChanges(() => {
      const initial = [...records.entries()].map(([, record]) => record)
      try {
        created.put(initial)
      } catch {
        for (const record of initial) {
          try {
            created.put([record])
          } catch {
            // A record tldraw cannot validate is left out; the rest of the board still loads.
          }
        }
      }
    })
    return created
  }, [records])
  const presence = useRef<PresenceControls | null>(null)
  const editorRef = useRef<Editor | null>(null)
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDE_CURSOR_KEY) === 'true')
  const lookup = useMemo<IdeaLookup>(
    () => ({ ideas: new Map(view.ideas.map((idea) => [idea.ideaId, idea])), sections: new Map(view.sections.map((s) => [s.sectionId, s])) }),
    [view],
  )
  setIdeaLookup(lookup)

  useEffect(() => bindBoard(store, board.doc, records), [store, board.doc, records])
  useEffect(() => () => presence.current?.stop(), [])

  const onMount = (editor: Editor) => {
    editorRef.current = editor
    editor.user.updateUserPreferences({ animationSpeed: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1 })
    presence.current = bindPresence(editor, board.provider.awareness, myPresenceIdentity(), hidden)
    // Start with every section in view; sections are bigger than a screen.
    editor.zoomToFit({ animation: { duration: 0 } })
  }

  /** The board as a picture, made by tldraw's own exporter, in the browser. */
  const savePicture = async (format: 'png' | 'svg') => {
    const editor = editorRef.current
    if (!editor) return
    const ids = [...editor.getCurrentPageShapeIds()]
    if (ids.length === 0) return
    if (format === 'svg') {
      const result = await editor.getSvgString(ids, { background: true })
      if (result) saveBlob(new Blob([result.svg], { type: 'image/svg+xml' }), 'board.svg')
    } else {
      const result = await editor.toImage(ids, { format: 'png', background: true, pixelRatio: 2 })
      saveBlob(result.blob, 'board.png')
    }
  }

  const toggleCursor = () => {
    const next = !hidden
    setHidden(next)
    localStorage.setItem(HIDE_CURSOR_KEY, String(next))
    presence.current?.setHidden(next)
  }

  return (
    <div className="board-wrap">
      <div className="board-tools">
        <button type="button" aria-pressed={hidden} onClick={toggleCursor}>
          {hidden ? 'Show my pointer to others' : 'Hide my pointer from others'}
        </button>
        <button type="button" onClick={() => savePicture('png')}>
          Save board as picture (PNG)
        </button>
        <button type="button" onClick={() => savePicture('svg')}>
          Save as SVG
        </button>
      </div>
      <div className="board-canvas">
        <IdeaLookupContext.Provider value={lookup}>
          <Tldraw store={store} shapeUtils={shapeUtils} assetUrls={assetUrls} onMount={onMount} licenseKey={pageSettings.tldrawLicenseKey ?? undefined} />
        </IdeaLookupContext.Provider>
      </div>
    </div>
  )
}

export type { TLRecord }
