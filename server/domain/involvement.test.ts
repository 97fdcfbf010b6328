import { describe, expect, it } from 'vitest'
import { hashToken } from './tokens.ts'
import { newSigningKeyDer, participantMarker, signInvolvement, signingKeysFromDer, verifyInvolvement } from './involvement.ts'

describe('involvement codes', () => {
  const keys = signingKeysFromDer(newSigningKeyDer())
  const claim = { recordId: 'AbCdEfGh1234', workshopId: 'w0rkshop-id_1234', day: '2026-03-14', minutes: 90 }

  it('round-trips a signed claim, with the workshop sealed (its id is its join link)', () => {
    const code = signInvolvement(claim, keys)
    expect(code.startsWith('P2.')).toBe(true)
    expect(code).not.toContain(claim.workshopId)
    expect(verifyInvolvement(code, keys)).toEqual(claim)
    // Codes made before the workshop was sealed still check.
    const parts = code.split('.')
    parts[0] = 'P1'
    parts[2] = claim.workshopId
    expect(verifyInvolvement(parts.join('.'), keys)).toEqual(claim)
  })

  it('refuses a code whose minutes, day or workshop were changed', () => {
    const code = signInvolvement(claim, keys)
    const parts = code.split('.')
    const otherWorkshop = signInvolvement({ ...claim, workshopId: 'another-workshop' }, keys).split('.')[2]!
    for (const [index, value] of [
      [4, '900'],
      [3, '20260315'],
      [2, otherWorkshop],
    ] as const) {
      const forged = [...parts]
      forged[index] = value
      expect(verifyInvolvement(forged.join('.'), keys)).toBeNull()
    }
  })

  it('refuses a code signed with another key, and rubbish', () => {
    const other = signingKeysFromDer(newSigningKeyDer())
    expect(verifyInvolvement(signInvolvement(claim, other), keys)).toBeNull()
    for (const junk of ['', 'P1', 'P1.a.b.c.d.e', 'x'.repeat(500), `P1.${'A'.repeat(12)}.${'B'.repeat(16)}.20260314.0.${'C'.repeat(86)}`])
      expect(verifyInvolvement(junk, keys)).toBeNull()
  })

  it('makes markers that differ per use and cannot be made from the stored token hash', () => {
    const token = 'secret-token'
    const checkout = participantMarker('checkout', 'w1', token)
    expect(participantMarker('involvement', 'w1', token)).not.toBe(checkout)
    expect(participantMarker('checkout', 'w2', token)).not.toBe(checkout)
    expect(participantMarker('checkout', 'w1', hashToken(token))).not.toBe(checkout)
    expect(participantMarker('checkout', 'w1', token)).toBe(checkout)
  })
})
