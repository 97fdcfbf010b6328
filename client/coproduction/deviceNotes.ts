import { workshopKeyPrefix } from '../leave/deviceData.ts'

/**
 * What this device remembers about the end of a workshop: that the check-out was answered, and
 * the involvement record (its code holds nothing about what the person said), or that they
 * said no to one. Kept under the workshop's prefix, so "Leave" forgets it with the rest.
 */
const key = (workshopId: string, what: 'checked-out' | 'involvement' | 'receipt-shown') => `${workshopKeyPrefix(workshopId)}${what}`

export const deviceNotes = {
  read(workshopId: string, what: 'checked-out' | 'involvement' | 'receipt-shown'): string | null {
    try {
      return localStorage.getItem(key(workshopId, what))
    } catch {
      // Storage blocked: behave as a fresh device.
      return null
    }
  },
  write(workshopId: string, what: 'checked-out' | 'involvement' | 'receipt-shown', value: string): void {
    try {
      localStorage.setItem(key(workshopId, what), value)
    } catch {
      // Storage blocked: the answer is saved on the server all the same.
    }
  },
}
