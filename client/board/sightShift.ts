/** A box in page pixels (a DOMRect fits). */
export interface ScreenBox {
  left: number
  right: number
  top: number
  bottom: number
}

/**
 * How far (page px, + is down) to slide the view so a chosen card is clear of what floats over
 * the board (`covers`), as far as its top stays in sight: on a phone with large text, the card that
 * had the keyboard focus sat under the tools and the panel's button (WCAG 2.4.11). Only covers
 * over the card's column count; one in the top half pushes it down, the rest push it up.
 * `dockedRoom`: the room a panel docked under the card needs below it (null: not docked); short
 * of that, the card goes to the top of the free band. Otherwise 0: a card in plain sight stays put.
 */
export function sightShift(card: ScreenBox, canvas: ScreenBox, covers: readonly ScreenBox[], dockedRoom: number | null, margin: number): number {
  let freeTop = canvas.top + margin
  let freeBottom = canvas.bottom - margin
  const canvasMiddle = (canvas.top + canvas.bottom) / 2
  for (const cover of covers) {
    if (cover.right <= cover.left || cover.right <= card.left || cover.left >= card.right) continue
    if ((cover.top + cover.bottom) / 2 < canvasMiddle) freeTop = Math.max(freeTop, cover.bottom + margin)
    else freeBottom = Math.min(freeBottom, cover.top - margin)
  }
  const cramped = dockedRoom !== null && card.bottom + dockedRoom > freeBottom
  if (card.top < freeTop || cramped) return freeTop - card.top
  if (card.bottom > freeBottom) return -Math.min(card.bottom - freeBottom, card.top - freeTop)
  return 0
}
