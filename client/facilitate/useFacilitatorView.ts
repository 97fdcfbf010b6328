import { useCallback, useEffect, useState } from 'react'
import type { FacilitatorView } from '../../shared/intents.ts'
import { callApi } from '../api.ts'

/** How often the overview is fetched again, so the headcount stays live without a reload. */
const REFRESH_MS = 5_000

/** The facilitator's overview: join code, mode, door and counts (never who is who). */
export function useFacilitatorView(workshopId: string, facilitatorKey: string | null): { view: FacilitatorView | null; refresh: () => void } {
  const [view, setView] = useState<FacilitatorView | null>(null)
  const refresh = useCallback(() => {
    if (!facilitatorKey) return
    void callApi<FacilitatorView>(`/api/workshops/${workshopId}/facilitator`, { token: facilitatorKey }).then((result) => {
      if (result.ok) setView(result.value)
    })
  }, [workshopId, facilitatorKey])
  useEffect(() => {
    refresh()
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refresh()
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [refresh])
  return { view, refresh }
}
