import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

/**
 * Short text stored so that only its owner's token opens it (AES-256-GCM under a key made from
 * the token's seal key, which no copy of the files yields; see `sealKeyOf`). Padded to a fixed
 * length so the stored value's size does not tell one answer from another.
 */
const PADDED_BYTES = 32
const NONCE_BYTES = 12
const TAG_BYTES = 16

const keyFor = (sealKey: Buffer, scope: string): Buffer => createHmac('sha256', sealKey).update(`parity/sealed-text/v1/${scope}`).digest()

export function sealText(sealKey: Buffer, scope: string, text: string): string {
  const plain = Buffer.from(text, 'utf8')
  if (plain.length > PADDED_BYTES) throw new RangeError(`sealed text is limited to ${PADDED_BYTES} bytes`)
  const padded = Buffer.alloc(PADDED_BYTES)
  plain.copy(padded)
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', keyFor(sealKey, scope), nonce)
  const body = Buffer.concat([cipher.update(padded), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')
}

/** The text, or null when the value was not sealed with this key and scope (or was altered). */
export function openText(sealKey: Buffer, scope: string, sealed: string): string | null {
  const raw = Buffer.from(sealed, 'base64url')
  if (raw.length !== NONCE_BYTES + PADDED_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyFor(sealKey, scope), raw.subarray(0, NONCE_BYTES))
    decipher.setAuthTag(raw.subarray(NONCE_BYTES + PADDED_BYTES))
    const padded = Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, NONCE_BYTES + PADDED_BYTES)), decipher.final()])
    const end = padded.indexOf(0)
    return padded.subarray(0, end === -1 ? PADDED_BYTES : end).toString('utf8')
  } catch {
    return null
  }
}
