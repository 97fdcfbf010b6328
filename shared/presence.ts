import { withoutHiddenChars } from './text.ts'
/**
 * What one participant's presence may say to others. The server rebuilds every awareness
 * state from these fields only, so nothing else (ids, typing, selection) can leak through it.
 */
export interface Presence {
  /** Pseudonym chosen or generated on the device; never stored by the server. */
  name: string
  /** `#rrggbb` */
  color: string
  /** Page point of the cursor, or null when off the canvas or hidden. */
  cursor: [number, number] | null
  /** The participant chose to hide their cursor. */
  hidden: boolean
}

export const PSEUDONYM_MAX_CHARS = 40

/**
 * Presence is shown under a key the page picks, not under its Yjs clientID: every board change
 * carries the clientID of the page that made it, so presence under that id told every peer which
 * nickname made each note and move. The page sends its key in its state (`presenceKey`); the
 * server files the presence under it and never passes the field on. A page ignores the entry
 * under its own key: that is itself.
 */
export interface PresenceKeyed {
  presenceKey: number
}

/** A fresh key for one page's presence: random, never 0 (an unsigned 32-bit id, as Yjs uses). */
export function newPresenceKey(): number {
  const [value] = crypto.getRandomValues(new Uint32Array(1))
  return value! || 1
}

/** The key a state asks to be filed under, if it names a valid one. */
export function requestedPresenceKey(input: unknown): number | null {
  if (typeof input !== 'object' || input === null) return null
  const key = (input as Partial<PresenceKeyed>).presenceKey
  return Number.isInteger(key) && key! > 0 && key! <= 0xffff_ffff ? key! : null
}

const COLOR_PATTERN = /^#[0-9a-f]{6}$/i

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) < 1e7

/** The label on the facilitator's pointer. The server gives it to the facilitator's sockets only. */
export const FACILITATOR_PRESENCE_NAME = 'Facilitator'
// Anyone else whose chosen name claims the role is shown as a guest instead.
const CLAIMS_FACILITATOR = /facilitat/i

/**
 * Returns the allowlisted presence, or null if the input is not a presence at all. `facilitator`
 * says the socket holds the facilitator key: its pointer is labelled so, whatever it sent.
 */
export function sanitisePresence(input: unknown, { facilitator = false }: { facilitator?: boolean } = {}): Presence | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null
  const raw = input as Record<string, unknown>
  const name = typeof raw.name === 'string' ? withoutHiddenChars(raw.name).trim().slice(0, PSEUDONYM_MAX_CHARS) : ''
  const color = typeof raw.color === 'string' && COLOR_PATTERN.test(raw.color) ? raw.color.toLowerCase() : '#6b7280'
  const hidden = raw.hidden === true
  const cursorRaw = raw.cursor
  const cursor =
    !hidden && Array.isArray(cursorRaw) && cursorRaw.length === 2 && finite(cursorRaw[0]) && finite(cursorRaw[1])
      ? ([Math.round(cursorRaw[0]), Math.round(cursorRaw[1])] as [number, number])
      : null
  const shown = facilitator ? FACILITATOR_PRESENCE_NAME : name && !CLAIMS_FACILITATOR.test(name) ? name : 'Guest'
  return { name: shown, color, cursor, hidden }
}
