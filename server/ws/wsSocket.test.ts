import { describe, expect, it } from 'vitest'
import { fitCloseReason } from './wsSocket.ts'

describe('fitCloseReason', () => {
  it('keeps short reasons and cuts long ones to 123 bytes of UTF-8', () => {
    expect(fitCloseReason('read-only')).toBe('read-only')
    const long = fitCloseReason(`not a valid tldraw record: ${'é'.repeat(200)}`)
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123)
    expect(long.endsWith('…')).toBe(true)
  })
})
