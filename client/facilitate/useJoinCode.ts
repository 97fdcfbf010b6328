import { useEffect, useState } from 'react'
import { callApi } from '../api.ts'

/** The workshop's join code, for the facilitator to show. */
export function useJoinCode(workshopId: string, facilitatorKey: string | null): string | null {
  const [code, setCode] = useState<string | null>(null)
  useEffect(() => {
    if (!facilitatorKey) return
    let cancelled = false
    void callApi<{ joinCode: string }>(`/api/workshops/${workshopId}/facilitator`, { token: facilitatorKey }).then((result) => {
      if (!cancelled && result.ok) setCode(result.value.joinCode)
    })
    return () => {
      cancelled = true
    }
  }, [workshopId, facilitatorKey])
  return code
}
