import { useEffect, useState } from 'react'
import type { PublicCommitment } from '../../shared/coproduction.ts'
import { callApi } from '../api.ts'

/**
 * The workshop's commitments, the same list for everyone in it (null until read, or when it
 * could not be: then the page says nothing about promises rather than "none").
 */
export function useCommitments(workshopId: string, token: string | null): PublicCommitment[] | null {
  const [commitments, setCommitments] = useState<PublicCommitment[] | null>(null)
  useEffect(() => {
    if (!token) return setCommitments(null)
    let current = true
    void callApi<{ commitments: PublicCommitment[] }>(`/api/workshops/${workshopId}/commitments`, { token }).then((result) => {
      if (current) setCommitments(result.ok ? result.value.commitments : null)
    })
    return () => {
      current = false
    }
  }, [workshopId, token])
  return commitments
}
