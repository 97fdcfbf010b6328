import { describe, expect, it } from 'vitest'
import { hashesEqual, hashToken, JOIN_CODE_ALPHABET, newJoinCode, newToken, normaliseJoinCode } from './tokens.ts'

describe('tokens', () => {
  it('makes 256-bit URL-safe tokens that never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newToken))
    expect(tokens.size).toBe(1000)
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32)
  })

  it('hashes deterministically and compares hashes safely', () => {
    const token = newToken()
    expect(hashToken(token)).toBe(hashToken(token))
    expect(hashToken(token)).not.toContain(token)
    expect(hashesEqual(hashToken(token), hashToken(token))).toBe(true)
    expect(hashesEqual(hashToken(token), hashToken(newToken()))).toBe(false)
    expect(hashesEqual(hashToken(token), 'abc')).toBe(false)
  })

  it('makes join codes without look-alike characters and reads them back loosely', () => {
    for (let i = 0; i < 200; i++) {
      const code = newJoinCode()
      expect(code).toHaveLength(6)
      for (const char of code) expect(JOIN_CODE_ALPHABET).toContain(char)
    }
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01IOL]/)
    expect(normaliseJoinCode(' k7p-qr2 ')).toBe('K7PQR2')
  })
})
