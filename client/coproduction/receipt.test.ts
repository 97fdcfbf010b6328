import { describe, expect, it } from 'vitest'
import { decodeReceipt, encodeReceipt } from './receipt.ts'

describe('idea receipts', () => {
  it('round-trips, even with spaces and line breaks from printing', () => {
    const receipt = { token: 'tok_-123', ideas: [{ ideaId: 'a1', authorKey: 'k1' }, { ideaId: 'b2', authorKey: 'k2' }] }
    const code = encodeReceipt(receipt)
    expect(code.startsWith('R1.')).toBe(true)
    expect(decodeReceipt(code)).toEqual(receipt)
    expect(decodeReceipt(` ${code.slice(0, 10)}\n${code.slice(10)} `)).toEqual(receipt)
  })

  it('refuses anything else', () => {
    for (const junk of ['', 'R1.', 'R1.!!!', 'R2.e30', `R1.${btoa('{"t":1}')}`, 'hello']) expect(decodeReceipt(junk)).toBeNull()
  })
})
