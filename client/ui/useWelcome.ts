import { useEffect, useState } from 'react'
import type { WelcomeInfo } from '../../shared/intents.ts'
import { callApi } from '../api.ts'

/** `missing`: the server says there is no such workshop (deleted, or a wrong link), not a passing failure. */
export type WelcomeLoad = { status: 'loading' } | { status: 'ready'; welcome: WelcomeInfo } | { status: 'error'; message: string; missing: boolean }

/** Title, content note and support contacts, readable before joining. `refreshKey` re-asks. */
export function useWelcome(workshopId: string | null, refreshKey: unknown = null): WelcomeLoad {
  const [load, setLoad] = useState<WelcomeLoad>({ status: 'loading' })
  useEffect(() => {
    if (!workshopId) return
    let cancelled = false
    void callApi<WelcomeInfo>(`/api/workshops/${workshopId}/welcome`).then((result) => {
      if (!cancelled) setLoad(result.ok ? { status: 'ready', welcome: result.value } : { status: 'error', message: result.message, missing: result.status === 404 })
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, refreshKey])
  return load
}
