import { useEffect, useState } from 'react'
import { announce } from '../announce/announcer.ts'

/**
 * Said plainly when the server has no room for this person's latest board changes: they are
 * kept on this device and sent again, never silently dropped.
 */
const REFUSED = 'Your latest changes to the board are not shared yet.'
const RESET = 'Your last change to the board could not be kept.'

/** Said through the page's alert region as it happens: a region that appears already filled is often not read. */
const useSaidOnce = (words: string) => useEffect(() => announce(words, 'assertive'), [words])

export function BoardRefusedNotice() {
  useSaidOnce(`${REFUSED} Your changes are kept on this device.`)
  return (
    <div className="notice" data-testid="board-refused">
      <p>
        <strong>{REFUSED}</strong> The board is full, or you have added as much as one person can. Your changes
        are kept on this device. Remove something you added, or ask the facilitator to make room.
      </p>
    </div>
  )
}

/**
 * Said when a change made here was refused outright and the board was opened again as everyone
 * sees it (see `boardReset` in useWorkshopSync): the change is gone, and the person should know.
 */
export function BoardResetNotice() {
  const [dismissed, setDismissed] = useState(false)
  useSaidOnce(`${RESET} The board now shows what everyone else sees.`)
  if (dismissed) return null
  return (
    <div className="notice" data-testid="board-reset">
      <p>
        <strong>{RESET}</strong> The board now shows what everyone else sees. Cards can be moved, but not grouped or
        deleted, and only a few things others added can be removed at a time.
      </p>
      <button type="button" onClick={() => setDismissed(true)}>
        OK
      </button>
    </div>
  )
}
