import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

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
