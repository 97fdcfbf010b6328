/**
 * The only reader of build-time and page-time settings. URLs derive from where the page was
 * loaded, so one build works on any host.
 */
interface PageSettings {
  tldrawLicenseKey: string | null
  /** Who to contact about personal data (PRIVACY_CONTACT), for the privacy page. */
  privacyContact: string | null
}

function readPageSettings(): PageSettings {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="parity-settings"]')
  try {
    const parsed: unknown = meta ? JSON.parse(meta.content) : {}
    const { tldrawLicenseKey: key, privacyContact: contact } = parsed as { tldrawLicenseKey?: unknown; privacyContact?: unknown }
    return { tldrawLicenseKey: typeof key === 'string' ? key : null, privacyContact: typeof contact === 'string' ? contact : null }
  } catch {
    // The dev server has no meta tag; development mode needs no key.
    return { tldrawLicenseKey: null, privacyContact: null }
  }
}

export const pageSettings = readPageSettings()

export const apiBase = ''

export const websocketBase = (): string => {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${protocol}//${window.location.host}/ws`
}
