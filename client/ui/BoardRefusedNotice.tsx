import { useState } from 'react'

/**
 * Said plainly when the server has no room for this person's latest board changes: they are
 * kept on this device and sent again, never silently dropped.
 */
export function BoardRefusedNotice() {
  return (
    <div className="notice" role="status" data-testid="board-refused">
      <p>
        <strong>Your latest changes to the board are not shared yet.</strong> The board is full, or you have added as much as one person can. Your changes
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
  if (dismissed) return null
  return (
    <div className="notice" role="status" data-testid="board-reset">
      <p>
        <strong>Your last change to the board could not be kept.</strong> The board now shows what everyone else sees. Cards can be moved, but not grouped or
        deleted, and only a few things others added can be removed at a time.
      </p>
      <button type="button" onClick={() => setDismissed(true)}>
        OK
      </button>
    </div>
  )
}
