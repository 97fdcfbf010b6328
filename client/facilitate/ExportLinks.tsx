import { useState } from 'react'
import { saveBlob } from '../download.ts'
import { StatusMessage, type Message } from '../ui/StatusMessage.tsx'

const FORMATS = [
  { format: 'pdf', label: 'PDF (to print or send)' },
  { format: 'docx', label: 'Word (to edit)' },
  { format: 'md', label: 'Markdown' },
  { format: 'csv', label: 'Spreadsheet (CSV)' },
  { format: 'json', label: 'Data (JSON)' },
] as const

/** The name the server chose: the RFC 5987 `filename*` (the real title) first, else `filename`. */
function fileNameOf(disposition: string): string | null {
  const encoded = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1]
  if (encoded) {
    try {
      return decodeURIComponent(encoded)
    } catch {
      // Badly encoded: fall back to the plain name.
    }
  }
  return /filename="([^"]+)"/.exec(disposition)?.[1] ?? null
}

/** The download buttons, with what happened. The key goes in a header, never in a link. */
export function ExportButtons({ workshopId, facilitatorKey }: { workshopId: string; facilitatorKey: string }) {
  const [status, setStatus] = useState<Message | null>(null)
  const download = async (format: string) => {
    setStatus({ text: 'Preparing your file…', error: false })
    try {
      const response = await fetch(`/api/workshops/${workshopId}/export?format=${format}`, { headers: { authorization: `Bearer ${facilitatorKey}` } })
      if (!response.ok) throw new Error(String(response.status))
      const name = fileNameOf(response.headers.get('content-disposition') ?? '') ?? `workshop.${format}`
      saveBlob(await response.blob(), name)
      setStatus({ text: `Downloaded ${name}.`, error: false })
    } catch {
      setStatus({ text: 'The file could not be made. Check your connection and try again.', error: true })
    }
  }
  return (
    <>
      <div className="button-row">
        {FORMATS.map(({ format, label }) => (
          <button key={format} type="button" onClick={() => download(format)}>
            {label}
          </button>
        ))}
      </div>
      <StatusMessage message={status} />
    </>
  )
}

/** Downloads of the agreed vision, on the facilitator page. */
export function ExportLinks({ workshopId, facilitatorKey }: { workshopId: string; facilitatorKey: string }) {
  return (
    <section className="card" aria-labelledby="export-h">
      <h2 id="export-h">Export the agreed vision</h2>
      <p>Files contain what was agreed, how, and every idea with its dots — never names.</p>
      <ExportButtons workshopId={workshopId} facilitatorKey={facilitatorKey} />
      <p>
        <a href={`/w/${workshopId}/agreed`}>Open the “What we agreed” page</a> — share it with everyone who took part.
      </p>
    </section>
  )
}
