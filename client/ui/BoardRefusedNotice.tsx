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
