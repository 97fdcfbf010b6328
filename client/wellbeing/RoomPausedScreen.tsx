import { useEffect, useRef } from 'react'
import { announce } from '../announce/announcer.ts'
import { CalmScreen } from './CalmScreen.tsx'

/** The facilitator paused the room (W5): the same calm screen for everyone, no countdown. */
export function RoomPausedScreen({ workshopId }: { workshopId: string }) {
  return (
    <CalmScreen title="We are taking a break" testId="room-paused" workshopId={workshopId}>
      <p>The workshop will carry on when everyone is ready. There is no rush.</p>
      <p>Anything you were typing is kept. You can get a drink, stretch, or step outside.</p>
    </CalmScreen>
  )
}

/** Says when the room pauses and carries on, to everyone, whatever their announcement choice. */
export function useRoomPauseAnnouncements(paused: boolean | undefined): void {
  const previous = useRef(paused)
  useEffect(() => {
    const before = previous.current
    previous.current = paused
    if (before === undefined || paused === undefined || before === paused) return
    announce(paused ? 'We are taking a break. The workshop will carry on when everyone is ready.' : 'The break is over. We are carrying on.')
  }, [paused])
}
