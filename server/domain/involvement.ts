import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { openText, sealText } from './sealedText.ts'

/**
 * Involvement records: a code a participant hands, with their name, to whoever pays involvement
 * fees. The code carries what it vouches for (record id, workshop, day, minutes) and an Ed25519
 * signature over exactly those fields, so changing any of them, or making one up, fails
 * verification without the server's private key. Nothing about what the person said or voted.
 *
 * Format: `P2.<recordId>.<sealed workshop>.<YYYYMMDD>.<minutes>.<signature base64url>`. The
 * workshop is sealed (AES-256-GCM under a key made from the signing key): in the clear (`P1`,
 * still accepted) it was the workshop's id, and so its join link, in a code sent by email to a
 * payer, who could then join an open workshop, read it, and take more records (December review).
 */
export const INVOLVEMENT_CODE_VERSION = 'P2'
const LEGACY_VERSION = 'P1'
const SIGNED_LABEL = 'parity:involvement-record:v1'
const WORKSHOP_SCOPE = 'involvement-workshop'

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

export function signInvolvement(claim: InvolvementClaim, keys: Pick<SigningKeys, 'privateKey' | 'workshopKey'>): string {
  const signature = sign(null, signedBytes(claim), keys.privateKey).toString('base64url')
  const workshop = sealText(keys.workshopKey, WORKSHOP_SCOPE, claim.workshopId)
  return [INVOLVEMENT_CODE_VERSION, claim.recordId, workshop, claim.day.replaceAll('-', ''), String(claim.minutes), signature].join('.')
}

/** The claim in a code, if the code is well formed and its signature holds; otherwise null. */
export function verifyInvolvement(code: string, keys: Pick<SigningKeys, 'publicKey' | 'workshopKey'>): InvolvementClaim | null {
  const parts = code.trim().split('.')
  if (parts.length !== 6) return null
  const [version, recordId, workshopPart, compactDay, minutesText, signature] = parts as [string, string, string, string, string, string]
  const workshopId = version === INVOLVEMENT_CODE_VERSION ? openText(keys.workshopKey, WORKSHOP_SCOPE, workshopPart) : version === LEGACY_VERSION ? workshopPart : null
  if (workshopId === null || !ID.test(recordId) || !ID.test(workshopId)) return null
  const day = COMPACT_DAY.exec(compactDay)
  if (!day || !/^[1-9]\d{0,3}$/.test(minutesText) || !/^[A-Za-z0-9_-]{86}$/.test(signature)) return null
  const claim: InvolvementClaim = { recordId, workshopId, day: `${day[1]}-${day[2]}-${day[3]}`, minutes: Number(minutesText) }
  try {
    return verify(null, signedBytes(claim), keys.publicKey, Buffer.from(signature, 'base64url')) ? claim : null
  } catch {
    return null
  }
}

export interface SigningKeys {
  privateKey: KeyObject
  publicKey: KeyObject
  /** Seals the workshop in a code; made from the signing key, so nothing more is stored. */
  workshopKey: Buffer
}

export function newSigningKeyDer(): Buffer {
  const { privateKey } = generateKeyPairSync('ed25519')
  return privateKey.export({ format: 'der', type: 'pkcs8' })
}

export function signingKeysFromDer(der: Buffer): SigningKeys {
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  return { privateKey, publicKey: createPublicKey(privateKey), workshopKey: createHmac('sha256', der).update('parity/involvement-workshop-key/v1').digest() }
}

/**
 * "Has this participant already done X in this workshop", without storing anything a copy of the
 * database could tie to them: an HMAC of the raw token (the database holds only SHA-256 of it)
 * under a label per use, so markers for different uses do not match each other either.
 */
export const participantMarker = (label: 'checkout' | 'involvement', workshopId: string, token: string): string =>
  createHmac('sha256', `parity:${label}-marker:v1`).update(`${workshopId}\n${token}`).digest('hex')
