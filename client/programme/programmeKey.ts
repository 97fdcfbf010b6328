/** Where this device keeps a programme's key (set by the programme page from its link). */
export const programmeKeyKey = (programmeId: string) => `parity:programme:${programmeId}:key`

/** Whether this device can open the programme page without its link. */
export function hasProgrammeKey(programmeId: string): boolean {
  try {
    return localStorage.getItem(programmeKeyKey(programmeId)) !== null
  } catch {
    return false
  }
}
