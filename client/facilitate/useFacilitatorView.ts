import { useCallback, useEffect, useState } from 'react'
import type { FacilitatorView } from '../../shared/intents.ts'
import { callApi } from '../api.ts'

/** The facilitator's overview: join code, mode and counts (never who is who). */
export function useFacilitatorView(workshopId: string, facilitatorKey: string | null): { view: FacilitatorView | null; refresh: () => void } {
  const [view, setView] = useState<FacilitatorView | null>(null)
  const refresh = useCallback(() => {
    if (!facilitatorKey) return
    void callApi<FacilitatorView>(`/api/workshops/${workshopId}/facilitator`, { token: facilitatorKey }).then((result) => {
      if (result.ok) setView(result.value)
    })
  }, [workshopId, facilitatorKey])
  useEffect(refresh, [refresh])
  return { view, refresh }
}
