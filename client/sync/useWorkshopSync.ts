import { useEffect, useState } from 'react'
import { WebsocketProvider } from 'y-websocket'
import { sendOwnPresenceOnly } from './ownPresenceOnly.ts'
import * as Y from 'yjs'
import { CloseCode, FINAL_CLOSE_CODES } from '../../shared/closeCodes.ts'
import { DocName } from '../../shared/docs.ts'
import { websocketBase } from '../config.ts'

export type ConnectionState = 'online' | 'reconnecting' | 'offline'

export interface DocConnection {
  doc: Y.Doc
  provider: WebsocketProvider
}

export type WorkshopSync =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; board: DocConnection; state: DocConnection; connection: ConnectionState }

const FINAL_MESSAGES: Record<number, string> = {
  [CloseCode.unauthorized]: 'This device’s key for the workshop is no longer valid. Please join again.',
  [CloseCode.forbidden]: 'This key belongs to a different workshop. Please join again from your link.',
  [CloseCode.workshopDeleted]: 'This workshop has been deleted. Everything in it is gone.',
}

/**
 * Opens the workshop's two docs. Ready once both have synced with the server at least once;
 * afterwards the status only reports the connection, and edits keep working offline.
 */
export function useWorkshopSync(workshopId: string, token: string | null): WorkshopSync {
  const [sync, setSync] = useState<WorkshopSync>({ status: 'loading' })

  useEffect(() => {
    if (!token) {
      setSync({ status: 'error', message: 'You have not joined this workshop on this device yet.' })
      return
    }
    setSync({ status: 'loading' })
    const open = (name: DocName): DocConnection => {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(`${websocketBase()}/${workshopId}`, name, doc, { params: { token }, maxBackoffTime: 5000 })
      sendOwnPresenceOnly(provider)
      return { doc, provider }
    }
    const board = open(DocName.board)
    const state = open(DocName.state)
    let ready = false
    let failed = false

    const connection = (): ConnectionState => {
      if (!navigator.onLine) return 'offline'
      return board.provider.wsconnected && state.provider.wsconnected ? 'online' : 'reconnecting'
    }
    const refresh = () => {
      if (failed) return
      if (!ready && board.provider.synced && state.provider.synced) ready = true
      if (ready) setSync({ status: 'ready', board, state, connection: connection() })
    }
    const onClose = (event: CloseEvent | null) => {
      if (!event || !FINAL_CLOSE_CODES.has(event.code)) return refresh()
      failed = true
      board.provider.disconnect()
      state.provider.disconnect()
      setSync({ status: 'error', message: FINAL_MESSAGES[event.code] ?? 'The workshop refused the connection.' })
    }
    for (const { provider } of [board, state]) {
      provider.on('sync', refresh)
      provider.on('status', refresh)
      provider.on('connection-close', onClose)
    }
    window.addEventListener('online', refresh)
    window.addEventListener('offline', refresh)
    return () => {
      window.removeEventListener('online', refresh)
      window.removeEventListener('offline', refresh)
      for (const { doc, provider } of [board, state]) {
        provider.destroy()
        doc.destroy()
      }
    }
  }, [workshopId, token])

  return sync
}
