import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, createTLStore, defaultShapeUtils, Tldraw, type Editor, type TLStore } from 'tldraw'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import 'tldraw/tldraw.css'
import { pageSettings } from '../config.ts'
import { usePageTitle } from '../router.tsx'
import { myPresenceIdentity, session } from '../session.ts'
import { bindBoard, boardRecords } from '../sync/bindBoard.ts'
import { bindPresence, type PresenceControls } from '../sync/bindPresence.ts'
import { useStateView } from '../sync/useStateView.ts'
import { useWorkshopSync, type DocConnection } from '../sync/useWorkshopSync.ts'
import { ConnectionStatus } from '../ui/ConnectionStatus.tsx'
import { ErrorPanel } from '../ui/ErrorPanel.tsx'
import { Loading } from '../ui/Loading.tsx'

// Fonts, icons and translations come from our own server, never a CDN.
const assetUrls = getAssetUrlsByImport()
const HIDE_CURSOR_KEY = 'parity:hide-cursor'

export default function BoardPage({ workshopId }: { workshopId: string }) {
  const token = session.participantToken(workshopId) ?? session.facilitatorKey(workshopId)
  const sync = useWorkshopSync(workshopId, token)
  const view = useStateView(sync.status === 'ready' ? sync.state.doc : null)
  usePageTitle(view?.workshop?.title ?? 'Workshop board')

  if (sync.status === 'loading') return <Loading label="Connecting to the workshop…" />
  if (sync.status === 'error')
    return (
      <main className="page narrow" id="main">
        <h1>We could not open the board</h1>
        <ErrorPanel title={sync.message}>
          <p>
            <a className="button primary" href={`/w/${workshopId}/join`}>
              Join the workshop
            </a>
          </p>
        </ErrorPanel>
      </main>
    )

  return (
    <div className="board-layout">
      <header className="board-header">
        <h1>{view?.workshop?.title ?? 'Workshop'}</h1>
        <ConnectionStatus state={sync.connection} />
      </header>
      <main className="board-main" id="main">
        <Board board={sync.board} />
      </main>
    </div>
  )
}

function Board({ board }: { board: DocConnection }) {
  const store = useMemo<TLStore>(
    // No current user: tldraw then writes no attribution (names, ids) into any shape.
    () => createTLStore({ shapeUtils: defaultShapeUtils, users: { currentUser: atom('no user', null) } }),
    [],
  )
  const presence = useRef<PresenceControls | null>(null)
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDE_CURSOR_KEY) === 'true')

  useEffect(() => bindBoard(store, board.doc, boardRecords(board.doc)), [store, board.doc])
  useEffect(() => () => presence.current?.stop(), [])

  const onMount = (editor: Editor) => {
    editor.user.updateUserPreferences({ animationSpeed: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : 1 })
    presence.current = bindPresence(editor, board.provider.awareness, myPresenceIdentity(), hidden)
  }

  const toggleCursor = () => {
    const next = !hidden
    setHidden(next)
    localStorage.setItem(HIDE_CURSOR_KEY, String(next))
    presence.current?.setHidden(next)
  }

  return (
    <>
      <div className="board-tools">
        <button type="button" aria-pressed={hidden} onClick={toggleCursor}>
          {hidden ? 'Show my pointer to others' : 'Hide my pointer from others'}
        </button>
      </div>
      <div className="board-canvas">
        <Tldraw store={store} assetUrls={assetUrls} onMount={onMount} licenseKey={pageSettings.tldrawLicenseKey ?? undefined} />
      </div>
    </>
  )
}
