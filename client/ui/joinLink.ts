/** The ways into a workshop, worded the same on the facilitator page and the projector. */
export const joinUrlFor = (workshopId: string): string => `${window.location.origin}/w/${workshopId}/join`

/** The short address people type before the code: the host, without "https://". */
export const shortAddress = (): string => window.location.host

/** "K7P-QR2": two halves are easier to read out and copy than six characters in a row. */
export const formatJoinCode = (code: string): string => `${code.slice(0, 3)}-${code.slice(3)}`

/** "K 7 P Q R 2": a screen reader reads each character, not a made-up word. */
export const spokenJoinCode = (code: string): string => code.split('').join(' ')
