import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

/**
 * A raw socket that records every byte the server sends it: what a participant reading their
 * own network traffic would see. It asks for the full document on connect, like a provider.
 */
export class FrameRecorder {
  readonly frames: Buffer[] = []
  private readonly ws: WebSocket
  readonly opened: Promise<void>

  constructor(url: string) {
    this.ws = new WebSocket(url)
    this.opened = new Promise((resolve, reject) => {
      this.ws.on('open', () => {
        const encoder = encoding.createEncoder()
        encoding.writeVarUint(encoder, 0)
        encoding.writeVarUint(encoder, 0)
        encoding.writeVarUint8Array(encoder, new Uint8Array([0]))
        this.ws.send(encoding.toUint8Array(encoder))
        resolve()
      })
      this.ws.on('error', reject)
    })
    this.ws.on('message', (data: Buffer) => this.frames.push(Buffer.from(data)))
  }

  /** Every Yjs update carried by the recorded sync frames. */
  updates(): Uint8Array[] {
    const updates: Uint8Array[] = []
    for (const frame of this.frames) {
      const decoder = decoding.createDecoder(frame)
      if (decoding.readVarUint(decoder) !== 0) continue
      const syncType = decoding.readVarUint(decoder)
      if (syncType === 1 || syncType === 2) updates.push(decoding.readVarUint8Array(decoder))
    }
    return updates
  }

  /** Client ids of every struct whose content mentions `text`. */
  authorsOf(text: string): Set<number> {
    const authors = new Set<number>()
    for (const update of this.updates()) {
      for (const struct of Y.decodeUpdate(update).structs) {
        if (struct instanceof Y.Item && JSON.stringify(struct.content.getContent()).includes(text)) authors.add(struct.id.client)
      }
    }
    return authors
  }

  contains(needle: string): boolean {
    const bytes = Buffer.from(needle, 'utf8')
    return this.frames.some((frame) => frame.includes(bytes))
  }

  close(): void {
    this.ws.close()
  }
}
