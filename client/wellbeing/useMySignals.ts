import { useCallback, useEffect, useState } from 'react'
import type { MySignals, SignalKind } from '../../shared/intents.ts'
import { callApi, type ApiResult } from '../api.ts'

export interface MySignalsState {
  pauseRequested: boolean
  moreTimeRequested: boolean
  /** Add to Date.now() for the server's clock, which timers are set in. */
  clockOffsetMs: number
  send(kind: SignalKind, on: boolean): Promise<ApiResult<MySignals>>
  /** The facilitator answered everyone's requests (cleared them, paused, or added time). */
  answered(kind: SignalKind): void
}

/**
 * My own "I need a pause" / "I need more time" (the server keeps them in memory only, and
 * publishes a count), and the server clock offset, from one small request at load.
 */
export function useMySignals(workshopId: string, token: string | null): MySignalsState {
  const [signals, setSignals] = useState({ pauseRequested: false, moreTimeRequested: false })
  const [clockOffsetMs, setClockOffsetMs] = useState(0)

  useEffect(() => {
    if (!token) return
    let cancelled = false
    const sentAt = Date.now()
    void callApi<MySignals>(`/api/workshops/${workshopId}/wellbeing/mine`, { token }).then((result) => {
      if (cancelled || !result.ok) return
      // The server read its clock about half-way through the round trip.
      setClockOffsetMs(result.value.serverNow - (sentAt + Date.now()) / 2)
      setSignals({ pauseRequested: result.value.pauseRequested, moreTimeRequested: result.value.moreTimeRequested })
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, token])

  const send = useCallback(
    async (kind: SignalKind, on: boolean) => {
      const result = await callApi<MySignals>(`/api/workshops/${workshopId}/wellbeing/signal`, { body: { signal: kind, on }, token })
      if (result.ok) setSignals({ pauseRequested: result.value.pauseRequested, moreTimeRequested: result.value.moreTimeRequested })
      return result
    },
    [workshopId, token],
  )

  const answered = useCallback((kind: SignalKind) => {
    setSignals((current) => (kind === 'pause' ? { ...current, pauseRequested: false } : { ...current, moreTimeRequested: false }))
  }, [])

  return { ...signals, clockOffsetMs, send, answered }
}
