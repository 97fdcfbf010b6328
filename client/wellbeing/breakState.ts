import { useCallback, useState } from 'react'
import { workshopKeyPrefix } from '../leave/deviceData.ts'

const key = (workshopId: string) => `${workshopKeyPrefix(workshopId)}on-break`

/** A personal break (W6), kept for this tab so a reload does not end it. Nobody else is told. */
export function useOnBreak(workshopId: string): [boolean, (onBreak: boolean) => void] {
  const [onBreak, setOnBreakState] = useState(() => {
    try {
      return sessionStorage.getItem(key(workshopId)) === 'true'
    } catch {
      // Storage blocked: start not on a break.
      return false
    }
  })
  const setOnBreak = useCallback(
    (value: boolean) => {
      setOnBreakState(value)
      try {
        if (value) sessionStorage.setItem(key(workshopId), 'true')
        else sessionStorage.removeItem(key(workshopId))
      } catch {
        // Storage blocked: the break lasts until the tab closes.
      }
    },
    [workshopId],
  )
  return [onBreak, setOnBreak]
}
