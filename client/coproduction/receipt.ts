/**
 * A printable receipt for "What happened to my ideas", shown once at the end of a workshop, for
 * people who will not keep this device. It carries the person's workshop key and their author
 * keys, so it is as private as the device: we say so where it is shown. Format: `R1.` + base64url JSON.
 */
export interface Receipt {
  token: string
  ideas: { ideaId: string; authorKey: string }[]
}

const PREFIX = 'R1.'

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

const fromBase64Url = (code: string) => new TextDecoder().decode(Uint8Array.from(atob(code.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))

export const encodeReceipt = (receipt: Receipt): string =>
  PREFIX + toBase64Url(JSON.stringify({ t: receipt.token, k: receipt.ideas.map((idea) => [idea.ideaId, idea.authorKey]) }))

/** The receipt in a code someone typed or pasted; null if it is not one of ours. */
export function decodeReceipt(input: string): Receipt | null {
  const code = input.replace(/\s+/g, '')
  if (!code.startsWith(PREFIX) || code.length > 20_000) return null
  try {
    const parsed = JSON.parse(fromBase64Url(code.slice(PREFIX.length))) as { t?: unknown; k?: unknown }
    if (typeof parsed.t !== 'string' || !Array.isArray(parsed.k)) return null
    const ideas = parsed.k.filter((pair): pair is [string, string] => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string')
    return { token: parsed.t, ideas: ideas.map(([ideaId, authorKey]) => ({ ideaId, authorKey })) }
  } catch {
    // Not base64 or not JSON: not a receipt.
    return null
  }
}
