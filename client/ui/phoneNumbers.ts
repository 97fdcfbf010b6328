/** Where a support line has a number to call or text, so it can be one tap on a phone. */
export type LinePart = { text: string } | { text: string; href: string }

const NUMBER = /\+?\d[\d \-]*\d/g
/** "call 999", "ring: 111", "text SHOUT to 85258": a short number counts only after words like these. */
const CALL_BEFORE = /\b(call|ring|phone|tel|telephone|on)\b[\s:]*$/i
const TEXT_BEFORE = /\btext\b[^.]*\bto\s*$/i

/**
 * Splits a line into text and number links. Long numbers (6+ digits) always count; shorter ones
 * ("999", "111") only after "call" or "text … to", so "Room 204" stays text.
 */
export function splitPhoneNumbers(line: string): LinePart[] {
  const parts: LinePart[] = []
  let last = 0
  for (const match of line.matchAll(NUMBER)) {
    const start = match.index
    const number = match[0]
    const digits = number.replace(/\D/g, '')
    const before = line.slice(Math.max(0, start - 40), start)
    const texting = TEXT_BEFORE.test(before)
    if (digits.length < 3 || (digits.length < 6 && !texting && !CALL_BEFORE.test(before))) continue
    if (start > last) parts.push({ text: line.slice(last, start) })
    const dial = (number.startsWith('+') ? '+' : '') + digits
    parts.push({ text: number, href: texting ? `sms:${dial}` : `tel:${dial}` })
    last = start + number.length
  }
  if (last < line.length) parts.push({ text: line.slice(last) })
  return parts
}
