/**
 * Request and response bodies padded with trailing spaces (valid JSON, nothing for a reader to
 * strip), so someone who can see only the sizes of encrypted traffic — on a shared ward network,
 * say — cannot read an idea's length, a consent answer or a ballot from them and match it to the
 * text published later. Every body up to 4 KiB is 4 KiB on the wire (an idea is at most 500
 * characters); larger ones up to 32 KiB go to the next power of two; beyond that (the join
 * response, exports) they are left as they are: the same for everyone, or not a contribution.
 */
export const PADDED_MIN_BYTES = 4096
export const PADDED_MAX_BYTES = 32 * 1024

/** The size a body of `bytes` is padded to, or `bytes` when it is not padded. */
export function paddedSize(bytes: number): number {
  if (bytes > PADDED_MAX_BYTES) return bytes
  let size = PADDED_MIN_BYTES
  while (size < bytes) size *= 2
  return size
}

const encoder = new TextEncoder()

/** `json` with trailing spaces up to its padded size, as UTF-8 bytes. */
export function padJson(json: string): Uint8Array<ArrayBuffer> {
  return padBytes(encoder.encode(json))
}

/** JSON already encoded as UTF-8, with trailing spaces up to its padded size (the same array if none are due). */
export function padBytes(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const size = paddedSize(bytes.length)
  if (size === bytes.length) return bytes
  const padded = new Uint8Array(size).fill(0x20)
  padded.set(bytes)
  return padded
}
