/**
 * The only reader of build-time and page-time settings. URLs derive from where the page was
 * loaded, so one build works on any host.
 */
interface PageSettings {
  tldrawLicenseKey: string | null
}

function readPageSettings(): PageSettings {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="parity-settings"]')
  try {
    const parsed: unknown = meta ? JSON.parse(meta.content) : {}
    const key = (parsed as { tldrawLicenseKey?: unknown }).tldrawLicenseKey
    return { tldrawLicenseKey: typeof key === 'string' ? key : null }
  } catch {
    // The dev server has no meta tag; development mode needs no key.
    return { tldrawLicenseKey: null }
  }
}

export const pageSettings = readPageSettings()

export const apiBase = ''

export const websocketBase = (): string => {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${protocol}//${window.location.host}/ws`
}
