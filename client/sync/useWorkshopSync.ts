import { useEffect, useState } from 'react'
import { CloseCode, FINAL_CLOSE_CODES } from '../../shared/closeCodes.ts'
import { DocName } from '../../shared/docs.ts'
import { callApi } from '../api.ts'
import { claimEarlyState, openDoc, type DocConnection } from './earlyState.ts'

export type { DocConnection }

/**
 * `not-saving`: the server closed a socket because it cannot store edits now (4503); they wait here.
 * `connecting`: the page shows the state doc from the join response and its socket has not
 * opened yet (never lost, so nothing to announce).
 */
export type ConnectionState = 'online' | 'connecting' | 'reconnecting' | 'offline' | 'not-saving'


/** See `onBoardStatus`: a connection that stays up this long means our changes were taken. */
const BOARD_ACCEPTED_AFTER_MS = 10_000

/**
 * A page drawn from the join response whose state socket has not opened after this long says it
 * is reconnecting (aloud too): changes by others are not reaching it, and "Connecting…" for ever
 * would hide that.
 */
const FIRST_CONNECT_GRACE_MS = 8_000

/** Why the workshop cannot open: this device never joined, its key was refused, the workshop is gone, or it was deleted while open. */
export type SyncFailure = 'not-joined' | 'refused' | 'gone' | 'deleted'

export type WorkshopSync =
  | { status: 'loading' }
  | { status: 'error'; reason: SyncFailure; message: string }
  | {
      status: 'ready'
      board: DocConnection
      state: DocConnection
      connection: ConnectionState
      /**
       * The board doc has synced at least once. The list view needs only the state doc, so the
       * page is ready without it; the canvas waits for it (it must load the shared board before
       * tldraw mounts, or tldraw invents a page of its own).
       */
      boardSynced: boolean
      /**
       * The server refused this device's latest board changes for want of room (4413: the board
       * is full, or this person's share of it is used up). They stay on this device and are sent
       * again on every reconnect; the page says so rather than let them look shared.
       */
      boardRefused: boolean
      /**
       * The server refused a change made here as one no honest gesture should make (4405, 4400:
       * a card grouped, too many of others' shapes removed at once). Sent again on every
       * reconnect it would be refused for ever, so the board was opened afresh as everyone sees
       * it, without that change; the page says so.
       */
      boardReset: boolean
    }

const REFUSED = 'This device’s key for the workshop is no longer valid. Please join again.'
const FINAL_MESSAGES: Record<number, string> = {
  [CloseCode.unauthorized]: REFUSED,
  [CloseCode.forbidden]: 'This key belongs to a different workshop. Please join again from your link.',
  [CloseCode.workshopDeleted]: 'This workshop has been deleted. Everything in it is gone.',
}
/** Board refusals that a reconnect would only repeat (see `boardReset`). */
const BOARD_RESET_CODES: ReadonlySet<number> = new Set([CloseCode.readOnly, CloseCode.badFrame])
const GONE = 'We could not find this workshop. It may have ended, or the link may be wrong.'

/**
 * The server refuses a bad key or a missing workshop before the websocket upgrade (401, 403,
 * 404), so the browser sees only an anonymous close (1006) and y-websocket would retry for ever.
 * After a close, one plain HTTP request with the same key says whether retrying can ever work.
 */
async function checkCredentials(workshopId: string, token: string): Promise<{ reason: SyncFailure; message: string } | null> {
  const result = await callApi(`/api/workshops/${workshopId}/ground-rules`, { token })
  if (result.ok || result.status === 0 || result.status >= 429) return null
  if (result.status === 404) return { reason: 'gone', message: GONE }
  if (result.status === 401) return { reason: 'refused', message: REFUSED }
  if (result.status === 403) return { reason: 'refused', message: FINAL_MESSAGES[CloseCode.forbidden]! }
  return null
}

/**
 * Opens the workshop's two docs. Ready once the state doc has synced with the server at least
 * once, or straight away when it came with the join response (`DocConnection.seeded`; its socket
 * syncs meanwhile). The board follows: see `boardSynced`. Afterwards the status only reports the
 * connection, and edits keep working offline.
 */
