/** The open side panel ("Sections and tools"), which floats over the board's right side. */
export const SIDE_PANEL_BODY = '.floating-panel-body'

/**
 * How far in from the board's right edge the open side panel reaches, in screen pixels (0 when it
 * is folded away). Whatever must be seen on the board fits in the part it leaves clear.
 */
export function sidePanelCover(board: DOMRect): number {
  const panel = document.querySelector(`${SIDE_PANEL_BODY}:not([hidden])`)?.getBoundingClientRect()
  return panel && panel.width > 0 ? Math.max(0, board.right - panel.left) : 0
}
