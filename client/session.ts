/**
 * What this device remembers per workshop: the participant token (so rejoining restores the
 * same person and budget), the facilitator key, and the chosen pseudonym and colour. Nothing else.
 * The pseudonym and colour are made afresh for each workshop: kept once per device, the same
 * "Curious Finch" in the same colour followed a person through every workshop of a programme
 * (December insider review).
 */
const tokenKey = (workshopId: string) => `parity:${workshopId}:token`
const facilitatorKeyKey = (workshopId: string) => `parity:${workshopId}:facilitator`
const pseudonymKey = (workshopId: string) => `parity:${workshopId}:pseudonym`
const colourKey = (workshopId: string) => `parity:${workshopId}:colour`

const read = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key)
  } catch {
    // Private mode or storage blocked: behave as a fresh device.
    return null
  }
}
const write = (key: string, value: string) => {
  try {
    window.localStorage.setItem(key, value)
  } catch {
    // Storage blocked: the session still works until the tab closes.
  }
}

export const session = {
  participantToken: (workshopId: string) => read(tokenKey(workshopId)),
  setParticipantToken: (workshopId: string, token: string) => write(tokenKey(workshopId), token),
  facilitatorKey: (workshopId: string) => read(facilitatorKeyKey(workshopId)),
  setFacilitatorKey: (workshopId: string, key: string) => write(facilitatorKeyKey(workshopId), key),
  pseudonym: (workshopId: string) => read(pseudonymKey(workshopId)),
  setPseudonym: (workshopId: string, name: string) => write(pseudonymKey(workshopId), name),
  colour: (workshopId: string) => read(colourKey(workshopId)),
  setColour: (workshopId: string, colour: string) => write(colourKey(workshopId), colour),
  /** A token the server refused: joining again gets a new one. */
  forgetParticipantToken: (workshopId: string) => {
    try {
      window.localStorage.removeItem(tokenKey(workshopId))
    } catch {
      // Nothing stored: nothing to forget.
    }
  },
  /** Quick exit on a shared computer: forget everything about this workshop. */
  forgetWorkshop: (workshopId: string) => {
    try {
      window.localStorage.removeItem(tokenKey(workshopId))
      window.localStorage.removeItem(facilitatorKeyKey(workshopId))
    } catch {
      // Nothing stored: nothing to forget.
    }
  },
}

const ADJECTIVES = ['Calm', 'Bright', 'Kind', 'Brave', 'Gentle', 'Quiet', 'Warm', 'Steady', 'Curious', 'Hopeful', 'Patient', 'Thoughtful']
const ANIMALS = ['Otter', 'Heron', 'Badger', 'Robin', 'Hare', 'Owl', 'Fox', 'Wren', 'Seal', 'Deer', 'Swift', 'Finch']
/** Dark enough for white text and 3:1 against white. */
export const PRESENCE_COLOURS = ['#1f4e79', '#8a3b12', '#2e6b30', '#6b2d7a', '#8a1c3c', '#00626b', '#5c4a00', '#3d3d99']

const pick = <T,>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!

export function generatePseudonym(): string {
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)}`
}

export function myPresenceIdentity(workshopId: string): { name: string; color: string } {
  let name = session.pseudonym(workshopId)
  if (!name) {
    name = generatePseudonym()
    session.setPseudonym(workshopId, name)
  }
  let color = session.colour(workshopId)
  if (!color) {
    color = pick(PRESENCE_COLOURS)
    session.setColour(workshopId, color)
  }
  return { name, color }
}