export function useWorkshopSync(workshopId: string, token: string | null): WorkshopSync {
  const [sync, setSync] = useState<WorkshopSync>({ status: 'loading' })

  useEffect(() => {
    if (!token) {
      setSync({ status: 'error', reason: 'not-joined', message: 'You have not joined this workshop on this device yet.' })
      return
    }
    setSync({ status: 'loading' })
    // The board connects once the state doc has synced. A browser opens one websocket to a
    // host at a time (RFC 6455 §4.1), and the list view, where phones start, needs only the
    // state doc: its handshake goes first and the board's sync does not compete with its first
    // render. The canvas cannot show before the state doc anyway (it needs the sections).
    // Straight after joining, the state doc is already on its way (`connectStateEarly`).
    const early = claimEarlyState(workshopId, token)
    const state = early ?? openDoc(workshopId, DocName.state, token, true)
    let board = openDoc(workshopId, DocName.board, token, false)
    let ready = false
    let boardSynced = false
    /** The board has been connected once: until then it is still opening, not lost. */
    let boardOpened = false
    /** The same for the state doc, which can be on screen before its socket opens (seeded). */
    let stateOpened = false
    /** The state socket has not opened within FIRST_CONNECT_GRACE_MS of the page showing. */
    let openingSlow = false
    let openingTimer: ReturnType<typeof setTimeout> | undefined
    let failed = false
    let checking = false
    let boardRefused = false
    let boardReset = false
    let storageRefused = false
    let acceptedTimer: ReturnType<typeof setTimeout> | undefined
    let savingTimer: ReturnType<typeof setTimeout> | undefined

    const connection = (): ConnectionState => {
      if (!navigator.onLine) return 'offline'
      if (storageRefused) return 'not-saving'
      if (!stateOpened) return openingSlow ? 'reconnecting' : 'connecting'
      const boardLost = boardOpened && !board.provider.wsconnected
      return state.provider.wsconnected && !boardLost ? 'online' : 'reconnecting'
    }
    const refresh = () => {
      if (failed) return
      // The board connects once the ready page is on screen (the effect below).
      if (!ready && (state.provider.synced || state.seeded)) {
        ready = true
        openingTimer = setTimeout(() => {
          openingSlow = true
          refresh()
        }, FIRST_CONNECT_GRACE_MS)
      }
      if (state.provider.wsconnected) {
        stateOpened = true
        clearTimeout(openingTimer)
      }
      if (board.provider.synced) boardSynced = true
      if (board.provider.wsconnected) boardOpened = true
      if (ready) setSync({ status: 'ready', board, state, connection: connection(), boardSynced, boardRefused, boardReset })
    }
    const onBoardStatus = ({ status }: { status: string }) => {
      clearTimeout(acceptedTimer)
      // A refusal comes within moments of connecting (our changes go out at once): a board
      // connection that stays up this long means they were taken.
      if (status === 'connected' && boardRefused)
        acceptedTimer = setTimeout(() => {
          boardRefused = false
          refresh()
        }, BOARD_ACCEPTED_AFTER_MS)
    }
    const onBoardClose = (event: CloseEvent | null) => {
      // After y-websocket's own close handling, not inside it; before its reconnect (≥ 100 ms).
      if (event && BOARD_RESET_CODES.has(event.code)) return queueMicrotask(resetBoard)
      if (event?.code !== CloseCode.tooLarge) return
      clearTimeout(acceptedTimer)
      boardRefused = true
      refresh()
    }
    const watchBoard = () => {
      board.provider.on('sync', refresh)
      board.provider.on('status', refresh)
      board.provider.on('status', onStatus)
      board.provider.on('connection-close', onClose)
      board.provider.on('status', onBoardStatus)
      board.provider.on('connection-close', onBoardClose)
    }
    const resetBoard = () => {
      if (failed) return
      board.provider.destroy()
      board.doc.destroy()
      board = openDoc(workshopId, DocName.board, token, true)
      boardSynced = false
      boardOpened = false
      boardRefused = false
      boardReset = true
      watchBoard()
      refresh()
    }
    const fail = (failure: { reason: SyncFailure; message: string }) => {
      if (failed) return
      failed = true
      board.provider.disconnect()
      state.provider.disconnect()
      setSync({ status: 'error', ...failure })
    }
    const onStatus = ({ status }: { status: string }) => {
      clearTimeout(savingTimer)
      if (status === 'connected' && storageRefused && board.provider.wsconnected && state.provider.wsconnected)
        savingTimer = setTimeout(() => {
          storageRefused = false
          refresh()
        }, BOARD_ACCEPTED_AFTER_MS)
    }
    const onClose = (event: CloseEvent | null) => {
      if (event && FINAL_CLOSE_CODES.has(event.code))
        return fail({ reason: event.code === CloseCode.workshopDeleted ? 'deleted' : 'refused', message: FINAL_MESSAGES[event.code] ?? REFUSED })
      if (event?.code === CloseCode.storageUnavailable) {
        clearTimeout(savingTimer)
        storageRefused = true
      }
      refresh()
      // Offline, or a check already on its way: nothing new to learn.
      if (failed || checking || !navigator.onLine) return
      checking = true
      void checkCredentials(workshopId, token).then((failure) => {
        checking = false
        if (failure) fail(failure)
      })
    }
    state.provider.on('sync', refresh)
    state.provider.on('status', refresh)
    state.provider.on('status', onStatus)
    state.provider.on('connection-close', onClose)
    watchBoard()
    window.addEventListener('online', refresh)
    window.addEventListener('offline', refresh)
    // An early state doc may have synced before these listeners were added, or been closed for
    // good (y-websocket then stops retrying): ask again, so that close reaches `onClose`.
    refresh()
    if (early && !early.provider.shouldConnect) early.provider.connect()
    return () => {
      failed = true
      clearTimeout(acceptedTimer)
      clearTimeout(savingTimer)
      clearTimeout(openingTimer)
      window.removeEventListener('online', refresh)
      window.removeEventListener('offline', refresh)
      for (const { doc, provider } of [board, state]) {
        provider.destroy()
        doc.destroy()
      }
    }
  }, [workshopId, token])

  // After the first ready render is committed, not before it: on a slow phone the board's
  // socket and its messages would otherwise delay the list, and so the idea form.
  // Runs once per provider: it stays the same object while the workshop is open.
  const readyBoard = sync.status === 'ready' ? sync.board.provider : null
  useEffect(() => {
    readyBoard?.connect()
  }, [readyBoard])

  return sync
}
