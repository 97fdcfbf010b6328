import { useCallback, useEffect, useState } from 'react'
import type { RetentionInfo } from '../../shared/retention.ts'
import { callApi } from '../api.ts'

/** The workshop's deletion day, for anyone in it (facilitator or participant). */
export function useRetention(workshopId: string, token: string | null): { info: RetentionInfo | null; set: (info: RetentionInfo) => void; refresh: () => Promise<void> } {
  const [info, setInfo] = useState<RetentionInfo | null>(null)
  const refresh = useCallback(async () => {
    if (!token) return
    const result = await callApi<RetentionInfo>(`/api/workshops/${workshopId}/retention`, { token })
    if (result.ok) setInfo(result.value)
  }, [workshopId, token])
  useEffect(() => {
    void refresh()
  }, [refresh])
  return { info, set: setInfo, refresh }
}
