import jsQR from 'jsqr'
import type { Locator } from 'playwright-core'

/**
 * Reads the QR code an <img> shows, with a maintained decoder (jsQR): the browser draws the
 * image into a canvas and hands its pixels to Node.
 */
export async function decodeQrImage(image: Locator): Promise<string | null> {
  await image.evaluate((img: HTMLImageElement) => img.decode())
  const pixels = await image.evaluate((img: HTMLImageElement) => {
    const canvas = document.createElement('canvas')
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    const context = canvas.getContext('2d')!
    context.drawImage(img, 0, 0)
    const data = context.getImageData(0, 0, canvas.width, canvas.height)
    return { width: data.width, height: data.height, data: Array.from(data.data) }
  })
  return jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)?.data ?? null
}
