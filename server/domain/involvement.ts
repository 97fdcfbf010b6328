import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'

/**
 * Involvement records: a code a participant hands, with their name, to whoever pays involvement
 * fees. The code carries what it vouches for (record id, workshop, day, minutes) and an Ed25519
 * signature over exactly those fields, so changing any of them, or making one up, fails
 * verification without the server's private key. Nothing about what the person said or voted.
 *
 * Format: `P1.<recordId>.<workshopId>.<YYYYMMDD>.<minutes>.<signature base64url>`
 */
export const INVOLVEMENT_CODE_VERSION = 'P1'
const SIGNED_LABEL = 'parity:involvement-record:v1'

export interface InvolvementClaim {
  recordId: string
  workshopId: string
  /** YYYY-MM-DD */
  day: string
  minutes: number
}

const ID = /^[A-Za-z0-9_-]{8,32}$/
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/

const signedBytes = (claim: InvolvementClaim) =>
  Buffer.from([SIGNED_LABEL, claim.recordId, claim.workshopId, claim.day, String(claim.minutes)].join('\n'), 'utf8')

export function signInvolvement(claim: InvolvementClaim, privateKey: KeyObject): string {
  const signature = sign(null, signedBytes(claim), privateKey).toString('base64url')
  return [INVOLVEMENT_CODE_VERSION, claim.recordId, claim.workshopId, claim.day.replaceAll('-', ''), String(claim.minutes), signature].join('.')
}

/** The claim in a code, if the code is well formed and its signature holds; otherwise null. */
export function verifyInvolvement(code: string, publicKey: KeyObject): InvolvementClaim | null {
  const parts = code.trim().split('.')
  if (parts.length !== 6) return null
  const [version, recordId, workshopId, compactDay, minutesText, signature] = parts as [string, string, string, string, string, string]
  if (version !== INVOLVEMENT_CODE_VERSION || !ID.test(recordId) || !ID.test(workshopId)) return null
  const day = COMPACT_DAY.exec(compactDay)
  if (!day || !/^[1-9]\d{0,3}$/.test(minutesText) || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return null
  const claim: InvolvementClaim = { recordId, workshopId, day: `${day[1]}-${day[2]}-${day[3]}`, minutes: Number(minutesText) }
  try {
    return verify(null, signedBytes(claim), publicKey, Buffer.from(signature, 'base64url')) ? claim : null
  } catch {
    return null
  }
}

export interface SigningKeys {
  privateKey: KeyObject
  publicKey: KeyObject
}

export function newSigningKeyDer(): Buffer {
  const { privateKey } = generateKeyPairSync('ed25519')
  return privateKey.export({ format: 'der', type: 'pkcs8' })
}

export function signingKeysFromDer(der: Buffer): SigningKeys {
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  return { privateKey, publicKey: createPublicKey(privateKey) }
}

/**
 * "Has this participant already done X in this workshop", without storing anything a copy of the
 * database could tie to them: an HMAC of the raw token (the database holds only SHA-256 of it)
 * under a label per use, so markers for different uses do not match each other either.
 */
export const participantMarker = (label: 'checkout' | 'involvement', workshopId: string, token: string): string =>
  createHmac('sha256', `parity:${label}-marker:v1`).update(`${workshopId}\n${token}`).digest('hex')
