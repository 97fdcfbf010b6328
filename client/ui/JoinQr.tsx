import { toDataURL } from 'qrcode'
import { useEffect, useState, type JSX } from 'react'

/** The join link as a QR code, made on this device (no outside service sees the link). */
export function JoinQr({ url, size = 160 }: { url: string; size?: number }): JSX.Element {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let current = true
    toDataURL(url, { width: size, margin: 1, errorCorrectionLevel: 'M' })
      .then((made) => current && setSrc(made))
      .catch(() => current && setSrc(null))
    return () => {
      current = false
    }
  }, [url, size])
  return src ? <img className="join-qr" src={src} width={size} height={size} alt="QR code for the join link" /> : <span className="join-qr" style={{ width: size, height: size }} />
}
