/** Export files are named after the workshop (issue 13), safely for every browser and disk. */

const NAME_MAX_CHARS = 80
// Characters no common file system or header allows in a name.
const UNSAFE = /[\u0000-\u001f\u007f"*/:<>?\\|]+/g

/** "Our shared vision, March" → "our-shared-vision-march": ASCII only, for the plain `filename`. */
export function asciiSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_MAX_CHARS)
    .replace(/-+$/, '')
  return slug || 'workshop'
}

/** The title as people wrote it (any script), minus what a file name can't hold. */
function unicodeName(title: string): string {
  const name = [...title.replace(UNSAFE, '-').replace(/\s+/g, ' ').trim()].slice(0, NAME_MAX_CHARS).join('').trim()
  return name || 'workshop'
}

/**
 * `Content-Disposition` for a download: an ASCII `filename` every client understands, and an
 * RFC 5987 `filename*` with the real title, which current browsers prefer.
 */
export function attachmentHeader(title: string, exportedOn: string, extension: string): string {
  const ascii = `${asciiSlug(title)}-${exportedOn}.${extension}`
  const full = `${unicodeName(title)} ${exportedOn}.${extension}`
  // encodeURIComponent leaves ' ( ) * ! unescaped; RFC 5987's attr-char does not allow them all.
  const encoded = encodeURIComponent(full).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
