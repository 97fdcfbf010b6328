import { useCallback, useEffect, useState } from 'react'
import type { RetentionInfo } from '../../shared/retention.ts'
import { callApi } from '../api.ts'
import { lifecyclePath, type LifecycleTarget } from './lifecycleTarget.ts'

/** The deletion day of a workshop (anyone in it may ask) or of a programme (its lead). */
export function useRetention(
  id: string,
  token: string | null,
  kind: LifecycleTarget['kind'] = 'workshop',
): { info: RetentionInfo | null; set: (info: RetentionInfo) => void; refresh: () => Promise<void> } {
  const [info, setInfo] = useState<RetentionInfo | null>(null)
  const refresh = useCallback(async () => {
    if (!token) return
    const result = await callApi<RetentionInfo>(`${lifecyclePath({ kind, id })}/retention`, { token })
    if (result.ok) setInfo(result.value)
  }, [id, token, kind])
  useEffect(() => {
    void refresh()
  }, [refresh])
  return { info, set: setInfo, refresh }
}
