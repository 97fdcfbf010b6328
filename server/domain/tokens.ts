import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

/** 256-bit bearer secret, URL-safe. Only its hash is ever stored. */
export const newToken = (): string => randomBytes(32).toString('base64url')

/** 96-bit random id; ids are not secrets but must not be guessable in sequence. */
export const newId = (): string => randomBytes(12).toString('base64url')

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

export const hashesEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && timingSafeEqual(left, right)
}

/** No 0/O, 1/I/L: codes are read aloud and typed on phones. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const JOIN_CODE_LENGTH = 6

export const newJoinCode = (): string =>
  Array.from({ length: JOIN_CODE_LENGTH }, () => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]).join('')

/** Upper-cases and strips spaces and dashes people type between groups of characters. */
export const normaliseJoinCode = (input: string): string => input.toUpperCase().replace(/[\s-]/g, '')

/**
 * A secret only the token's holder (and the server while serving them) can compute: the
 * database holds SHA-256(token), and this is an HMAC keyed by the token itself, so no copy of the
 * files yields it.
 */
export const sealKeyOf = (token: string): Buffer => createHmac('sha256', token).update('parity/seal-key/v1').digest()

/**
 * The key under which one person's ballot or answer is stored for one round (`scope` names the
 * round, e.g. `ballot/<workshop>/<section>/<round>`). Different per round, so rounds cannot be
 * linked to each other either.
 */
export const sealedKey = (sealKey: Buffer, scope: string): string => createHmac('sha256', sealKey).update(scope).digest('base64url')
