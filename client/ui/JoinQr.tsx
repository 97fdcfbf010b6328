import QRCode from 'qrcode'
import { useEffect, useState } from 'react'

/**
 * The join link as a QR code, for phones to scan off a screen. An image with a plain alt: the
 * link itself is always printed next to it, so the picture is never the only way in.
 */
export function JoinQr({ url, size = 240 }: { url: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    // Margin 2 and level M: still scans from the back of a room on a projector.
    QRCode.toDataURL(url, { width: size, margin: 2, errorCorrectionLevel: 'M' }).then(
      (data) => live && setSrc(data),
      () => live && setSrc(null),
    )
    return () => {
      live = false
    }
  }, [url, size])
  if (!src) return <span className="join-qr" style={{ width: size, height: size }} />
  return <img className="join-qr" src={src} width={size} height={size} alt="QR code: scan it with a phone camera to open the join link" />
}
