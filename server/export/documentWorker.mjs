// @ts-check
// The document thread (DocumentWorker.ts). Plain JS so it loads in every runtime (node with our
// hooks, vitest); it registers the same TypeScript hooks as `npm start` before loading the rest.
import { register } from 'node:module'
import { parentPort } from 'node:worker_threads'

register('../../scripts/tsHooks.mjs', import.meta.url)
const { renderDocument } = await import('./documentJob.ts')

parentPort?.on('message', async (/** @type {{ id: number, job: import('./documentJob.ts').DocumentJob }} */ message) => {
  try {
    const bytes = await renderDocument(message.job)
    parentPort?.postMessage({ id: message.id, bytes })
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: String(error instanceof Error ? error.message : error) })
  }
})
